"""What a value sent from outside (a form, a REST call) must look like for its field type.

Frappe stores what it is given and converts numbers silently: "4.9" becomes 4 in a whole-number
field, "yes" becomes 0 in a check box, and a list where text belongs fails deep in the database
layer with a server error. `clean` instead returns the value Frappe should store, or raises
`BadValue` whose English message (placeholders ``{label}``, ``{limit}``) the caller translates.
No frappe import.
"""

from __future__ import annotations

import math
import re
from datetime import date, datetime, time, timedelta

from complaint_mgmt.engine.errors import PolicyViolation

TEXT_TYPES = frozenset(
	{
		"Data", "Small Text", "Text", "Long Text", "Text Editor", "Code", "HTML Editor", "Markdown Editor",
		"Link", "Dynamic Link", "Select", "Attach", "Attach Image", "Phone", "Read Only", "Autocomplete",
		"Password", "Color", "Barcode", "Signature", "JSON", "Geolocation", "Icon",
	}
)  # fmt: skip
LONG_TEXT_TYPES = frozenset(
	{"Small Text", "Text", "Long Text", "Text Editor", "Code", "HTML Editor", "Markdown Editor"}
)
WHOLE_TYPES = frozenset({"Int", "Check", "Duration"})
NUMBER_TYPES = frozenset({"Float", "Currency", "Percent", "Rating"})
DATE_TYPES = frozenset({"Date", "Datetime", "Time"})
TABLE_TYPES = frozenset({"Table", "Table MultiSelect"})
# stored in a varchar column: 140 characters unless the field says otherwise
VARCHAR_TYPES = frozenset({"Data", "Link", "Dynamic Link", "Select", "Phone", "Autocomplete", "Read Only"})

_WHOLE = re.compile(r"[+-]?\d{1,18}")
_NUMBER = re.compile(r"[+-]?(\d{1,15}(\.\d*)?|\.\d+)([eE][+-]?\d{1,3})?")
# the widest magnitude a Currency/Float column (decimal 21,9) holds
NUMBER_LIMIT = 10**12


class BadValue(PolicyViolation):
	"""A value that does not fit its field; ``{label}`` is filled in by the caller."""

	def __init__(self, message: str, **params) -> None:
		Exception.__init__(self, message)
		self.message = message
		self.params = params


def clean(fieldtype: str, value):
	"""The value to store for a field of ``fieldtype``; None and "" stay as they are."""
	if value is None or (isinstance(value, str) and value == "" and fieldtype not in TABLE_TYPES):
		return value
	if fieldtype in TABLE_TYPES:
		if not isinstance(value, list | tuple):
			raise BadValue("{label} must be a list of rows")
		return value
	if fieldtype in WHOLE_TYPES:
		number = whole_number(value)
		if fieldtype == "Check" and number not in (0, 1):
			raise BadValue("{label} must be ticked (1) or not (0)")
		return number
	if fieldtype in NUMBER_TYPES:
		return decimal_number(value)
	if fieldtype in DATE_TYPES:
		if isinstance(value, datetime | date | time | timedelta):
			return value
		if not isinstance(value, str):
			raise BadValue("{label} must be a date or time written as text, such as 2026-11-23 14:30")
		return value.strip()
	if fieldtype in TEXT_TYPES:
		if isinstance(value, bool) or not isinstance(value, str | int | float):
			raise BadValue("{label} must be text")
		return value if isinstance(value, str) else str(value)
	return value


def whole_number(value) -> int:
	"""An integer given as a number or as digits; "4.9", "yes" and lists are refused."""
	if isinstance(value, bool):
		return int(value)
	if isinstance(value, int):
		return value
	if isinstance(value, float) and value.is_integer():
		return int(value)
	if isinstance(value, str) and _WHOLE.fullmatch(value.strip()):
		return int(value.strip())
	raise BadValue("{label} must be a whole number")


def decimal_number(value) -> float:
	"""A finite number given as a number or as text; "abc", NaN and lists are refused."""
	if isinstance(value, bool):
		raise BadValue("{label} must be a number")
	if isinstance(value, int | float):
		number = float(value)
	elif isinstance(value, str) and _NUMBER.fullmatch(value.strip()):
		number = float(value.strip())
	else:
		raise BadValue("{label} must be a number")
	if not math.isfinite(number) or abs(number) >= NUMBER_LIMIT:
		raise BadValue("{label} is out of range")
	return number


def too_long(fieldtype: str, value, length: int | None, text_limit: int) -> int | None:
	"""The limit a text value exceeds, or None: varchar fields by their column length (140
	unless the field gives one), long text by the admin's limit (0 = no limit)."""
	if not isinstance(value, str):
		return None
	if fieldtype in VARCHAR_TYPES:
		limit = length or 140
	else:
		limit = text_limit if fieldtype in LONG_TEXT_TYPES else 0
	return limit if limit and len(value) > limit else None
