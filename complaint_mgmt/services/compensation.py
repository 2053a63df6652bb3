"""Compensation: suggest remedies, check amounts and caps, route approval, pay exactly once.

The scenario matrix, the caps and the approval matrix are records admins edit; this module turns
them into the engine's plain data and the engine's refusals into translated errors.
"""

from __future__ import annotations

from contextlib import suppress
from decimal import Decimal

import frappe
from frappe import _
from frappe.utils import flt, now_datetime

from complaint_mgmt.engine import approval as approval_rules
from complaint_mgmt.engine import compensation as rules
from complaint_mgmt.engine import templates
from complaint_mgmt.engine.errors import PolicyViolation
from complaint_mgmt.services import approval, customer_messages, policy
from complaint_mgmt.services.errors import throw_policy

REMEDY_CODES = {
	"Freight Reduction": "freight_reduction",
	"Freight Waiver": "freight_waiver",
	"Reship": "reship",
	"Priority Delivery": "priority_delivery",
	"Cash": "cash",
	"Voucher": "voucher",
	"VIP Card": "vip_card",
	"Apology Call": "apology_call",
	"Internal Penalty": "internal_penalty",
}
REMEDY_LABELS = {code: label for label, code in REMEDY_CODES.items()}
# the complaint's check fields an approval level may be required for (Compensation Approval Level)
APPROVAL_FLAGS = ("media_involved", "regulator_involved", "regulator_intent", "force_majeure")
APPROVED, PAYING, PAID, PENDING = "Approved", "Paying", "Paid", "Pending Approval"
LOCKED_STATES = (APPROVED, PAYING, PAID)


# ------------------------------------------------------------------ policy records → engine data
def scenario_row(r) -> dict:
	return {
		"complaint_type": r.scenario,
		"remedy": REMEDY_CODES.get(r.remedy, r.remedy),
		"basis": r.basis,
		"percent": r.percent or None,
		"percent_min": r.percent_min or None,
		"percent_max": r.percent_max or None,
		"amount": r.amount or None,
		"equal_to": REMEDY_CODES.get(r.equal_to) if r.equal_to else None,
		"optional": r.optional,
		"customer_tiers": r.customer_tiers or "",
	}


def scenario_matrix() -> list[dict]:
	rows = frappe.get_all("Compensation Scenario", fields=["*"], order_by="scenario asc, creation asc")
	return [scenario_row(r) for r in rows]


def cap_row(r) -> dict:
	return {
		"kind": r.kind,
		"remedy": REMEDY_CODES.get(r.remedy, r.remedy) if r.remedy else None,
		"amount": r.amount or None,
		"multiple": r.multiple or None,
		"categories": r.categories or "",
		"reason": r.reason,
	}


def caps() -> list[dict]:
	rows = frappe.get_all(
		"Compensation Cap", fields=["kind", "remedy", "amount", "multiple", "categories", "reason"]
	)
	return [cap_row(r) for r in rows]


def approval_matrix() -> list[dict]:
	"""An empty or zero 'Approves Up To' means no limit."""
	rows = frappe.get_all(
		"Compensation Approval Level",
		fields=["level_name", "role", "rank", "max_amount", "required_for"],
	)
	return [level_row(r) for r in rows]


def level_row(r) -> dict:
	return {
		"name": r.level_name,
		"role": r.role,
		"rank": r.rank,
		"max_amount": r.max_amount or None,
		"required_for": r.required_for or "",
	}


def case_flags(complaint) -> list[str]:
	return [flag for flag in APPROVAL_FLAGS if complaint.get(flag)]


def flag_labels(flags) -> str:
	meta = frappe.get_meta("Complaint")
	return ", ".join(_(meta.get_label(flag)) for flag in flags)


def _approval_call(fn, *args, **kwargs):
	"""Like _policy_call, naming the case's flags by their labels."""
	try:
		return fn(*args, **kwargs)
	except PolicyViolation as error:
		if "flags" in error.params:
			error.params["flags"] = flag_labels(error.params["flags"].split(", "))
		throw_policy(error)


def facts(complaint) -> rules.CompensationFacts:
	scenario = frappe.db.get_value("Complaint Type", complaint.complaint_type, "compensation_scenario")
	return rules.CompensationFacts(
		complaint_type=scenario or complaint.complaint_type,
		category=complaint.complaint_category or "",
		goods_value=complaint.goods_value,
		declared_value=complaint.declared_value,
		insured_value=complaint.insured_value,
		is_insured=bool(complaint.is_insured),
		freight=complaint.freight,
		customer_tier=complaint.customer_tier or "",
	)


def _policy_call(fn, *args, **kwargs):
	try:
		return fn(*args, **kwargs)
	except PolicyViolation as error:
		throw_policy(error)


def explain(steps) -> str:
	return "\n".join(_(step.template).format(**step.params) for step in steps)


# ------------------------------------------------------------------ suggestion
def suggest(doc) -> None:
	"""Fill the remedies from the scenario matrix, each number explained, within every cap."""
	complaint = frappe.get_doc("Complaint", doc.complaint)
	suggestion = _policy_call(rules.suggest, facts(complaint), scenario_matrix(), caps())
	doc.set("lines", [])
	upgrades = []
	lang = customer_messages.language(complaint)  # the description is read by the customer
	for line in suggestion.lines:
		label = _(line.label or REMEDY_LABELS[line.remedy], lang=lang)
		if line.is_upgrade:
			amount = f" {flt(line.amount):,.2f}" if line.is_monetary else ""
			upgrades.append(f"{label}{amount}: {explain(line.explanation)}".replace("\n", "; "))
			continue
		doc.append(
			"lines",
			{
				"remedy": REMEDY_LABELS[line.remedy],
				"description": label,
				"percent": flt(line.percent) if line.percent is not None else None,
				"amount": flt(line.amount),
				"is_upgrade": 1 if line.is_upgrade else 0,
				"cap": flt(line.cap.amount) if line.cap else None,
				"cap_reason": line.cap.reason if line.cap else None,
				"explanation": explain(line.explanation),
				"currency": doc.currency,
			},
		)
	doc.suggested_upgrades = "\n".join(upgrades)


# ------------------------------------------------------------------ validation and approval
def validate(doc) -> None:
	complaint = frappe.get_doc("Complaint", doc.complaint)
	approval.check_currency(doc)
	flags = case_flags(complaint)
	matrix = approval_matrix()
	doc.sensitive = (
		1 if any(approval_rules.parse_flags(lvl["required_for"]) & set(flags) for lvl in matrix) else 0
	)
	the_facts = facts(complaint)
	the_caps = caps()
	total = Decimal("0")
	for row in doc.lines:
		code = REMEDY_CODES[row.remedy]
		row.currency = doc.currency
		if code not in rules.MONEY_REMEDIES:
			row.amount = 0
			continue
		cap = _policy_call(rules.line_cap, the_facts, code, the_caps)
		amount = _policy_call(rules.validate_line_amount, row.amount or 0, cap)
		row.cap = flt(cap.amount) if cap else None
		row.cap_reason = cap.reason if cap else None
		total += amount
	overall = _policy_call(rules.total_cap, the_facts, the_caps)
	if overall:
		_policy_call(rules.validate_line_amount, total, overall)
	doc.total_amount = flt(total)
	# the level applies to what the complaint costs in all, not to each compensation alone
	needed = _policy_call(
		approval_rules.required_level, approval.running_total(doc), flags=flags, matrix=matrix
	)
	doc.required_level = needed.name
	_check_transition(doc, flags, matrix)


def _check_transition(doc, flags: list[str], matrix: list[dict]) -> None:
	before = doc.get_doc_before_save()
	old_state = before.workflow_state if before else None
	if before and old_state in LOCKED_STATES and approval.approved_terms_changed(before, doc):
		frappe.throw(
			_(
				"An approved compensation cannot change its complaint, currency, remedies or amounts; cancel it and raise a new one"
			)
		)
	if before and old_state == PAID and (before.payment_reference or "") != (doc.payment_reference or ""):
		frappe.throw(_("The payment reference of a paid compensation cannot change"))
	if doc.workflow_state == old_state:
		return
	if doc.workflow_state == APPROVED:
		level = _approval_call(
			approval_rules.check_can_approve, frappe.get_roles(), approval.running_total(doc), flags, matrix
		)
		doc.approved_by, doc.approved_at = frappe.session.user, now_datetime()
		if not doc.expected_payment_date:
			doc.expected_payment_date = payment_date(doc.approved_at)
		doc.add_comment("Info", _("Approved at level {0}").format(_(level.name)))
	elif doc.workflow_state in (PAYING, PAID) and not doc.approved_by:
		frappe.throw(_("A compensation must be approved before it is paid"))
	if doc.workflow_state == PAID:
		if old_state != PAYING:
			frappe.throw(_("Start the payment before confirming it"))
		if not (doc.payment_reference or "").strip():
			frappe.throw(_("Enter the payment reference before confirming the payment"))
		doc.paid_at = now_datetime()


def payment_date(approved_at):
	"""SPEC §6 "paid within 3 working days": the settings' working days after approval."""
	from complaint_mgmt.engine.calendar import add_working_days
	from complaint_mgmt.services import sla_policy

	settings = policy.settings()
	cal = sla_policy.calendar(settings.payment_calendar)[0] if settings.payment_calendar else None
	return _policy_call(
		add_working_days, frappe.utils.getdate(approved_at), settings.payment_working_days or 0, cal
	)


# ------------------------------------------------------------------ customer communication
MESSAGE_FIELDS = {
	APPROVED: "compensation_approved_text",
	PAYING: "compensation_paying_text",
	PAID: "compensation_paid_text",
}


def message_text(doc, field: str, **extra) -> tuple:
	complaint = frappe.get_doc("Complaint", doc.complaint)
	settings = policy.settings()
	zh = customer_messages.language(complaint) == "zh"
	template = settings.get(f"{field}_zh" if zh else field) or ""
	return complaint, templates.render(
		template,
		{
			"name": complaint.name,
			"amount": frappe.utils.fmt_money(doc.total_amount, currency=doc.currency),
			"date": frappe.utils.formatdate(doc.expected_payment_date, "yyyy-MM-dd")
			if doc.expected_payment_date
			else "",
			**extra,
		},
	)


def tell_customer(doc, field: str, **extra) -> None:
	"""A Communication on the complaint and the compensation keeps the exact message, sent or not,
	so whoever calls the customer has it."""
	complaint, text = message_text(doc, field, **extra)
	with customer_messages.speaking(complaint):
		subject = _("Complaint {0}").format(complaint.name)
	with suppress(customer_messages.NotSent):
		customer_messages.send(complaint, subject=subject, text=text, about=doc)


def record_done(doc, line: str, proof: str) -> None:
	"""A reshipment signed for, a voucher or card issued, an apology call made (SPEC §7)."""
	from complaint_mgmt.services import closure

	if doc.workflow_state not in LOCKED_STATES:
		frappe.throw(_("Only an approved compensation is carried out"))
	row = next((r for r in doc.lines if r.name == line), None)
	if row is None:
		frappe.throw(_("Compensation {0} has no such remedy line").format(doc.name))
	row.db_set({"done": 1, "done_reference": (proof or "").strip()}, update_modified=False)
	doc.add_comment("Info", _("{0} done: {1}").format(_(row.remedy), proof or "—"))
	closure.refresh(doc.complaint)


def on_state_change(doc) -> None:
	field = MESSAGE_FIELDS.get(doc.workflow_state)
	if field:
		tell_customer(doc, field)
	if doc.workflow_state == APPROVED:
		complaint = frappe.get_doc("Complaint", doc.complaint)
		# Important and Urgent complaints get the written notice (SPEC §6)
		if complaint.priority in policy.priority_levels()[:2]:
			send_notice_or_record_why(complaint)


def send_notice_or_record_why(complaint) -> None:
	"""The approval stands even when the PDF cannot be produced; the handler is told to resend."""
	from complaint_mgmt.services import notices

	frappe.db.savepoint("handling_notice")
	try:
		notices.send(complaint, notices.HANDLING_NOTICE)
	except Exception as error:
		frappe.db.rollback(save_point="handling_notice")
		frappe.log_error(title=_("Handling notice for {0} not produced").format(complaint.name))
		complaint.add_comment(
			"Info",
			_(
				"The handling notice could not be produced ({0}). Send it again with Send Handling Notice."
			).format(error),
		)


# ------------------------------------------------------------------ failed payments (objections: services/objection.py)
def record_payment_failure(doc, reason: str, new_date, use_fallback: bool) -> None:
	if doc.workflow_state != PAYING:
		frappe.throw(_("Only a payment under way can fail"))
	if not (reason or "").strip() or not new_date:
		frappe.throw(_("Give the reason and the new payment date; the customer is told both"))
	if frappe.utils.getdate(new_date) < frappe.utils.getdate():
		frappe.throw(_("The new payment date cannot be in the past"))
	doc.append(
		"payment_attempts",
		{
			"attempted_at": now_datetime(),
			"route": doc.payment_route,
			"outcome": "Failed",
			"reason": reason,
			"new_date": new_date,
		},
	)
	doc.expected_payment_date = new_date
	if use_fallback:
		doc.payment_route = "Fallback"
	doc.flags.server_change = True
	doc.save()
	tell_customer(doc, "compensation_delayed_text", reason=reason)
