"""What happens when a complaint is recorded: validation, priority, duplicates, incidents."""

from __future__ import annotations

import re

import frappe
from frappe import _
from frappe.query_builder.functions import Coalesce, Date, Max
from frappe.utils import add_to_date, get_datetime, now_datetime, validate_email_address

from complaint_mgmt.engine import incidents as incident_rules
from complaint_mgmt.engine import priority as priority_rules
from complaint_mgmt.engine.errors import PolicyViolation
from complaint_mgmt.services import policy, triage
from complaint_mgmt.utils import plain_text

PRIORITY_FACTS = (
	"goods_category",
	"group_size",
	"media_involved",
	"regulator_involved",
	"regulator_intent",
	"complaint_category",
	"complaint_type",
	"insured_value",
	"declared_value",
	"goods_value",
	"channel",
	"customer_tier",
	"force_majeure",
	"service_type",
	"legal_threat",
	"repeat_complaint",
)


def throw_policy(error: PolicyViolation) -> None:
	"""Raise an engine refusal as a translated Frappe validation error."""
	frappe.throw(_(error.message).format(**error.params), title=_("Not allowed"))


def validate_input(doc) -> None:
	settings = policy.settings()
	doc.received_at = get_datetime(doc.received_at or now_datetime()).replace(microsecond=0)
	if frappe.flags.in_web_form and doc.is_new():
		from_portal(doc, settings)
	if not doc.channel and settings.default_channel:
		doc.channel = settings.default_channel
	check_type_and_channel(doc)
	if not doc.subject and doc.complaint_type:
		doc.subject = (
			_("{0} on waybill {1}").format(_(doc.complaint_type), doc.waybill_no)
			if doc.waybill_no
			else _(doc.complaint_type)
		)
	for field in ("waybill_no", "batch_no", "route", "customer_phone", "customer_email"):
		value = doc.get(field)
		if isinstance(value, str):
			doc.set(field, value.strip())
	if doc.waybill_no:
		doc.waybill_no = doc.waybill_no.upper()
		if settings.waybill_regex and not re.fullmatch(settings.waybill_regex, doc.waybill_no):
			frappe.throw(
				_("Waybill number {0} is not valid: it must look like {1}").format(
					frappe.bold(doc.waybill_no), "SF1234567890"
				),
				title=_("Invalid waybill number"),
			)
	if doc.customer_phone and settings.phone_regex:
		if not re.fullmatch(settings.phone_regex, doc.customer_phone.replace(" ", "")):
			frappe.throw(
				_("Phone number {0} is not valid").format(frappe.bold(doc.customer_phone)),
				title=_("Invalid phone number"),
			)
	if doc.customer_email and not one_email_address(doc.customer_email):
		frappe.throw(
			_("Email address {0} is not valid").format(frappe.bold(doc.customer_email)),
			title=_("Invalid email address"),
		)
	if not (doc.customer_phone or doc.customer_email or doc.portal_user):
		frappe.throw(_("Give the customer's phone number or email address so we can reply"))
	for label, value in (
		(_("Goods Value"), doc.goods_value),
		(_("Declared Value"), doc.declared_value),
		(_("Insured Value"), doc.insured_value),
		(_("Freight"), doc.freight),
	):
		if value and value < 0:
			frappe.throw(_("{0} cannot be negative").format(label))
	validate_evidence_consent(doc)


def one_email_address(value: str) -> bool:
	"""Exactly one plain address: no list, no name or markup around it ("<b>a@b.cn</b>")."""
	return "," not in value and validate_email_address(value) == value


def check_type_and_channel(doc) -> None:
	"""A new or changed type must be a complaint type in use (not a category that only groups
	them), and the channel one in use. Frappe's own link check misses unknown names here,
	because other fields fetch from these links."""
	if doc.complaint_type and (doc.is_new() or doc.has_value_changed("complaint_type")):
		kind = frappe.db.get_value(
			"Complaint Type", doc.complaint_type, ["is_group", "enabled"], as_dict=True
		)
		if not kind:
			frappe.throw(
				_("Unknown complaint type {0}").format(frappe.bold(doc.complaint_type)),
				frappe.LinkValidationError,
			)
		if kind.is_group:
			frappe.throw(
				_("{0} is a category: choose one of its complaint types").format(
					frappe.bold(_(doc.complaint_type))
				)
			)
		if not kind.enabled:
			frappe.throw(_("Complaint type {0} is not in use").format(frappe.bold(_(doc.complaint_type))))
	if doc.channel and (doc.is_new() or doc.has_value_changed("channel")):
		enabled = frappe.db.get_value("Complaint Channel", doc.channel, "enabled")
		if enabled is None:
			frappe.throw(
				_("Unknown channel {0}").format(frappe.bold(doc.channel)), frappe.LinkValidationError
			)
		if not enabled:
			frappe.throw(_("Channel {0} is not in use").format(frappe.bold(_(doc.channel))))


def from_portal(doc, settings) -> None:
	"""The customer filed it on the portal form: record that channel, and who they are if logged in."""
	if not settings.portal_channel:
		frappe.throw(
			_("The complaint form is not set up yet: choose the Portal Channel in Complaint Settings")
		)
	doc.channel = settings.portal_channel
	doc.description = plain_text.as_html(doc.description)  # the form asks for plain text
	# the customer wrote in the language the form was shown in; we answer in it
	doc.customer_language = "zh" if (frappe.local.lang or "").startswith("zh") else "en"
	if frappe.session.user != "Guest" and frappe.get_cached_value(
		"User", frappe.session.user, "user_type"
	) == ("Website User"):
		doc.portal_user = frappe.session.user


def refuse_without_consent() -> None:
	frappe.throw(
		_(
			"Evidence can only be kept with the customer's consent: tick 'Customer Consents to Keep Evidence' first"
		),
		title=_("Consent required"),
	)


def uploaded_file(doc) -> str | None:
	"""The File behind the form's attachment: already attached to this complaint, or uploaded by
	this same visitor within the hour and not attached to anything yet (the browser uploads first)."""
	url = doc.portal_attachment
	return frappe.db.get_value(
		"File", {"file_url": url, "attached_to_doctype": "Complaint", "attached_to_name": doc.name}
	) or frappe.db.get_value(
		"File",
		{
			"file_url": url,
			"attached_to_name": ["is", "not set"],
			"owner": frappe.session.user,
			"creation": [">", add_to_date(now_datetime(), hours=-1)],
		},
		order_by="creation desc",
	)


def take_portal_attachment(doc) -> None:
	"""A file sent with the portal form becomes a private evidence row (with the customer's consent)."""
	if not doc.portal_attachment or any(row.file == doc.portal_attachment for row in doc.evidence):
		return
	if not doc.evidence_consent:
		refuse_without_consent()
	file_name = uploaded_file(doc)
	if not file_name:
		# only a file uploaded for this very complaint; never a link to some other file
		frappe.throw(_("The attached file was not received; attach it again"), title=_("Attachment missing"))
	doc.flags.portal_file = file_name
	image = doc.portal_attachment.lower().endswith((".png", ".jpg", ".jpeg", ".gif", ".webp", ".heic"))
	doc.append(
		"evidence",
		{
			"file": doc.portal_attachment,
			"evidence_kind": "Photo" if image else "Document",
			"description": _("Sent by the customer with the complaint form"),
		},
	)


def secure_portal_file(doc) -> None:
	"""Once the complaint exists: attach the upload to it and make it private (moving the file)."""
	if not doc.flags.portal_file:
		return
	file = frappe.get_doc("File", doc.flags.portal_file)
	doc.flags.portal_file = None
	old_url = file.file_url
	file.update({"attached_to_doctype": "Complaint", "attached_to_name": doc.name, "is_private": 1})
	file.save(ignore_permissions=True)  # the upload is public; evidence never is
	if file.file_url != old_url:
		for row in doc.evidence:
			if row.file == old_url:
				row.db_set("file", file.file_url, update_modified=False)
		doc.db_set("portal_attachment", file.file_url, update_modified=False)


def validate_evidence_consent(doc) -> None:
	take_portal_attachment(doc)
	if any(not row.official_notice for row in doc.evidence) and not doc.evidence_consent:
		refuse_without_consent()
	if doc.evidence_consent and not doc.consent_recorded_at:
		doc.consent_recorded_at = now_datetime()
		doc.consent_recorded_by = frappe.session.user
	for row in doc.evidence:
		if not row.uploaded_at:
			row.uploaded_at = now_datetime()
			row.uploaded_by = frappe.session.user


def priority_facts(doc) -> dict:
	"""The complaint's fields the rules read, with what the customer's words say added."""
	return triage.text_facts(doc, {field: doc.get(field) for field in PRIORITY_FACTS})


def apply_priority(doc) -> None:
	"""Set the priority the rules give; automatic changes only ever raise it."""
	levels = policy.priority_levels()
	decision = priority_rules.evaluate_priority(priority_facts(doc), policy.priority_rules(), levels)
	computed, reasons = decision.priority, triage.reasons(decision, doc.flags.triage_sources)
	type_priority = policy.type_details(doc.complaint_type).get("default_priority")
	if type_priority and priority_rules.rank(type_priority, levels) < priority_rules.rank(computed, levels):
		computed, reasons = type_priority, [_("Default priority of type {0}").format(_(doc.complaint_type))]
	elif type_priority == computed:
		reasons.append(_("Default priority of type {0}").format(_(doc.complaint_type)))

	previous_computed = doc.auto_priority
	doc.auto_priority = computed
	doc.priority_reason = "\n".join(_(r) for r in reasons) or _("No rule matched: default priority")
	current = None if doc.is_new() else doc.priority  # a new complaint takes the rules' answer
	if current is None:
		new = computed
	elif previous_computed == computed:
		return  # facts did not change the rules' answer: keep a supervisor's decision
	else:
		new = priority_rules.apply_automatic(current, computed, levels)
	if new != current:
		if current:
			log_priority_change(doc, current, new, automatic=True, reason=doc.priority_reason)
		doc.priority = new


def log_priority_change(doc, old: str, new: str, *, automatic: bool, reason: str) -> None:
	doc.append(
		"priority_changes",
		{
			"from_priority": old,
			"to_priority": new,
			"automatic": 1 if automatic else 0,
			"reason": reason,
			"changed_by": frappe.session.user,
			"changed_at": now_datetime(),
		},
	)


def change_priority(doc, new: str, reason: str | None) -> None:
	"""A person changes the priority: raising is always allowed, lowering needs the role and a reason."""
	levels = policy.priority_levels()
	if new not in levels:
		frappe.throw(_("Unknown priority {0}").format(new))
	lowering_role = policy.settings().priority_lowering_role
	try:
		priority_rules.check_manual_change(
			doc.priority,
			new,
			may_lower=lowering_role in frappe.get_roles(),
			reason=reason,
			levels=levels,
			lowering_role=_(lowering_role),
		)
	except PolicyViolation as error:
		throw_policy(error)
	if new == doc.priority:
		return
	log_priority_change(doc, doc.priority, new, automatic=False, reason=reason or "")
	doc.priority = new


def find_duplicate(doc) -> str | None:
	"""An open complaint on the same waybill, if any."""
	if not (doc.waybill_no and policy.settings().duplicate_waybill_check):
		return None
	complaint = frappe.qb.DocType("Complaint")
	query = (
		frappe.qb.from_(complaint)
		.select(complaint.name)
		.where(complaint.waybill_no == doc.waybill_no)
		.where(complaint.name != (doc.name or ""))
		.where(complaint.duplicate_of.isnull() | (complaint.duplicate_of == ""))
		.orderby(complaint.creation)
		.limit(1)
	)
	terminal = policy.terminal_states()
	if terminal:
		query = query.where(Coalesce(complaint.workflow_state, "").notin(terminal))
	rows = query.run()
	return rows[0][0] if rows else None


def incident_strategies(settings) -> list[str]:
	flags = (
		("batch", settings.group_by_batch),
		("route_date", settings.group_by_route_date),
		("waybill_prefix", settings.group_by_waybill_prefix),
	)
	return [name for name, enabled in flags if enabled]


def _matching_open_complaints(doc, strategy: str, settings) -> list[str]:
	complaint = frappe.qb.DocType("Complaint")
	window = settings.incident_window_hours or 0
	received = frappe.utils.get_datetime(doc.received_at)
	query = (
		frappe.qb.from_(complaint)
		.select(complaint.name)
		.where(
			complaint.received_at[add_to_date(received, hours=-window) : add_to_date(received, hours=window)]
		)
	)
	if strategy == "batch":
		query = query.where(complaint.batch_no == doc.batch_no)
	elif strategy == "route_date":
		ship_date = doc.ship_date or (doc.order_time and frappe.utils.getdate(doc.order_time))
		query = query.where(complaint.route == doc.route).where(
			Coalesce(complaint.ship_date, Date(complaint.order_time)) == ship_date
		)
	else:
		prefix = doc.waybill_no[: settings.waybill_prefix_length or 0]
		query = query.where(complaint.waybill_no.like(f"{prefix}%"))
	terminal = policy.terminal_states()
	if terminal:
		query = query.where(Coalesce(complaint.workflow_state, "").notin(terminal))
	return [row[0] for row in query.run()]


def group_into_incident(doc) -> str | None:
	"""Create or join a group incident when enough open complaints share a key."""
	settings = policy.settings()
	facts = {
		"batch_no": doc.batch_no,
		"route": doc.route,
		"ship_date": doc.ship_date,
		"order_date": doc.order_time and frappe.utils.getdate(doc.order_time),
		"waybill_no": doc.waybill_no,
	}
	try:
		keys = incident_rules.incident_keys(
			facts, incident_strategies(settings), prefix_length=settings.waybill_prefix_length or 1
		)
	except PolicyViolation as error:
		throw_policy(error)
	for key in keys:
		strategy = key.split(":", 1)[0]
		members = _matching_open_complaints(doc, strategy, settings)
		existing = frappe.db.get_value("Complaint Incident", {"incident_key": key, "status": "Open"})
		try:
			action = incident_rules.decide_incident(len(members), settings.incident_threshold, existing)
		except PolicyViolation as error:
			throw_policy(error)
		if action == "none":
			continue
		incident = existing or _create_incident(key, strategy, doc)
		_attach_members(incident, members)
		return incident
	return None


def _create_incident(key: str, strategy: str, doc) -> str:
	title = _("Group incident: {0}").format(key.split(":", 1)[1])
	try:
		frappe.db.savepoint("incident")
		incident = frappe.get_doc(
			{
				"doctype": "Complaint Incident",
				"title": title,
				"incident_key": key,
				"strategy": strategy,
				"status": "Open",
				"first_complaint_at": now_datetime(),
			}
		).insert(ignore_permissions=True)
		return incident.name
	except frappe.DuplicateEntryError:
		# another worker created it a moment ago: join that one
		frappe.db.rollback(save_point="incident")
		return frappe.db.get_value("Complaint Incident", {"incident_key": key})


def _attach_members(incident: str, members: list[str]) -> None:
	"""Link every member, raise each to the top priority (logged) and tell Risk Management."""
	levels = policy.priority_levels()
	top = levels[0]
	complaint = frappe.qb.DocType("Complaint")
	rows = (
		frappe.qb.from_(complaint)
		.select(complaint.name, complaint.priority, complaint.incident)
		.where(complaint.name.isin(members))
		.run(as_dict=True)
	)
	reason = _("Part of group incident {0}").format(incident)
	now = now_datetime()
	to_raise = [r.name for r in rows if r.priority != top]
	change = frappe.qb.DocType("Complaint Priority Change")
	last_idx = dict(
		frappe.qb.from_(change)
		.select(change.parent, Max(change.idx))
		.where(change.parent.isin(to_raise or [""]))
		.groupby(change.parent)
		.run()
	)
	changes = [
		frappe.get_doc(
			{
				"doctype": "Complaint Priority Change",
				"parent": r.name,
				"parenttype": "Complaint",
				"parentfield": "priority_changes",
				"idx": (last_idx.get(r.name) or 0) + 1,
				"from_priority": r.priority,
				"to_priority": top,
				"automatic": 1,
				"reason": reason,
				"changed_by": frappe.session.user,
				"changed_at": now,
			}
		)
		for r in rows
		if r.priority != top
	]
	for change in changes:
		change.db_insert()
	if rows:
		(
			frappe.qb.update(complaint)
			.set(complaint.incident, incident)
			.set(complaint.priority, top)
			.set(complaint.auto_priority, top)
			.where(complaint.name.isin([r.name for r in rows]))
			.run()
		)
	count = frappe.db.count("Complaint", {"incident": incident})
	frappe.db.set_value(
		"Complaint Incident",
		incident,
		{"complaint_count": count, "last_complaint_at": now},
		update_modified=True,
	)
	from complaint_mgmt.services import assignment, notify, sla

	for name in to_raise:
		assignment.ensure_urgent_owners(name)
		sla.mark(frappe.get_doc("Complaint", name))  # Urgent targets are shorter
	if not frappe.db.get_value("Complaint Incident", incident, "risk_notified_at"):
		notify.risk_management(incident)
		frappe.db.set_value("Complaint Incident", incident, "risk_notified_at", now, update_modified=False)
