"""Written documents for the customer and the regulator, rendered as PDF from Print Formats."""

from __future__ import annotations

import frappe
from frappe import _
from frappe.utils import now_datetime

from complaint_mgmt.services import customer_messages

HANDLING_NOTICE = "Complaint Handling Notice"
REGULATOR_REPORT = "Regulator Explanation Report"


def render_pdf(doc, print_format: str) -> bytes:
	"""The system renders the notice (an approver may not handle the complaint itself)."""
	previous = frappe.flags.ignore_print_permissions
	frappe.flags.ignore_print_permissions = True
	try:
		return frappe.get_print("Complaint", doc.name, print_format=print_format, doc=doc, as_pdf=True)
	finally:
		frappe.flags.ignore_print_permissions = previous


def send(doc, print_format: str = HANDLING_NOTICE) -> str:
	"""Attach the PDF to the complaint (kept with the evidence) and email it when we can."""
	pdf = render_pdf(doc, print_format)
	stamp = now_datetime().strftime("%Y%m%d-%H%M%S")
	file_name = f"{doc.name}-{frappe.scrub(print_format)}-{stamp}.pdf"
	saved = frappe.get_doc(
		{
			"doctype": "File",
			"file_name": file_name,
			"attached_to_doctype": "Complaint",
			"attached_to_name": doc.name,
			"is_private": 1,
			"content": pdf,
		}
	).insert(ignore_permissions=True)
	if print_format == HANDLING_NOTICE and doc.customer_email:
		try:
			customer_messages.require_email_account()
			frappe.sendmail(
				recipients=[doc.customer_email],
				subject=_("Complaint Handling Notice {0}").format(doc.name),
				message=_("Please find the handling notice of your complaint {0} attached.").format(doc.name),
				attachments=[{"fname": file_name, "fcontent": pdf}],
				reference_doctype="Complaint",
				reference_name=doc.name,
			)
			doc.add_comment("Info", _("Handling notice emailed to {0}").format(doc.customer_email))
		except customer_messages.NotSent as why:
			doc.add_comment("Info", _("Handling notice attached; not emailed: {0}").format(why))
	return saved.file_url
