"""Evidence and documents of a complaint are private Files reached only through the complaint.

A File attached to a complaint or an investigation (evidence, the handling notice…) is
downloaded only by who reaches that complaint and may read its personal fields (permlevel 1).
Nobody makes such a file public, moves it, or creates a second File record pointing at its URL
to reach it from elsewhere: Frappe would let the owner of that second record download it.
"""

from __future__ import annotations

import frappe
from frappe import _

from complaint_mgmt import permissions
from complaint_mgmt.services import evidence

ATTACHED_TO = ("Complaint", "Complaint Investigation")


def complaints_using(file_url: str | None, exclude: str | None = None) -> set[str]:
	"""The complaints whose private files are stored at ``file_url``."""
	if not file_url:
		return set()
	rows = frappe.get_all(
		"File",
		filters={
			"file_url": file_url,
			"is_private": 1,
			"attached_to_doctype": ["in", ATTACHED_TO],
			"name": ["!=", exclude or ""],
		},
		fields=["attached_to_doctype", "attached_to_name"],
	)
	return {c for c in (evidence.complaint_of(r.attached_to_doctype, r.attached_to_name) for r in rows) if c}


def reads_personal_data(user: str) -> bool:
	return 1 in frappe.get_meta("Complaint").get_permlevel_access("read", user=user)


def may_open(complaint: str, user: str | None = None) -> bool:
	"""Whether ``user`` may open the evidence and documents of ``complaint``."""
	user = user or frappe.session.user
	if user == "Administrator":
		return True
	return (
		reads_personal_data(user)
		and frappe.has_permission("Complaint", "read", doc=complaint, user=user)
		and permissions.complaint_reached(complaint, user)
	)


def own_upload(complaint: str, file_doc, user: str | None = None) -> bool:
	"""The customer's own upload on the portal: the website account that filed ``complaint`` keeps
	reaching the file it sent, also once the file has become the complaint's evidence."""
	user = user or frappe.session.user
	if user == "Guest" or file_doc.owner != user:
		return False
	return frappe.db.get_value("Complaint", complaint, "portal_user") == user


def may_download(file_doc, user: str | None = None) -> bool:
	complaints = complaints_using(file_doc.file_url) | {
		c
		for c in [evidence.complaint_of(file_doc.attached_to_doctype, file_doc.attached_to_name)]
		if c and file_doc.is_private
	}
	return all(may_open(c, user) or own_upload(c, file_doc, user) for c in complaints)


def file_has_permission(doc, ptype: str = "read", user: str | None = None) -> bool | None:
	"""has_permission hook: a complaint's file is reached through the complaint only."""
	if ptype == "create" and doc.is_new():
		return None  # checked in `guard` once the URL is known
	return None if may_download(doc, user) else False


def file_query_conditions(user: str | None = None) -> str:
	"""Files of complaints (and their investigations) the user does not reach are not listed."""
	user = user or frappe.session.user
	if user == "Administrator":
		return ""
	others = "ifnull(`tabFile`.`attached_to_doctype`, '') not in ('Complaint', 'Complaint Investigation')"
	if not reads_personal_data(user):
		return f"({others})"
	condition = permissions.reached_conditions(user)
	if not condition:
		return ""
	reached = f"select `tabComplaint`.`name` from `tabComplaint` where {condition}"
	return (
		f"({others}"
		f" or (`tabFile`.`attached_to_doctype` = 'Complaint' and `tabFile`.`attached_to_name` in ({reached}))"
		" or (`tabFile`.`attached_to_doctype` = 'Complaint Investigation' and `tabFile`.`attached_to_name` in"
		f" (select `tabComplaint Investigation`.`name` from `tabComplaint Investigation`"
		f" where `tabComplaint Investigation`.`complaint` in ({reached}))))"
	)


def guard(doc, method=None) -> None:
	"""doc_events File before_validate (before Frappe moves a file going public): a complaint's file stays private, in place, and is not re-linked."""
	if doc.is_folder:
		return
	before = doc.get_doc_before_save()
	if before and before.is_private and before.attached_to_doctype in ATTACHED_TO:
		moved = (doc.attached_to_doctype, doc.attached_to_name, doc.file_url) != (
			before.attached_to_doctype,
			before.attached_to_name,
			before.file_url,
		)
		if moved or not doc.is_private:
			frappe.throw(
				_("Evidence and documents of a complaint stay private and attached to it"),
				frappe.PermissionError,
				title=_("Not allowed"),
			)
	url = before.file_url if before else doc.file_url
	shared = complaints_using(url, exclude=doc.name) | complaints_using(doc.file_url, exclude=doc.name)
	if not shared:
		return
	if before and (doc.file_url != before.file_url or doc.is_private != before.is_private):
		frappe.throw(
			_("This file is evidence of a complaint: it stays private where it is"),
			frappe.PermissionError,
			title=_("Not allowed"),
		)
	own = evidence.complaint_of(doc.attached_to_doctype, doc.attached_to_name)
	if doc.is_new() and not all(c == own or may_open(c) for c in shared):
		frappe.throw(
			_("You do not have permission to use this file"), frappe.PermissionError, title=_("Not allowed")
		)
