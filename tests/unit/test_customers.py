"""One customer whatever the spelling: phones by their digits, emails in lower case, account codes."""

import pytest

from complaint_mgmt.engine.customers import identity, key_of, match


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


def test_of_several_records_the_account_code_names_the_customer():
	records = [
		{"name": "C-1", "account_code": None, "phone_key": "13912345678", "email_key": None},
		{"name": "C-2", "account_code": "SHOP-7", "phone_key": None, "email_key": None},
	]
	found, missing = match(records, identity(phone="139 1234 5678", account="shop-7"))
	assert found["name"] == "C-2"
	assert missing == {}  # the phone belongs to C-1: it is not moved to C-2


def test_a_record_found_by_phone_learns_a_new_email_but_not_one_another_record_holds():
	records = [{"name": "C-1", "account_code": None, "phone_key": "13912345678", "email_key": None}]
	found, missing = match(records, identity(phone="13912345678", email="Li@Example.com"))
	assert (found["name"], missing) == ("C-1", {"email_key": "li@example.com"})
	records.append({"name": "C-2", "account_code": None, "phone_key": None, "email_key": "li@example.com"})
	found, missing = match(records, identity(phone="13912345678", email="li@example.com"))
	assert (found["name"], missing) == ("C-1", {})


def test_no_record_no_customer():
	assert match([], identity(phone="13912345678")) == (None, {})
