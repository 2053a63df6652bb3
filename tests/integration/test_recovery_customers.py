"""Issue 12: one customer whatever the spelling, and their shipments from the shipping system."""

from __future__ import annotations

import frappe
import pytest
from frappe.utils import add_days, now_datetime

from complaint_mgmt.api import shipments as api
from complaint_mgmt.services import customers
from tests.factories.access import handled_by
from tests.factories.doctypes import ComplaintFactory, UserFactory


def phone() -> str:
	return f"139{frappe.generate_hash(length=8)}".translate(str.maketrans("abcdef", "123456"))[:11]


def shipment(waybill: str, customer: str, days_ago: int = 1, freight="12.50") -> dict:
	when = add_days(now_datetime(), -days_ago).strftime("%Y-%m-%d %H:%M:%S")
	return {"waybill_no": waybill, "customer": customer, "shipped_at": when, "freight": freight}


def waybill() -> str:
	return "SF" + str(frappe.utils.random_string(10)).upper()


def test_two_complaints_with_the_phone_spelled_differently_are_one_customer():
	number = phone()
	first = ComplaintFactory(customer_phone=number, customer_email=None)
	spaced = f"+86-{number[:3]} {number[3:7]} {number[7:]}"
	second = ComplaintFactory(customer_phone=spaced, customer_email="Wang.Li@Example.com")
	assert first.customer and second.customer == first.customer
	assert second.customer_key == number
	# the second complaint taught the record the customer's email: a third by email alone joins it
	third = ComplaintFactory(customer_phone=None, customer_email="wang.li@example.COM")
	assert third.customer == first.customer


def test_the_backfill_links_old_complaints_once_and_runs_again_without_harm():
	number = phone()
	names = [ComplaintFactory(customer_phone=number).name for _ in range(2)]
	frappe.db.set_value("Complaint", {"name": ["in", names]}, {"customer": None, "customer_key": None})
	customer_before = frappe.db.count("Complaint Customer")
	customers.backfill()
	linked = set(frappe.get_all("Complaint", filters={"name": ["in", names]}, pluck="customer"))
	assert len(linked) == 1 and None not in linked
	assert frappe.db.count("Complaint Customer") == customer_before  # the existing record is reused
	customers.backfill()
	assert set(frappe.get_all("Complaint", filters={"name": ["in", names]}, pluck="customer")) == linked


def test_shipments_join_the_customer_and_a_batch_sent_twice_is_stored_once():
	number = phone()
	complaint = ComplaintFactory(customer_phone=number)
	batch = [shipment(waybill(), f"+86-{number}"), shipment(waybill(), number, days_ago=3)]
	first = api.ingest(batch)
	assert first == {"stored": 2, "already_stored": 0, "refused": []}
	assert api.ingest(batch) == {"stored": 0, "already_stored": 2, "refused": []}
	stored = frappe.get_all(
		"Customer Shipment",
		filters={"waybill_no": ["in", [r["waybill_no"] for r in batch]]},
		pluck="customer",
	)
	assert stored == [complaint.customer] * 2


def test_malformed_shipment_rows_are_refused_with_reasons_and_nothing_of_them_is_stored():
	good = shipment(waybill(), phone())
	bad_time = {**shipment(waybill(), phone()), "shipped_at": "last week"}
	no_customer = {**shipment(waybill(), phone()), "customer": ""}
	future = shipment(waybill(), phone(), days_ago=-2)
	answer = api.ingest(frappe.as_json([good, bad_time, no_customer, future, "garbage"]))
	assert answer["stored"] == 1
	refused = {r["row"]: r["reasons"] for r in answer["refused"]}
	assert set(refused) == {2, 3, 4, 5}
	assert refused[2] == ["shipped_at is not a date and time (YYYY-MM-DD HH:MM:SS)"]
	assert refused[3] == ["customer is not a phone, email or account code"]
	assert refused[4] == ["shipped_at is in the future"]
	for row in (bad_time, no_customer, future):
		assert not frappe.db.exists("Customer Shipment", row["waybill_no"])
	assert frappe.db.exists("Customer Shipment", good["waybill_no"])


def test_shipments_sent_before_the_first_complaint_join_the_new_customer():
	number = phone()
	early = shipment(waybill(), number, days_ago=30)
	api.ingest([early])
	assert frappe.db.get_value("Customer Shipment", early["waybill_no"], "customer") is None
	complaint = ComplaintFactory(customer_phone=number)
	assert frappe.db.get_value("Customer Shipment", early["waybill_no"], "customer") == complaint.customer


def test_only_a_user_who_may_create_shipments_posts_them(as_user):
	as_user(UserFactory(roles=["Complaint Agent"]).name)
	with pytest.raises(frappe.PermissionError):
		api.ingest([shipment(waybill(), phone())])


def test_an_agent_sees_only_the_customers_of_the_complaints_they_handle(as_user):
	mine, other = UserFactory(roles=["Complaint Agent"]).name, UserFactory(roles=["Complaint Agent"]).name
	complaint = handled_by(mine)
	someone_elses = handled_by(other)
	as_user(mine)
	visible = frappe.get_list("Complaint Customer", pluck="name")
	assert complaint.customer in visible and someone_elses.customer not in visible
	assert frappe.has_permission("Complaint Customer", "read", doc=complaint.customer)
	assert not frappe.has_permission("Complaint Customer", "read", doc=someone_elses.customer)


def test_a_priority_service_customer_s_next_complaint_is_raised_by_the_rule():
	assert frappe.db.exists("Complaint Priority Rule", {"field": "priority_service", "enabled": 1})
	number = phone()
	plain = {"complaint_type": "Bad Attitude", "subject": "运费咨询", "description": "请核实运费。"}
	first = ComplaintFactory(customer_phone=number, **plain)
	assert not first.priority_service and "Priority service customer" not in first.priority_reason
	frappe.db.set_value("Complaint Customer", first.customer, "priority_service", 1)
	second = ComplaintFactory(customer_phone=number, **plain)
	assert second.priority_service == 1 and second.priority in ("Urgent", "Important")
	assert "Priority service customer" in second.priority_reason


def test_a_csv_of_shipment_history_is_imported_with_its_refused_rows_counted():
	number = phone()
	good, bad = waybill(), waybill()
	content = (
		"waybill_no,customer,shipped_at,freight\n"
		f"{good},{number},2026-01-05 10:00:00,18\n"
		f"{bad},{number},not a date,18\n"
	)
	file = frappe.get_doc(
		{"doctype": "File", "file_name": "shipments.csv", "content": content, "is_private": 1}
	).insert(ignore_permissions=True)
	assert api.import_csv(file.file_url) == "The import has started"  # runs at once in tests
	assert frappe.db.get_value("Customer Shipment", good, "customer_key") == number
	assert not frappe.db.exists("Customer Shipment", bad)


def test_purging_the_last_complaint_of_a_customer_forgets_their_phone_on_the_record_and_shipments():
	from complaint_mgmt.services import anonymise

	number = phone()
	first = ComplaintFactory(customer_phone=number)
	second = ComplaintFactory(customer_phone=number)
	sent = shipment(waybill(), number)
	api.ingest([sent])
	anonymise.complaint(first.name, "TEST-PURGE")
	# another complaint of the customer still holds their data: the record keeps it
	assert frappe.db.get_value("Complaint Customer", first.customer, "phone_key") == number
	anonymise.complaint(second.name, "TEST-PURGE")
	record = frappe.db.get_value(
		"Complaint Customer", first.customer, ["customer_name", "phone_key", "customer_key"], as_dict=True
	)
	assert record == {"customer_name": "[purged]", "phone_key": None, "customer_key": None}
	row = frappe.db.get_value(
		"Customer Shipment", sent["waybill_no"], ["customer", "customer_key"], as_dict=True
	)
	assert row.customer == first.customer and row.customer_key == "[purged]"
