"""Does what a visitor typed identify the customer of a complaint? (no frappe import)

Phones compare by their digits, without a leading country code 86 and without leading zeros
("+86 139-1234-5678" is "13912345678"); emails compare case-insensitively.
"""

from __future__ import annotations

import re


def phone_digits(phone: str | None) -> str:
	digits = re.sub(r"\D", "", phone or "").lstrip("0")
	if len(digits) > 11 and digits.startswith("86"):
		digits = digits[2:].lstrip("0")
	return digits


def same_customer(given: str | None, phone: str | None, email: str | None) -> bool:
	given = (given or "").strip()
	if not given:
		return False
	if "@" in given:
		return bool(email) and given.lower() == email.strip().lower()
	digits = phone_digits(given)
	return len(digits) >= 7 and digits == phone_digits(phone)
