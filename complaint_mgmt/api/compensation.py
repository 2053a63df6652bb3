"""Whitelisted endpoints for compensations, investigations and customer documents.

Arguments are checked by `input_check` (translated refusals) rather than by type hints.
"""

from __future__ import annotations

import frappe
from frappe import _

from complaint_mgmt.services import compensation, input_check, notices, objection


@frappe.whitelist(methods=["POST"])
def suggest(name) -> list[dict]:
	"""Refill a draft compensation's remedies from the scenario matrix (each number explained)."""
	doc = input_check.document("Compensation", name)
	doc.check_permission("write")
	if doc.workflow_state not in (None, "", "Draft"):
		frappe.throw(_("Only a draft compensation can be recalculated"))
	compensation.suggest(doc)
	doc.flags.server_change = True
	doc.save()
	return [line.as_dict() for line in doc.lines]


@frappe.whitelist(methods=["POST"])
def record_objection(name, reason) -> None:
	"""The customer objects: recorded with its reason, and the re-evaluation clock starts (refused
	once the compensation is being paid, paid, rejected or cancelled)."""
	doc = input_check.document("Compensation", name)
	doc.check_permission("write")
	objection.record_objection(doc, input_check.text_argument(reason, "Reason"))


@frappe.whitelist(methods=["POST"])
def record_reevaluation(name, outcome, note) -> None:
	"""The objection is re-evaluated (offer revised or upheld): the re-evaluation clock is met."""
	doc = input_check.document("Compensation", name)
	doc.check_permission("write")
	objection.record_reevaluation(
		doc, input_check.text_argument(outcome, "Outcome"), input_check.text_argument(note, "Note")
	)


@frappe.whitelist(methods=["POST"])
def record_payment_failure(name, reason, new_date, use_fallback=0) -> None:
	"""A payment failed: recorded with its reason; the customer is told the new date."""
	doc = input_check.document("Compensation", name)
	doc.check_permission("write")
	compensation.record_payment_failure(
		doc,
		input_check.text_argument(reason, "Reason"),
		input_check.date_argument(new_date, "New Payment Date"),
		input_check.whole_argument(use_fallback or 0, "Use the Fallback Route"),
	)


@frappe.whitelist(methods=["POST"])
def record_done(name: str, line: str, proof: str = "") -> None:
	"""A remedy carried out (reshipment signed, voucher issued…), recorded with its proof."""
	doc = frappe.get_doc("Compensation", name)
	frappe.get_doc("Complaint", doc.complaint).check_permission("write")
	compensation.record_done(doc, line, proof)


@frappe.whitelist(methods=["POST"])
def send_handling_notice(complaint, print_format=notices.HANDLING_NOTICE) -> str:
	"""Render one of the app's notices as a PDF in the background, attach it to the complaint and
	email it to the customer; answers what the handler is told."""
	doc = input_check.document("Complaint", complaint)
	doc.check_permission("write")
	print_format = input_check.text_argument(print_format, "Print Format")
	if print_format not in notices.CUSTOMER_DOCUMENTS:
		frappe.throw(
			_("Only these documents can be sent: {0}").format(
				", ".join(_(f) for f in notices.CUSTOMER_DOCUMENTS)
			)
		)
	notices.send_later(doc.name, print_format)
	return _("{0} is being produced; it appears in the attachments in a moment").format(_(print_format))


@frappe.whitelist(methods=["POST"])
def submit_investigation_report(name) -> None:
	"""Submit the preliminary report: the complaint's investigation deadline is met."""
	from complaint_mgmt.services import investigation

	doc = input_check.document("Complaint Investigation", name)
	doc.check_permission("write")
	investigation.submit_report(doc)


@frappe.whitelist(methods=["POST"])
def request_customer_evidence(name) -> int:
	"""Ask the customer for the evidence only they have; reminders follow daily."""
	from complaint_mgmt.services import investigation

	doc = input_check.document("Complaint Investigation", name)
	doc.check_permission("write")
	return investigation.request_from_customer(doc)


@frappe.whitelist(methods=["POST"])
def record_acceptance(name) -> None:
	"""The customer accepts the solution (the complaint can then be executed and closed)."""
	doc = input_check.document("Compensation", name)
	doc.check_permission("write")
	complaint = frappe.get_doc("Complaint", doc.complaint)
	complaint.check_permission("write")
	doc.customer_response = "Accepted"
	# the customer answers in whatever state the compensation is; who records it was checked above
	doc.flags.server_change = doc.flags.workflow_edit_checked = True
	doc.save()
	complaint.db_set("customer_accepted", 1)
