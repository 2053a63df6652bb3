"""A value from outside fits its field's type, or is refused with a message naming the problem."""

import pytest

from complaint_mgmt.utils.field_input import BadValue, clean, too_long


@pytest.mark.parametrize(
	("fieldtype", "value", "stored"),
	[
		("Int", "42", 42),
		("Int", 7.0, 7),
		("Check", "1", 1),
		("Check", True, 1),
		("Currency", "12.50", 12.5),
		("Float", 3, 3.0),
		("Data", 13912345678, "13912345678"),
		("Data", "", ""),
		("Int", None, None),
		("Datetime", " 2026-11-23 14:30 ", "2026-11-23 14:30"),
		("Table", [{"file": "/files/a.png"}], [{"file": "/files/a.png"}]),
	],
)
def test_values_of_the_right_kind_are_kept_in_the_fields_type(fieldtype, value, stored):
	assert clean(fieldtype, value) == stored


@pytest.mark.parametrize(
	("fieldtype", "value", "message"),
	[
		("Int", "4.9", "{label} must be a whole number"),
		("Int", "yes", "{label} must be a whole number"),
		("Int", 4.9, "{label} must be a whole number"),
		("Check", 2, "{label} must be ticked (1) or not (0)"),
		("Currency", "abc", "{label} must be a number"),
		("Currency", "1e400", "{label} is out of range"),
		("Float", float("nan"), "{label} is out of range"),
		("Float", True, "{label} must be a number"),
		("Data", ["x"], "{label} must be text"),
		("Link", {"a": 1}, "{label} must be text"),
		("Date", 20261123, "{label} must be a date or time written as text, such as 2026-11-23 14:30"),
		("Table", "abc", "{label} must be a list of rows"),
	],
)
def test_values_of_the_wrong_kind_are_refused(fieldtype, value, message):
	with pytest.raises(BadValue) as refused:
		clean(fieldtype, value)
	assert refused.value.message == message


def test_length_limits_follow_the_column_and_the_admins_limit_for_long_text():
	assert too_long("Data", "x" * 141, None, 10_000) == 140
	assert too_long("Data", "x" * 141, 200, 10_000) is None
	assert too_long("Text Editor", "x" * 10_001, None, 10_000) == 10_000
	assert too_long("Text Editor", "x" * 10_001, None, 0) is None
	assert too_long("Int", 5, None, 10) is None
