"""Evidence is kept while the retention period runs (SPEC §11: at least 2 years after closure)."""

from __future__ import annotations

import frappe
from frappe import _
from frappe.utils import add_years, getdate, nowdate

from complaint_mgmt.services import policy

EVIDENCE_TABLES = {"Complaint": "evidence", "Complaint Investigation": "evidence"}


def retention_ends(complaint: str):
	"""None while the complaint is open (retention has not started), else the last day."""
	closed_at = frappe.db.get_value("Complaint", complaint, "closed_at")
	if not closed_at:
		return None
	return add_years(getdate(closed_at), policy.settings().evidence_retention_years or 0)


def within_retention(complaint: str) -> bool:
	ends = retention_ends(complaint)
	return ends is None or getdate(nowdate()) <= ends


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
	"""doc_events hook: a File attached to a complaint or investigation is not deleted inside retention."""
	if file_doc.attached_to_doctype not in EVIDENCE_TABLES or not file_doc.attached_to_name:
		return
	complaint = file_doc.attached_to_name
	if file_doc.attached_to_doctype == "Complaint Investigation":
		complaint = frappe.db.get_value("Complaint Investigation", file_doc.attached_to_name, "complaint")
	if complaint and within_retention(complaint):
		_refuse(complaint)


def protect_record(doc, method=None) -> None:
	"""doc_events hook: complaints and investigations are never deleted inside retention."""
	complaint = doc.name if doc.doctype == "Complaint" else doc.complaint
	if within_retention(complaint):
		_refuse(complaint)
