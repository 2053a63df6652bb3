"""Written documents for the customer and the regulator, rendered as PDF from Print Formats."""

from __future__ import annotations

import os

import frappe
from frappe import _
from frappe.utils import get_url, now_datetime
from frappe.utils.pdf import get_pdf

from complaint_mgmt.services import customer_messages
from complaint_mgmt.utils import offline_html

HANDLING_NOTICE = "Complaint Handling Notice"
REGULATOR_REPORT = "Regulator Explanation Report"


def read_local(path: str) -> bytes | None:
	"""Bytes of an asset or a public file the site serves at `path`, or None."""
	if path.startswith("/assets/"):
		root = os.path.join(os.path.abspath(frappe.local.sites_path), "assets")
	elif path.startswith("/files/"):
		root = os.path.abspath(frappe.get_site_path("public", "files"))
	else:
		return None
	# "/files/../../site_config.json" in a customer's text must not reach the PDF
	full = os.path.normpath(os.path.join(root, path.split("/", 2)[2]))
	if not full.startswith(root + os.sep) or not os.path.isfile(full):
		return None
	with open(full, "rb") as f:
		return f.read()


def render_pdf(doc, print_format: str) -> bytes:
	"""The system renders the notice (an approver may not handle the complaint itself).

	The page is made self-contained first: a background worker renders it without a web server.
	"""
	previous = frappe.flags.ignore_print_permissions
	frappe.flags.ignore_print_permissions = True
	try:
		html = frappe.get_print("Complaint", doc.name, print_format=print_format, doc=doc)
	finally:
		frappe.flags.ignore_print_permissions = previous
	return get_pdf(offline_html.inline(html, read_local, host_urls=(get_url(),)))


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
