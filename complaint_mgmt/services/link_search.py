"""Link-field search over complaints that never matches, nor shows, a field the reader cannot read.

Frappe's own search matches the typed text against every search field (the customer's name among
them) and lists their values under each result: a reader without access to personal data would
learn whose complaint it is by typing names. Here the search fields are those the reader may read.
"""

from __future__ import annotations

import frappe

from complaint_mgmt import permissions

SEARCHABLE = {"Data", "Link", "Select", "Small Text", "Text", "Read Only"}


def reader_search_fields(user: str) -> list[str]:
	meta = frappe.get_meta("Complaint")
	hidden = permissions.hidden_fields("Complaint", user)
	wanted = ["name", meta.title_field, *meta.get_search_fields()]
	fields: list[str] = []
	for field in wanted:
		if field and field not in hidden and field not in fields:
			fields.append(field)
	return fields


def complaints(txt: str, start: int, page_len: int, filters) -> list[tuple]:
	"""(name, title, other search fields…) of the complaints the reader reaches whose readable
	search fields contain ``txt``."""
	meta = frappe.get_meta("Complaint")
	fields = reader_search_fields(frappe.session.user)
	or_filters = None
	if txt:
		or_filters = [
			[field, "like", f"%{txt}%"]
			for field in fields
			if field == "name" or (meta.get_field(field) and meta.get_field(field).fieldtype in SEARCHABLE)
		]
	return frappe.get_list(
		"Complaint",
		fields=fields,
		filters=filters or None,
		or_filters=or_filters,
		start=start,
		page_length=page_len,
		order_by="received_at desc",
		as_list=True,
	)
