"""Evidence is kept while the retention period runs (SPEC §11: at least 2 years after closure)."""

from __future__ import annotations

import frappe
from frappe import _
from frappe.utils import add_years, getdate, nowdate

from complaint_mgmt.services import policy

EVIDENCE_TABLES = {"Complaint": "evidence", "Complaint Investigation": "evidence"}
# the evidence rows and the field that holds their file
EVIDENCE_ROWS = (("Complaint Evidence", "file"), ("Complaint Investigation Evidence", "attachment"))


def retention_ends(complaint: str):
	"""None while the complaint is open (retention has not started), else the last day."""
	closed_at = frappe.db.get_value("Complaint", complaint, "closed_at")
	if not closed_at:
		return None
	return add_years(getdate(closed_at), policy.settings().evidence_retention_years or 0)


def within_retention(complaint: str) -> bool:
	ends = retention_ends(complaint)
	return ends is None or getdate(nowdate()) <= ends


def complaint_of(doctype: str | None, name: str | None) -> str | None:
	if doctype == "Complaint":
		return name
	if doctype == "Complaint Investigation" and name:
		return frappe.db.get_value("Complaint Investigation", name, "complaint")
	return None


def complaints_using(file_url: str | None) -> set[str]:
	"""The complaints whose evidence rows (their own or their investigations') hold this file."""
	if not file_url:
		return set()
	found = set()
	for doctype, field in EVIDENCE_ROWS:
		for row in frappe.get_all(doctype, filters={field: file_url}, fields=["parent", "parenttype"]):
			found.add(complaint_of(row.parenttype, row.parent))
	return found - {None}


def _refuse(complaint: str) -> None:
	ends = retention_ends(complaint)
	frappe.throw(
		_("Evidence of complaint {0} is kept until {1}: it cannot be deleted before").format(
			complaint, ends or _("two years after closure")
		),
		title=_("Evidence is retained"),
	)


def protect_removed_rows(doc, complaint: str, fieldname: str = "evidence", file_field: str = "file") -> None:
	"""Refuse a save that drops an evidence row carrying a file, inside retention."""
	before = doc.get_doc_before_save()
	if not before:
		return
	now_files = {row.name: row.get(file_field) for row in doc.get(fieldname)}
	lost = [
		row
		for row in before.get(fieldname)
		if row.get(file_field) and now_files.get(row.name) != row.get(file_field)
	]
	if lost and within_retention(complaint):
		_refuse(complaint)


def protect_file(file_doc, method=None) -> None:
	"""doc_events hook: a File attached to a complaint or investigation, or held by one of their
	evidence rows (even once detached), is not deleted inside retention."""
	complaints = complaints_using(file_doc.file_url)
	attached = complaint_of(file_doc.attached_to_doctype, file_doc.attached_to_name)
	for complaint in sorted(complaints | ({attached} if attached else set())):
		if within_retention(complaint):
			_refuse(complaint)


def protect_attachment(file_doc, method=None) -> None:
	"""doc_events hook: evidence stays attached to its complaint inside retention (a detached
	file would no longer be protected from deletion)."""
	before = file_doc.get_doc_before_save()
	if not before:
		return
	complaint = complaint_of(before.attached_to_doctype, before.attached_to_name)
	moved = (file_doc.attached_to_doctype, file_doc.attached_to_name) != (
		before.attached_to_doctype,
		before.attached_to_name,
	)
	if complaint and moved and within_retention(complaint):
		frappe.throw(
			_(
				"Evidence of complaint {0} is kept until {1}: it stays attached to the complaint until then"
			).format(complaint, retention_ends(complaint) or _("two years after closure")),
			title=_("Evidence is retained"),
		)


def protect_record(doc, method=None) -> None:
	"""doc_events hook: complaints and investigations are never deleted inside retention."""
	complaint = doc.name if doc.doctype == "Complaint" else doc.complaint
	if within_retention(complaint):
		_refuse(complaint)
