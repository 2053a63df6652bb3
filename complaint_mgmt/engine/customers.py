"""Who the customer is: one key per customer whatever the spelling (no frappe import).

A phone compares by its digits without a leading country code 86 and leading zeros
("+86 139-1234-5678" is "13912345678"), an email in lower case, a shipping account code in
upper case with an ``ACCT:`` prefix. The shipping system sends any of the three; a complaint
carries a phone, an email or both.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from complaint_mgmt.utils.contact import phone_digits

ACCOUNT_PREFIX = "ACCT:"
# shorter digit strings are extensions or typos, not a customer
MIN_PHONE_DIGITS = 7
MAX_KEY_LENGTH = 140
_ACCOUNT = re.compile(r"^[A-Z0-9][A-Z0-9_.\-]{1,62}$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def phone_key(phone: str | None) -> str | None:
	digits = phone_digits(phone)
	return digits if len(digits) >= MIN_PHONE_DIGITS else None


def email_key(email: str | None) -> str | None:
	value = (email or "").strip().lower()
	return value if _EMAIL.match(value) and len(value) <= MAX_KEY_LENGTH else None


def account_key(code: str | None) -> str | None:
	value = (code or "").strip().upper()
	if value.startswith(ACCOUNT_PREFIX):
		value = value[len(ACCOUNT_PREFIX) :].strip()
	return f"{ACCOUNT_PREFIX}{value}" if _ACCOUNT.match(value) else None


@dataclass(frozen=True)
class Identity:
	"""The normalised identifiers of one complaint or shipment; ``key`` is the strongest."""

	account: str | None = None
	phone: str | None = None
	email: str | None = None

	@property
	def key(self) -> str | None:
		return self.account or self.phone or self.email

	@property
	def keys(self) -> tuple[str, ...]:
		return tuple(k for k in (self.account, self.phone, self.email) if k)


def identity(phone: str | None = None, email: str | None = None, account: str | None = None) -> Identity:
	return Identity(account=account_key(account), phone=phone_key(phone), email=email_key(email))


def key_of(raw: str | None) -> str | None:
	"""The key of one identifier as the shipping system sends it: an email, a phone or an
	account code (anything else that looks like a code), or None when it is none of them."""
	value = (raw or "").strip()
	if not value:
		return None
	if "@" in value:
		return email_key(value)
	if value.upper().startswith(ACCOUNT_PREFIX):
		return account_key(value)
	if re.fullmatch(r"[+\d\s\-()]+", value):
		return phone_key(value)
	return account_key(value)


def match(records: list[dict], ident: Identity) -> tuple[dict | None, dict[str, str]]:
	"""Of the customer records that carry one of ``ident``'s identifiers, the one it names (an
	account code wins over a phone, a phone over an email), and the identifiers that record lacks
	and no other record holds (a complaint that brings the customer's email besides the phone)."""

	def holders(field: str, key: str | None) -> list[dict]:
		return [r for r in records if key and (r.get(field) or "").lower() == key.lower()]

	code = ident.account.removeprefix(ACCOUNT_PREFIX) if ident.account else None
	found = next(
		(
			found[0]
			for field, key in (("account_code", code), ("phone_key", ident.phone), ("email_key", ident.email))
			if (found := holders(field, key))
		),
		None,
	)
	if found is None:
		return None, {}
	missing = {
		field: key
		for field, key in (("phone_key", ident.phone), ("email_key", ident.email))
		if key and not found.get(field) and not holders(field, key)
	}
	return found, missing
