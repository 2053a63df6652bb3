"""Values sent from outside are checked against their fields before Frappe reads them.

A web form, a REST call or an import can put anything in a document: a list where text belongs,
"4.9" in a whole-number field, two megabytes of description. Frappe would store "4.9" as 4, "yes"
as 0, and answer a list with a server error and a traceback. Controllers that take outside input
mix in `CheckedInput`: the values are checked and converted first (Frappe's link check is the
first step of insert and save that reads them), and anything that does not fit is refused with a
translated message naming the field.
"""

from __future__ import annotations

import frappe
from frappe import _
from frappe.model import no_value_fields
from frappe.model.base_document import BaseDocument
from frappe.utils import cint, get_datetime, get_time, getdate

from complaint_mgmt.services import policy
from complaint_mgmt.utils import field_input
from complaint_mgmt.utils.field_input import BadValue

FIRST_YEAR, LAST_YEAR = 1900, 2999


def refuse(error: BadValue, label: str) -> None:
	frappe.throw(
		_(error.message).format(label=frappe.bold(_(label)), **error.params), title=_("Invalid value")
	)


def parse_moment(fieldtype: str, value: str) -> None:
	"""Refuse a date or time Frappe cannot read or the database cannot hold."""
	try:
		if fieldtype == "Time":
			get_time(value)
			return
		parsed = getdate(value) if fieldtype == "Date" else get_datetime(value)
	except Exception:
		parsed = None
	if parsed is None:  # Frappe reads "0001-01-01" as no date at all
		raise BadValue("{label} must be a date or time written as text, such as 2026-11-23 14:30")
	if not FIRST_YEAR <= parsed.year <= LAST_YEAR:
		raise BadValue("{label} is out of range")


def check_document(doc, text_limit: int | None = None) -> None:
	"""Convert each value to its field's type, or refuse the document; rows of tables too.
	Lengths are checked only for values that changed, so an older record still saves."""
	if text_limit is None:
		# the settings themselves are checked against their own limit, not a cached copy of them
		own = doc.doctype == "Complaint Settings"
		text_limit = cint((doc if own else policy.settings()).max_text_chars)
	before = None if doc.is_new() else doc.get_doc_before_save()
	for df in doc.meta.fields:
		if df.fieldtype in no_value_fields and df.fieldtype not in field_input.TABLE_TYPES:
			continue
		value = doc.get(df.fieldname)
		try:
			cleaned = field_input.clean(df.fieldtype, value)
			if df.fieldtype in field_input.DATE_TYPES and isinstance(cleaned, str) and cleaned:
				parse_moment(df.fieldtype, cleaned)
			changed = before is None or before.get(df.fieldname) != cleaned
			limit = changed and field_input.too_long(df.fieldtype, cleaned, cint(df.length), text_limit)
			if limit:
				raise BadValue("{label} is too long: at most {limit} characters", limit=limit)
		except BadValue as error:
			refuse(error, df.label or df.fieldname)
		if df.fieldtype in field_input.TABLE_TYPES:
			for row in doc.get(df.fieldname) or ():
				check_document(row, text_limit)
		elif cleaned is not value:
			doc.set(df.fieldname, cleaned)


class CheckedInput:
	"""Mixin for the controllers of DocTypes that take outside input (put it before Document)."""

	def _validate_links(self):
		check_document(self)
		super()._validate_links()

	def extend(self, key, value):
		"""Rows of a table must be a list of rows (Frappe fails on text here with a server error)."""
		if not isinstance(value, list | tuple) or not all(
			isinstance(row, dict | BaseDocument) for row in value
		):
			refuse(BadValue("{label} must be a list of rows"), self.meta.get_label(key))
		super().extend(key, value)


# ------------------------------------------------------------------ arguments of whitelisted methods
def _argument(fieldtype: str, value, label: str):
	try:
		cleaned = field_input.clean(fieldtype, value)
		if fieldtype in field_input.DATE_TYPES and isinstance(cleaned, str) and cleaned:
			parse_moment(fieldtype, cleaned)
		return cleaned
	except BadValue as error:
		refuse(error, label)


def text_argument(value, label: str) -> str | None:
	return _argument("Small Text", value, label)


def whole_argument(value, label: str) -> int:
	"""A required whole number ("4.9", "yes" and "" are refused)."""
	if value in (None, ""):
		refuse(BadValue("{label} must be a whole number"), label)
	return _argument("Int", value, label)


def number_argument(value, label: str) -> float:
	if value in (None, ""):
		refuse(BadValue("{label} must be a number"), label)
	return _argument("Float", value, label)


def date_argument(value, label: str) -> str:
	if value in (None, ""):
		refuse(BadValue("{label} must be a date or time written as text, such as 2026-11-23 14:30"), label)
	return _argument("Date", value, label)


def document(doctype: str, name):
	"""The document a whitelisted method acts on; a name that is not text or not found is refused."""
	name = text_argument(name, "Name")
	if not name or not frappe.db.exists(doctype, name):
		frappe.throw(_("{0} {1} not found").format(_(doctype), name or ""), frappe.DoesNotExistError)
	return frappe.get_doc(doctype, name)
