"""Issue 12: a customer's record links to the Frappe Contact of their phone or email."""

from __future__ import annotations

import frappe

from complaint_mgmt.patches.v0_4 import link_contacts
from tests.factories.doctypes import ComplaintFactory
from tests.integration.test_recovery_customers import phone


def contact(phone_number: str | None = None, email: str | None = None) -> str:
	doc = frappe.get_doc(
		{"doctype": "Contact", "first_name": "王", "last_name": frappe.generate_hash(length=6)}
	)
	if phone_number:
		doc.append("phone_nos", {"phone": phone_number, "is_primary_phone": 1})
	if email:
		doc.append("email_ids", {"email_id": email, "is_primary": 1})
	return doc.insert(ignore_permissions=True).name


def test_a_complaint_from_a_known_contact_s_phone_links_the_customer_to_that_contact():
	number = phone()
	known = contact(f"+86 {number[:3]}-{number[3:7]}-{number[7:]}")
	contact(email=f"{frappe.generate_hash(length=8)}@example.com")  # someone else
	doc = ComplaintFactory(customer_phone=number, customer_email=None)
	assert frappe.db.get_value("Complaint Customer", doc.customer, "contact") == known


def test_the_email_links_when_no_phone_matches_and_a_stranger_links_to_nobody():
	email = f"{frappe.generate_hash(length=8)}@example.com"
	known = contact(phone(), email.upper())
	doc = ComplaintFactory(customer_phone=phone(), customer_email=email)
	assert frappe.db.get_value("Complaint Customer", doc.customer, "contact") == known
	stranger = ComplaintFactory(customer_phone=phone(), customer_email=None)
	assert frappe.db.get_value("Complaint Customer", stranger.customer, "contact") is None


def test_the_backfill_links_earlier_customers_once_and_runs_again_without_harm():
	number = phone()
	doc = ComplaintFactory(customer_phone=number, customer_email=None)
	assert frappe.db.get_value("Complaint Customer", doc.customer, "contact") is None
	known = contact(f"0086 {number}")  # the Contact came after the customer's first complaint
	link_contacts.execute()
	assert frappe.db.get_value("Complaint Customer", doc.customer, "contact") == known
	other = contact(number)
	link_contacts.execute()  # a record once linked keeps its Contact
	assert other != known
	assert frappe.db.get_value("Complaint Customer", doc.customer, "contact") == known
