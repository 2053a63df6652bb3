"""Whitelisted endpoints for compensations, investigations and customer documents."""

from __future__ import annotations

import frappe
from frappe import _

from complaint_mgmt.services import compensation, notices


@frappe.whitelist(methods=["POST"])
def suggest(name: str) -> list[dict]:
	"""Refill a draft compensation's remedies from the scenario matrix (each number explained)."""
	doc = frappe.get_doc("Compensation", name)
	doc.check_permission("write")
	if doc.workflow_state not in (None, "", "Draft"):
		frappe.throw(_("Only a draft compensation can be recalculated"))
	compensation.suggest(doc)
	doc.save()
	return [line.as_dict() for line in doc.lines]


@frappe.whitelist(methods=["POST"])
def record_objection(name: str, reason: str) -> None:
	"""The customer objects: recorded with its reason, and the 2 h re-evaluation clock starts."""
	doc = frappe.get_doc("Compensation", name)
	doc.check_permission("write")
	compensation.record_objection(doc, reason)


@frappe.whitelist(methods=["POST"])
def record_payment_failure(name: str, reason: str, new_date: str, use_fallback: bool = False) -> None:
	"""A payment failed: recorded with its reason; the customer is told the new date."""
	doc = frappe.get_doc("Compensation", name)
	doc.check_permission("write")
	compensation.record_payment_failure(doc, reason, new_date, frappe.utils.cint(use_fallback))


@frappe.whitelist(methods=["POST"])
def record_done(name: str, line: str, proof: str = "") -> None:
	"""A remedy carried out (reshipment signed, voucher issued…), recorded with its proof."""
	doc = frappe.get_doc("Compensation", name)
	frappe.get_doc("Complaint", doc.complaint).check_permission("write")
	compensation.record_done(doc, line, proof)


@frappe.whitelist(methods=["POST"])
def send_handling_notice(complaint: str, print_format: str = notices.HANDLING_NOTICE) -> str:
	"""Render the notice as a PDF, attach it to the complaint and email it to the customer."""
	doc = frappe.get_doc("Complaint", complaint)
	doc.check_permission("write")
	return notices.send(doc, print_format)


@frappe.whitelist(methods=["POST"])
def submit_investigation_report(name: str) -> None:
	"""Submit the preliminary report: the complaint's investigation deadline is met."""
	from complaint_mgmt.services import investigation

	doc = frappe.get_doc("Complaint Investigation", name)
	doc.check_permission("write")
	investigation.submit_report(doc)


@frappe.whitelist(methods=["POST"])
def request_customer_evidence(name: str) -> int:
	"""Ask the customer for the evidence only they have; reminders follow daily."""
	from complaint_mgmt.services import investigation

	doc = frappe.get_doc("Complaint Investigation", name)
	doc.check_permission("write")
	return investigation.request_from_customer(doc)


@frappe.whitelist(methods=["POST"])
def record_acceptance(name: str) -> None:
	"""The customer accepts the solution (the complaint can then be executed and closed)."""
	doc = frappe.get_doc("Compensation", name)
	doc.check_permission("write")
	doc.customer_response = "Accepted"
	doc.save()
	frappe.db.set_value("Complaint", doc.complaint, "customer_accepted", 1)
