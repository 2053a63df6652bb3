"""One customer whatever the spelling: phones by their digits, emails in lower case, account codes."""

import pytest

from complaint_mgmt.engine.customers import identity, key_of


@pytest.mark.parametrize(
	"phone", ["13912345678", "+86 139-1234-5678", "0086 139 1234 5678", "(139) 1234-5678"]
)
def test_one_phone_written_differently_is_one_customer(phone):
	assert identity(phone=phone).key == "13912345678"


def test_email_is_lower_cased_and_a_broken_one_is_no_key():
	assert identity(email=" Wang@Example.COM ").key == "wang@example.com"
	assert identity(email="wang at example").key is None


def test_the_account_code_wins_then_the_phone_then_the_email():
	both = identity(phone="13912345678", email="w@example.com")
	assert both.key == "13912345678" and both.keys == ("13912345678", "w@example.com")
	assert identity(phone="13912345678", account=" acme-01 ").key == "ACCT:ACME-01"


def test_a_short_number_identifies_nobody():
	assert identity(phone="12345").key is None


@pytest.mark.parametrize(
	("raw", "key"),
	[
		("+86 139 1234 5678", "13912345678"),
		("Wang@Example.com", "wang@example.com"),
		("acct:sh-0001", "ACCT:SH-0001"),
		("SH0001", "ACCT:SH0001"),
		("", None),
		("a b c", None),
	],
)
def test_the_shipping_system_sends_any_identifier(raw, key):
	assert key_of(raw) == key
