"""The customer's complaint form: only the complaint types a customer can pick, in their language."""

from __future__ import annotations

import frappe
from frappe import _


def get_context(context):
	"""Offer the enabled sub-types (the categories only group them), labelled in the reader's language."""
	types = frappe.get_all(
		"Complaint Type",
		filters={"is_group": 0, "enabled": 1},
		fields=["name", "parent_complaint_type"],
		order_by="lft asc",
	)
	options = [
		{
			"value": t.name,
			"label": f"{_(t.parent_complaint_type)} · {_(t.name)}" if t.parent_complaint_type else _(t.name),
		}
		for t in types
	]
	context.introduction_text = _(context.introduction_text)  # the template prints it untranslated
	for field in context.web_form_doc.web_form_fields:
		if field.fieldname == "complaint_type":
			field.options = frappe.as_json(options)
	return context
