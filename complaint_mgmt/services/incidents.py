"""Duplicates and group incidents of a new complaint.

While the complaint is validated, before it is stored: the open complaint on the same waybill it
duplicates, and the group incident it makes or joins — with the top priority, so that its SLA
clocks are set for that priority at once. Once it is stored, the other open complaints of the key
are linked to the incident (one UPDATE); raising their priority, their owners and clocks, the
incident's counts and the notice to Risk Management follow in a background job.
"""

from __future__ import annotations

import frappe
from frappe import _
from frappe.query_builder.functions import Coalesce, Date, Max
from frappe.utils import add_to_date, now_datetime

from complaint_mgmt.engine import incidents as incident_rules
from complaint_mgmt.engine.errors import PolicyViolation
from complaint_mgmt.services import policy, priority, side_effects
from complaint_mgmt.services.errors import throw_policy


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
	"""The other open complaints sharing the key (the new one is not stored yet)."""
	complaint = frappe.qb.DocType("Complaint")
	window = settings.incident_window_hours or 0
	received = frappe.utils.get_datetime(doc.received_at)
	query = (
		frappe.qb.from_(complaint)
		.select(complaint.name)
		.where(
			complaint.received_at[add_to_date(received, hours=-window) : add_to_date(received, hours=window)]
		)
		.where(complaint.name != (doc.name or ""))
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


def place(doc) -> None:
	"""A new complaint joins the open incident of one of its keys, or creates it once enough open
	complaints share the key; it then takes the top priority."""
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
			action = incident_rules.decide_incident(len(members) + 1, settings.incident_threshold, existing)
		except PolicyViolation as error:
			throw_policy(error)
		if action == "none":
			continue
		doc.incident = existing or _create_incident(key, strategy)
		doc.flags.incident_members = members
		priority.raise_for_incident(doc, doc.incident)
		return


def _create_incident(key: str, strategy: str) -> str:
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


def link_members(doc) -> None:
	"""After the insert: the other complaints of the key point to the incident; the rest follows
	in the background."""
	if not doc.incident:
		return
	members = doc.flags.incident_members or []
	if members:
		complaint = frappe.qb.DocType("Complaint")
		(
			frappe.qb.update(complaint)
			.set(complaint.incident, doc.incident)
			.where(complaint.name.isin(members))
			.run()
		)
	# the job locks the incident first, as every job of the incident does: two complaints joining
	# at once take turns and never wait for each other's complaint
	side_effects.later(update_members, frappe._dict(doctype="Complaint Incident", name=doc.incident))


def update_members(incident) -> None:
	"""Background job of an incident a complaint made or joined (run under the incident's lock):
	every open member at the top priority (logged), co-led and re-timed; the incident's counts;
	Risk Management told once."""
	from complaint_mgmt.services import assignment, notify, sla

	stamp = frappe.db.get_value("Complaint Incident", incident.name, "risk_notified_at", for_update=True)
	top = policy.priority_levels()[0]
	complaint = frappe.qb.DocType("Complaint")
	query = (
		frappe.qb.from_(complaint)
		.select(complaint.name, complaint.priority)
		.where(complaint.incident == incident.name)
		.where(complaint.priority != top)
	)
	terminal = policy.terminal_states()
	if terminal:
		query = query.where(Coalesce(complaint.workflow_state, "").notin(terminal))
	to_raise = query.run(as_dict=True)
	_raise(to_raise, top, _("Part of group incident {0}").format(incident.name))
	for row in to_raise:
		assignment.ensure_urgent_owners(row.name)
		sla.mark(frappe.get_doc("Complaint", row.name))  # Urgent targets are shorter
	now = now_datetime()
	count = frappe.db.count("Complaint", {"incident": incident.name})
	frappe.db.set_value(
		"Complaint Incident",
		incident.name,
		{"complaint_count": count, "last_complaint_at": now},
		update_modified=True,
	)
	if not stamp:
		notify.risk_management(incident.name)
		frappe.db.set_value(
			"Complaint Incident", incident.name, "risk_notified_at", now, update_modified=False
		)


def _raise(rows: list, top: str, reason: str) -> None:
	"""Raise these complaints to ``top`` with a logged change each, in a few statements."""
	if not rows:
		return
	names = [r.name for r in rows]
	change = frappe.qb.DocType("Complaint Priority Change")
	last_idx = dict(
		frappe.qb.from_(change)
		.select(change.parent, Max(change.idx))
		.where(change.parent.isin(names))
		.groupby(change.parent)
		.run()
	)
	now = now_datetime()
	for r in rows:
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
		).db_insert()
	complaint = frappe.qb.DocType("Complaint")
	(
		frappe.qb.update(complaint)
		.set(complaint.priority, top)
		.set(complaint.auto_priority, top)
		.where(complaint.name.isin(names))
		.run()
	)
