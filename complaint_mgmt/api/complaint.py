"""Whitelisted endpoints for complaints (desk buttons, integrations of other channels).

Arguments are checked by `input_check` (a translated message naming the argument) rather than by
type hints, whose refusals Frappe words in English only.
"""

from __future__ import annotations

import frappe
from frappe import _

from complaint_mgmt.services import acknowledgement, input_check, link_search
from complaint_mgmt.services import priority as priorities
from complaint_mgmt.services.errors import throw_policy

INTAKE_FIELDS = (
	"subject", "channel", "complaint_type", "description", "expected_resolution", "expected_resolution_detail",
	"customer_name", "customer_phone", "customer_email", "customer_language", "customer_tier",
	"sender_address", "recipient_address", "waybill_no", "order_time", "ship_date", "batch_no",
	"service_type", "route", "origin_branch", "destination_branch", "goods_category", "goods_value",
	"freight", "declared_value", "is_insured", "insured_value", "group_size", "media_involved",
	"media_details", "regulator_involved", "regulator_intent", "regulator_details", "force_majeure",
	"evidence_consent", "received_at",
)  # fmt: skip


@frappe.whitelist(methods=["POST"])
def change_priority(name, priority, reason=None) -> str:
	"""Change a complaint's priority by hand; lowering needs the configured role and a reason."""
	doc = input_check.document("Complaint", name)
	doc.check_permission("write")
	priority = input_check.text_argument(priority, "Priority")
	reason = input_check.text_argument(reason, "Reason")
	priorities.change_priority(doc, priority, (reason or "").strip() or None)
	doc.flags.server_change = True
	doc.save()
	return doc.priority


@frappe.whitelist(methods=["POST"])
def create(intake_reference, **fields) -> str:
	"""Record a complaint from another channel's system. Retrying with the same
	``intake_reference`` returns the complaint already created instead of a second one."""
	intake_reference = input_check.text_argument(intake_reference, "Intake Reference")
	if not (intake_reference or "").strip():
		frappe.throw(_("An intake reference is required so that a retried request is not recorded twice"))
	frappe.has_permission("Complaint", "create", throw=True)
	existing = frappe.db.get_value("Complaint", {"intake_reference": intake_reference})
	if existing:
		return existing
	values = {k: v for k, v in fields.items() if k in INTAKE_FIELDS}
	doc = frappe.get_doc({"doctype": "Complaint", "intake_reference": intake_reference, **values})
	doc.flags.server_change = True  # the intake reference is ours to set
	try:
		doc.insert()
	except frappe.DuplicateEntryError:
		# a concurrent retry won the race
		frappe.db.rollback()
		return frappe.db.get_value("Complaint", {"intake_reference": intake_reference})
	return doc.name


@frappe.whitelist(methods=["POST"])
def grant_extension(name, hours, reason, milestone="Investigation Report") -> str:
	"""Extend a deadline once, before it passes, and tell the customer the new time."""
	from complaint_mgmt.engine.errors import PolicyViolation
	from complaint_mgmt.services import customer_messages, sla

	reason = input_check.text_argument(reason, "Reason")
	milestone = input_check.text_argument(milestone, "Milestone")
	hours = input_check.number_argument(hours, "Hours")
	if not (reason or "").strip():
		frappe.throw(_("A reason is required to extend a deadline"))
	doc = input_check.document("Complaint", name)
	doc.check_permission("write")
	try:
		due = sla.grant_extension(doc, milestone, hours, reason)
	except PolicyViolation as error:
		throw_policy(error)
	doc.flags.server_change = True
	doc.save()
	customer_messages.send_extension_notice(doc, due, reason)
	doc.add_comment("Info", _("{0} deadline extended to {1}: {2}").format(_(milestone), due, reason))
	return str(due)


@frappe.whitelist(methods=["POST"])
def record_acknowledgement(
	name: str, via: str, acknowledged_at: str | None = None, note: str | None = None
) -> str:
	"""Record an acknowledgement made by hand (how, when; by the current user): it meets the
	Acknowledge deadline at that time and appears on the timeline."""
	doc = frappe.get_doc("Complaint", name)
	doc.check_permission("write")
	acknowledgement.record(doc, via, acknowledged_at, note)
	return str(doc.acknowledged_at)


@frappe.whitelist()
@frappe.validate_and_sanitize_search_inputs
def search(doctype, txt, searchfield, start, page_len, filters, **kwargs) -> list[tuple]:
	"""Link-field search (hook `standard_queries`): only over fields the reader may read."""
	return link_search.complaints(txt, start, page_len, filters)
