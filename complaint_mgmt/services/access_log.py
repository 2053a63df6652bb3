"""Who opened a complaint's personal data or evidence, and when (SPEC §11).

Frappe logs most of it itself: opening the form writes a View Log (Complaint tracks views); the
`/printview` page, the PDF download (rendered through that page) and every private file download
write an Access Log. The REST reads and the desk's print preview write nothing; `log_request` (an
`after_request` hook) adds an Access Log for those. The *Personal Data Access* report reads both logs per complaint or customer.
"""

from __future__ import annotations

import re

import frappe
from frappe import _
from frappe.core.doctype.access_log.access_log import make_access_log

from complaint_mgmt.services import policy

DOCTYPE = "Complaint"
REPORT = "Personal Data Access"
ALWAYS_AUDITS = "System Manager"

REST_PATH = re.compile(
	r"^/api/(?:v1/)?resource/Complaint/(?P<name>[^/]+)/?$|^/api/v2/document/Complaint/(?P<v2>[^/]+)/?$"
)
METHOD_PATH = re.compile(r"^/api/(?:v1/|v2/)?method/(?P<method>[^/]+)/?$")
# whitelisted reads that render a complaint: method → (argument naming the DocType, argument naming
# the record, how the access is labelled in the log)
READ_METHODS = {
	"frappe.client.get": ("doctype", "name", "REST"),
	"frappe.www.printview.get_html_and_style": ("doc", "name", "Print"),
}
# how each access is labelled in the report (translated when shown)
LABELS = ("Form", "REST", "Print", "File")


def _read_of_complaint(request) -> tuple[str, str] | None:
	"""(complaint, access label) when the request read one complaint, else None."""
	match = REST_PATH.match(request.path)
	if match:
		return (match.group("name") or match.group("v2")), "REST"
	match = METHOD_PATH.match(request.path)
	if not match or match.group("method") not in READ_METHODS:
		return None
	doctype_arg, name_arg, label = READ_METHODS[match.group("method")]
	form = frappe.local.form_dict or {}
	name = form.get(name_arg)
	if form.get(doctype_arg) != DOCTYPE or not isinstance(name, str) or not name:
		return None
	return name, label


def log_request(response=None, request=None) -> None:
	"""after_request hook: a successful read of a complaint Frappe does not log itself."""
	if response is None or request is None or response.status_code != 200:
		return
	found = _read_of_complaint(request)
	session = getattr(frappe.local, "session", None)
	if not found or not session or session.user == "Guest":
		return
	name, label = found
	# the request's own transaction is committed already; make_access_log commits its row
	make_access_log(doctype=DOCTYPE, document=name, method=label)


def auditor_roles() -> set[str]:
	return {row.role for row in policy.settings().get("access_log_roles") or []} | {ALWAYS_AUDITS}


def require_auditor() -> None:
	if frappe.session.user == "Administrator":
		return
	if not auditor_roles() & set(frappe.get_roles()):
		frappe.throw(
			_("Only the roles named in Complaint Settings may read who accessed personal data"),
			frappe.PermissionError,
		)


def sync_report_roles(doc=None, method=None) -> None:
	"""The report's own role list follows the settings (so the desk shows it to them only)."""
	if not frappe.db.exists("Report", REPORT):
		return
	wanted = sorted(auditor_roles())
	rows = {"parent": REPORT, "parenttype": "Report", "parentfield": "roles"}
	if sorted(frappe.get_all("Has Role", filters=rows, pluck="role")) == wanted:
		return
	# a standard report saves only in developer mode; its roles are plain child rows
	frappe.db.delete("Has Role", rows)
	for idx, role in enumerate(wanted, start=1):
		frappe.get_doc({"doctype": "Has Role", **rows, "role": role, "idx": idx}).db_insert()
	frappe.clear_cache(doctype="Report")


def matching_complaints(complaint: str | None, phone: str | None, email: str | None) -> list[str]:
	if not (complaint or phone or email):
		frappe.throw(_("Choose a complaint, or enter the customer's phone or email"))
	c = frappe.qb.DocType(DOCTYPE)
	query = frappe.qb.from_(c).select(c.name)
	if complaint:
		query = query.where(c.name == complaint)
	if phone:
		query = query.where(c.customer_phone == phone.strip())
	if email:
		query = query.where(c.customer_email == email.strip())
	return query.run(pluck=True)


def _evidence_files(complaints: list[str]) -> dict[str, tuple[str, str]]:
	"""File name → (complaint, file name shown) for files on the complaints or their investigations."""
	inv = frappe.qb.DocType("Complaint Investigation")
	investigations = dict(
		frappe.qb.from_(inv).select(inv.name, inv.complaint).where(inv.complaint.isin(complaints)).run()
	)
	f = frappe.qb.DocType("File")
	rows = (
		frappe.qb.from_(f)
		.select(f.name, f.file_name, f.attached_to_doctype, f.attached_to_name)
		.where(
			((f.attached_to_doctype == DOCTYPE) & f.attached_to_name.isin(complaints))
			| (
				(f.attached_to_doctype == "Complaint Investigation")
				& f.attached_to_name.isin(list(investigations) or [""])
			)
		)
		.run()
	)
	return {
		name: (investigations.get(attached_to, attached_to) if doctype != DOCTYPE else attached_to, file_name)
		for name, file_name, doctype, attached_to in rows
	}


def accesses(complaints: list[str], from_date=None, to_date=None) -> list[dict]:
	"""Every logged access to the complaints, newest first."""
	if not complaints:
		return []
	rows = []
	view = frappe.qb.DocType("View Log")
	query = (
		frappe.qb.from_(view)
		.select(view.creation, view.viewed_by, view.reference_name)
		.where((view.reference_doctype == DOCTYPE) & view.reference_name.isin(complaints))
	)
	for at, user, complaint in _dated(query, view.creation, from_date, to_date).run():
		rows.append(_row(at, user, complaint, "Form", ""))

	log = frappe.qb.DocType("Access Log")
	query = (
		frappe.qb.from_(log)
		.select(log.creation, log.user, log.reference_document, log.method)
		.where((log.export_from == DOCTYPE) & log.reference_document.isin(complaints))
	)
	for at, user, complaint, method in _dated(query, log.creation, from_date, to_date).run():
		rows.append(_row(at, user, complaint, method if method in LABELS else "REST", ""))

	files = _evidence_files(complaints)
	if files:
		query = (
			frappe.qb.from_(log)
			.select(log.creation, log.user, log.reference_document)
			.where((log.export_from == "File") & log.reference_document.isin(list(files)))
		)
		for at, user, file in _dated(query, log.creation, from_date, to_date).run():
			complaint, file_name = files[file]
			rows.append(_row(at, user, complaint, "File", file_name))
	rows.sort(key=lambda row: row["accessed_at"], reverse=True)
	return rows


def _dated(query, column, from_date, to_date):
	if from_date:
		query = query.where(column >= frappe.utils.get_datetime(from_date))
	if to_date:
		query = query.where(column < frappe.utils.add_days(frappe.utils.getdate(to_date), 1))
	return query


def _row(at, user, complaint, access, detail) -> dict:
	return {
		"accessed_at": at,
		"user": user,
		"full_name": frappe.utils.get_fullname(user),
		"complaint": complaint,
		"access": _(access),
		"detail": detail,
	}
