"""A visitor proves who they are with the phone or email on the complaint."""

import pytest

from complaint_mgmt.utils.contact import phone_digits, same_customer


@pytest.mark.parametrize(
	"typed",
	["13912345678", "+86 139-1234-5678", "0086 13912345678", " 139 1234 5678 "],
)
def test_the_same_phone_written_differently_matches(typed):
	assert same_customer(typed, "13912345678", None)


def test_a_landline_keeps_its_area_code():
	assert phone_digits("021-61234567") == "2161234567"
	assert same_customer("(021) 6123 4567", "021-61234567", None)


@pytest.mark.parametrize(
	("typed", "phone", "email"),
	[
		("13912345679", "13912345678", None),
		("", "13912345678", None),
		("123", "123", None),  # too short to prove anything
		("wang@example.com", "13912345678", None),
		("wang@example.org", None, "wang@example.com"),
		("13912345678", None, "wang@example.com"),
	],
)
def test_anything_else_does_not(typed, phone, email):
	assert not same_customer(typed, phone, email)


def test_email_ignores_case_and_spaces():
	assert same_customer(" Wang@Example.COM ", None, "wang@example.com")
