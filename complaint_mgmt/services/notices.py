"""Written documents for the customer and the regulator, rendered as PDF from Print Formats."""

from __future__ import annotations

import copy
import os
from contextlib import suppress

import frappe
from frappe import _
from frappe.utils import get_url
from frappe.utils.pdf import get_pdf

from complaint_mgmt.engine import templates
from complaint_mgmt.services import customer_messages, policy
from complaint_mgmt.utils import offline_html

HANDLING_NOTICE = "Complaint Handling Notice"
REGULATOR_REPORT = "Regulator Explanation Report"
# the print formats a handler may have rendered and sent from a complaint
CUSTOMER_DOCUMENTS = (HANDLING_NOTICE, REGULATOR_REPORT)


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

	The page is made self-contained first: a background worker renders it without a web server,
	and nothing in the customer's description makes the renderer fetch or restyle anything.
	"""
	printable = copy.copy(doc)
	printable.description = offline_html.customer_text(doc.description)
	previous = frappe.flags.ignore_print_permissions
	frappe.flags.ignore_print_permissions = True
	try:
		html = frappe.get_print("Complaint", doc.name, print_format=print_format, doc=printable)
	finally:
		frappe.flags.ignore_print_permissions = previous
	return get_pdf(offline_html.inline(html, read_local, host_urls=(get_url(),)))


def send_later(complaint: str, print_format: str) -> None:
	"""Render and send in a background job once the request commits (a PDF takes seconds);
	tests run the job at once."""
	frappe.enqueue(
		"complaint_mgmt.services.notices.send_in_background",
		complaint=complaint,
		print_format=print_format,
		queue="short",
		enqueue_after_commit=True,
		now=bool(frappe.flags.in_test),
		job_id=f"complaint-notice-{complaint}-{frappe.scrub(print_format)}",
		deduplicate=True,
	)


def send_in_background(complaint: str, print_format: str) -> str:
	return send(frappe.get_doc("Complaint", complaint), print_format)


def send(doc, print_format: str = HANDLING_NOTICE) -> str:
	"""Attach the PDF to the complaint (kept with the evidence) and email it when we can."""
	pdf = render_pdf(doc, print_format)
	# a random part: a notice's address cannot be guessed from the complaint and the time
	file_name = f"{doc.name}-{frappe.scrub(print_format)}-{frappe.generate_hash(length=20)}.pdf"
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
	if print_format == HANDLING_NOTICE:
		deliver(doc, file_name, pdf)
	return saved.file_url


NOTICE_LINK = "/api/method/complaint_mgmt.api.portal.handling_notice?key={key}"


def deliver(doc, file_name: str, pdf: bytes) -> None:
	"""Email the notice as an attachment; a customer without email gets a link by SMS (or a portal
	notification) that opens this notice, and nothing else, without an account. Sent or not, the
	Communication on the timeline records it."""
	key = doc.notice_key or frappe.generate_hash(length=32)
	doc.db_set("notice_key", key, update_modified=False)
	settings = policy.settings()
	template = settings.notice_text_zh if customer_messages.language(doc) == "zh" else settings.notice_text
	text = templates.render(template or "", {"name": doc.name, "link": get_url(NOTICE_LINK.format(key=key))})
	with customer_messages.speaking(doc):
		subject = _("Complaint Handling Notice {0}").format(doc.name)
		html = _("Please find the handling notice of your complaint {0} attached.").format(doc.name)
	with suppress(customer_messages.NotSent):
		customer_messages.send(
			doc,
			subject=subject,
			text=text,
			html=html,
			attachments=[{"fname": file_name, "fcontent": pdf}],
			first="Email" if doc.customer_email else None,
		)


def by_key(key: str | None) -> tuple[str, bytes] | None:
	"""The latest handling notice (file name, PDF) of the complaint a notice link belongs to."""
	if not key or len(key) < 24:
		return None
	complaint = frappe.db.get_value("Complaint", {"notice_key": key})
	if not complaint:
		return None
	prefix = f"{complaint}-{frappe.scrub(HANDLING_NOTICE)}-"
	latest = frappe.get_all(
		"File",
		filters={
			"attached_to_doctype": "Complaint",
			"attached_to_name": complaint,
			"file_name": ["like", f"{prefix}%"],
		},
		fields=["name", "file_name"],
		order_by="creation desc",
		limit=1,
	)
	if not latest:
		return None
	return latest[0].file_name, frappe.get_doc("File", latest[0].name).get_content()
