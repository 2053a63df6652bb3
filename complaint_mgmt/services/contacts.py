"""A Complaint Customer's Frappe Contact (issue 12): the Contact one of whose phones has the
customer's normalised phone, else one of whose emails is the customer's email (the lowest Contact
name when several match). Found when the customer's record is created, and back-filled set-based
for records without one (patch ``v0_4.link_contacts``; runs again without harm)."""

from __future__ import annotations

import frappe

from complaint_mgmt.engine import customers as rules

CUSTOMER = "Complaint Customer"
# a Contact Phone's number as ``engine.customers.phone_key`` normalises it (``utils.contact``):
# digits only, no leading zeros, no country code 86 before a longer number
_DIGITS = "trim(leading '0' from regexp_replace(cp.phone, '[^0-9]', ''))"
PHONE_KEY = (
	f"if(length({_DIGITS}) > 11 and {_DIGITS} like '86%%', "
	f"trim(leading '0' from substr({_DIGITS}, 3)), {_DIGITS})"
)


def find(identity: rules.Identity) -> str | None:
	"""The Contact of a new customer's phone or email (one statement), or None."""
	if not identity.phone and not identity.email:
		return None
	found = frappe.db.sql(
		f"""select cp.parent, 0 as choice from `tabContact Phone` cp
			where cp.parenttype = 'Contact' and {PHONE_KEY} = %(phone)s
		union all
		select ce.parent, 1 from `tabContact Email` ce
			where ce.parenttype = 'Contact' and ce.email_id = %(email)s
		order by choice, parent limit 1""",
		{"phone": identity.phone or "", "email": identity.email or ""},
	)
	return found[0][0] if found else None


def backfill() -> int:
	"""Customers without a Contact get the one their phone, else their email, names; returns how
	many were linked (two statements)."""
	linked = 0
	frappe.db.sql(
		f"""update `tab{CUSTOMER}` c join (
			select {PHONE_KEY} as phone_key, min(cp.parent) as contact from `tabContact Phone` cp
			where cp.parenttype = 'Contact' group by 1) p on p.phone_key = c.phone_key
		set c.contact = p.contact where c.contact is null and c.phone_key is not null"""
	)
	linked += frappe.db._cursor.rowcount
	frappe.db.sql(
		f"""update `tab{CUSTOMER}` c join (
			select lower(ce.email_id) as email_key, min(ce.parent) as contact from `tabContact Email` ce
			where ce.parenttype = 'Contact' group by 1) e on e.email_key = c.email_key
		set c.contact = e.contact where c.contact is null and c.email_key is not null"""
	)
	return linked + frappe.db._cursor.rowcount
