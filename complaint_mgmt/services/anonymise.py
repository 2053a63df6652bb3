"""Anonymise one complaint past its retention and leave no copy of its personal data behind.

Kept (the statistics): type, channel, dates, priority, department, owners, amounts, SLA rows,
escalations, scores. Gone: the customer's name, phone, email, addresses, account, waybill and
words (description, objections, survey comment), every file of the complaint, its investigations
and its messages, and every copy of those values in Version rows, Communications, Comments,
notifications, the email queue, SMS logs and Deleted Documents. Updates go straight to the tables
(no controller runs, so no new Version or Deleted Document is written while purging).
"""

from __future__ import annotations

import json

import frappe
from frappe import _

from complaint_mgmt.services import customers

PURGED = "[purged]"
# fields that hold the customer's own data or words, besides every permlevel ≥ 1 field
PERSONAL_FIELDS = {
	"Complaint": (
		"customer_name",
		"customer_phone",
		"customer_email",
		"sender_address",
		"recipient_address",
		"portal_user",
		"customer_link",
		"waybill_no",
		"description",
		"expected_resolution_detail",
		"media_details",
		"regulator_details",
		"ack_detail",
		"resolution_summary",
		"rejection_reason",
		"portal_attachment",
		"survey_key",
		"intake_reference",
	),
	"Complaint Evidence": ("file", "description"),
	"Complaint Investigation Evidence": ("attachment", "notes"),
	"Complaint Survey": ("comment",),
	"Compensation": ("objection_reason",),
}
# text fields of related records where a copy of a personal value may stand inside staff prose
TEXT_FIELDS = {
	"Complaint Investigation": ("findings", "preliminary_report", "node_detail", "improvement_measure"),
	"Complaint Priority Change": ("reason",),
	"Compensation": ("suggested_upgrades", "improvement_measure"),
	"Complaint Escalation": ("reason", "actions_taken"),
	"Comment": ("content",),
	"ToDo": ("description",),
	"Notification Log": ("subject", "email_content"),
}
COMMUNICATION_FIELDS = ("sender", "sender_full_name", "recipients", "cc", "bcc", "phone_no", "_user_tags")


def personal_fields(doctype: str) -> set[str]:
	if not doctype:
		return set()
	meta = frappe.get_meta(doctype)
	by_level = {df.fieldname for df in meta.fields if df.permlevel and df.fieldtype not in ("Table",)}
	return by_level | {field for field in PERSONAL_FIELDS.get(doctype, ()) if meta.get_field(field)}


def complaint(name: str, request: str) -> int:
	"""Anonymise the complaint; returns how many files were removed."""
	doc = frappe.get_doc("Complaint", name)
	secrets = _values(doc)
	related = _related(name)
	removed = _remove_files(doc, related)

	fields = personal_fields("Complaint")
	values = dict.fromkeys(fields)
	values.update(customer_name=PURGED, description=PURGED, subject=doc.complaint_type or PURGED)
	values["_comments"] = None
	frappe.db.set_value("Complaint", name, values, update_modified=False)
	customers.forget(doc.customer, PURGED)  # issue 12: the customer's record and shipments
	_blank_rows("Complaint Evidence", {"parent": name, "parenttype": "Complaint"})
	for investigation in related["Complaint Investigation"]:
		_blank_rows("Complaint Investigation Evidence", {"parent": investigation})
	_blank_records("Complaint Survey", related["Complaint Survey"])
	_blank_records("Compensation", related["Compensation"])

	_scrub_texts(related, secrets)
	_scrub_versions(related, secrets)
	_scrub_messages(name, related, secrets)
	_drop_deleted_copies(related)
	frappe.get_doc(
		{
			"doctype": "Comment",
			"comment_type": "Info",
			"reference_doctype": "Complaint",
			"reference_name": name,
			"content": _("Personal data purged after retention (purge request {0})").format(request),
		}
	).insert(ignore_permissions=True)
	return removed


def _values(doc) -> list[str]:
	"""The personal values to hunt for in copies, longest first (a name inside an address…)."""
	found = {doc.get(field) for field in personal_fields("Complaint") if isinstance(doc.get(field), str)}
	found |= {row.file for row in doc.evidence if row.file} | {row.description for row in doc.evidence}
	found = {value.strip() for value in found if value and len(value.strip()) >= 2}
	return sorted(found, key=len, reverse=True)


def _related(name: str) -> dict[str, list[str]]:
	related = {"Complaint": [name]}
	for doctype in ("Complaint Investigation", "Complaint Survey", "Compensation", "Complaint Escalation"):
		related[doctype] = frappe.get_all(doctype, filters={"complaint": name}, pluck="name")
	related["Communication"] = frappe.get_all(
		"Communication",
		filters={"reference_doctype": ["in", list(related)], "reference_name": ["in", _all(related)]},
		pluck="name",
	)
	return related


def _all(related: dict[str, list[str]]) -> list[str]:
	return [name for names in related.values() for name in names] or [""]


def _remove_files(doc, related) -> int:
	"""Files attached to the complaint or its records, and any File record of an evidence URL."""
	urls = {row.file for row in doc.evidence} | {doc.portal_attachment}
	for investigation in related["Complaint Investigation"]:
		urls |= set(
			frappe.get_all(
				"Complaint Investigation Evidence", filters={"parent": investigation}, pluck="attachment"
			)
		)
	urls -= {None, ""}
	f = frappe.qb.DocType("File")
	files = set(
		frappe.qb.from_(f)
		.select(f.name)
		.where(f.attached_to_doctype.isin(list(related)) & f.attached_to_name.isin(_all(related)))
		.run(pluck=True)
	)
	if urls:
		files |= set(frappe.qb.from_(f).select(f.name).where(f.file_url.isin(list(urls))).run(pluck=True))
	for file in files:
		frappe.delete_doc("File", file, ignore_permissions=True, force=True, delete_permanently=True)
	return len(files)


def _blank_rows(doctype: str, filters: dict) -> None:
	fields = personal_fields(doctype)
	for row in frappe.get_all(doctype, filters=filters, pluck="name"):
		frappe.db.set_value(doctype, row, dict.fromkeys(fields), update_modified=False)


def _blank_records(doctype: str, names: list[str]) -> None:
	fields = personal_fields(doctype)
	for name in names:
		frappe.db.set_value(doctype, name, dict.fromkeys(fields), update_modified=False)


def scrub(value, secrets: list[str]):
	"""`value` with every personal value replaced, inside lists and dicts too."""
	if isinstance(value, str):
		for secret in secrets:
			value = value.replace(secret, PURGED)
		return value
	if isinstance(value, list):
		return [scrub(item, secrets) for item in value]
	if isinstance(value, dict):
		return {key: scrub(item, secrets) for key, item in value.items()}
	return value


def _scrub_texts(related, secrets) -> None:
	references = {
		"Comment": ("reference_name", _all(related)),
		"ToDo": ("reference_name", _all(related)),
		"Notification Log": ("document_name", _all(related)),
		"Complaint Priority Change": ("parent", related["Complaint"]),
	}
	for doctype, fields in TEXT_FIELDS.items():
		field, names = references.get(doctype, ("name", related.get(doctype) or [""]))
		for row in frappe.get_all(doctype, filters={field: ["in", names]}, fields=["name", *fields]):
			changed = {
				f: scrub(row[f], secrets) for f in fields if row[f] and scrub(row[f], secrets) != row[f]
			}
			if changed:
				frappe.db.set_value(doctype, row.name, changed, update_modified=False)


def _scrub_versions(related, secrets) -> None:
	"""Version rows keep who changed what and when; personal values become PURGED."""
	for row in frappe.get_all(
		"Version",
		filters={"ref_doctype": ["in", list(related)], "docname": ["in", _all(related)]},
		fields=["name", "ref_doctype", "data"],
	):
		data = json.loads(row.data or "{}")
		meta = frappe.get_meta(row.ref_doctype)
		_purge_changes(data.get("changed"), personal_fields(row.ref_doctype))
		for key in ("added", "removed"):
			for table, child in data.get(key) or []:
				for field in personal_fields(_child_doctype(meta, table)):
					if child.get(field):
						child[field] = PURGED
		for table, _idx, _row, changes in data.get("row_changed") or []:
			_purge_changes(changes, personal_fields(_child_doctype(meta, table)))
		frappe.db.set_value(
			"Version", row.name, "data", json.dumps(scrub(data, secrets)), update_modified=False
		)


def _child_doctype(meta, table: str) -> str:
	df = meta.get_field(table)
	return df.options if df else ""


def _purge_changes(changes, personal: set[str]) -> None:
	for change in changes or []:
		if change[0] in personal:
			change[1:] = [PURGED if value else value for value in change[1:]]


def _scrub_messages(name, related, secrets) -> None:
	for comm in related["Communication"]:
		values = dict.fromkeys(COMMUNICATION_FIELDS)
		subject = frappe.db.get_value("Communication", comm, "subject")
		values.update(content=PURGED, subject=scrub(subject, secrets))
		frappe.db.set_value("Communication", comm, values, update_modified=False)
	queue = frappe.get_all(
		"Email Queue",
		filters={"reference_doctype": ["in", list(related)], "reference_name": ["in", _all(related)]},
		pluck="name",
	)
	if queue:
		frappe.db.delete("Email Queue Recipient", {"parent": ["in", queue]})
		frappe.db.delete("Email Queue", {"name": ["in", queue]})
	if not frappe.db.table_exists("SMS Log"):
		return
	sms = frappe.qb.DocType("SMS Log")
	for row in frappe.qb.from_(sms).select(sms.name).where(sms.message.like(f"%{name}%")).run(pluck=True):
		frappe.db.set_value(
			"SMS Log",
			row,
			{"message": PURGED, "requested_numbers": PURGED, "sent_to": PURGED},
			update_modified=False,
		)


def _drop_deleted_copies(related) -> None:
	"""A Deleted Document is a full copy: those of the complaint's records and files go."""
	deleted = frappe.qb.DocType("Deleted Document")
	condition = deleted.deleted_name.isin(_all(related))
	for name in related["Complaint"]:
		condition = condition | deleted.data.like(f'%"{name}"%')
	frappe.qb.from_(deleted).delete().where(condition).run()
