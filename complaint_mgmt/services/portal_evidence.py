"""Evidence sent with a complaint: the customer's consent, and the file of the portal form made a
private evidence row of the complaint."""

from __future__ import annotations

import frappe
from frappe import _
from frappe.utils import add_to_date, now_datetime


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
