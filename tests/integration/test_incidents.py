"""Group incidents and duplicate waybills."""

from __future__ import annotations

import frappe
import pytest

from tests.factories.doctypes import ComplaintFactory, UserFactory


@pytest.fixture
def risk_manager():
	return UserFactory(roles=["Risk Manager"]).name


def test_five_on_one_batch_form_an_urgent_incident_and_a_sixth_joins(risk_manager):
	UserFactory(roles=["Complaint Agent"])
	docs = [ComplaintFactory(batch_no="B20261122-07", complaint_type="Delay") for _ in range(4)]
	assert not any(frappe.db.get_value("Complaint", d.name, "incident") for d in docs)

	fifth = ComplaintFactory(batch_no="b20261122-07 ", complaint_type="Delay")
	incident = frappe.db.get_value("Complaint", fifth.name, "incident")
	assert incident
	members = frappe.get_all("Complaint", filters={"incident": incident}, fields=["name", "priority"])
	assert len(members) == 5
	assert {m.priority for m in members} == {"Urgent"}
	assert frappe.db.exists("Notification Log", {"for_user": risk_manager, "document_name": incident})
	changes = frappe.get_all(
		"Complaint Priority Change", filters={"parent": docs[0].name}, fields=["to_priority", "automatic"]
	)
	assert {(c.to_priority, c.automatic) for c in changes} == {("Urgent", 1)}
	# the form lists the history by row number: the incident's change is the last row, numbered
	history = frappe.get_doc("Complaint", docs[0].name).priority_changes
	assert history[-1].to_priority == "Urgent" and [row.idx for row in history] == list(
		range(1, len(history) + 1)
	)

	sixth = ComplaintFactory(batch_no="B20261122-07", complaint_type="Delay")
	assert frappe.db.get_value("Complaint", sixth.name, ["incident", "priority"]) == (incident, "Urgent")
	assert frappe.db.get_value("Complaint Incident", incident, "complaint_count") == 6
	assert frappe.db.count("Complaint Incident", {"incident_key": "batch:B20261122-07"}) == 1
	assert frappe.db.count("Notification Log", {"for_user": risk_manager, "document_name": incident}) == 1


def test_admin_changes_the_incident_threshold(risk_manager, settings):
	settings(incident_threshold=3)
	docs = [ComplaintFactory(batch_no="B-THREE") for _ in range(3)]
	assert frappe.db.get_value("Complaint", docs[-1].name, "incident")


def test_second_open_complaint_on_the_same_waybill_is_linked_not_duplicated():
	first = ComplaintFactory(waybill_no="SF1234567890")
	second = ComplaintFactory(waybill_no="sf1234567890")
	assert second.duplicate_of == first.name
	assert frappe.db.exists(
		"Comment", {"reference_name": first.name, "content": ["like", f"%{second.name}%"]}
	)
	assert frappe.db.count("Complaint", {"waybill_no": "SF1234567890"}) == 2


def test_retried_intake_request_returns_the_same_complaint():
	from complaint_mgmt.api.complaint import create

	fields = {
		"subject": "延误",
		"channel": "Online Chat",
		"complaint_type": "Delay",
		"description": "等了五天",
		"customer_name": "王芳",
		"customer_phone": "13812345678",
	}
	first = create(intake_reference="chat-req-42", **fields)
	again = create(intake_reference="chat-req-42", **fields)
	assert first == again
	assert frappe.db.count("Complaint", {"intake_reference": "chat-req-42"}) == 1
