"""Intake, priority, assignment, acknowledgement (issue: complaint lifecycle)."""

from __future__ import annotations

import email

import frappe
import pytest

from tests.factories.doctypes import ComplaintFactory, UserFactory


@pytest.fixture
def staff():
	"""One user per handling role, so assignment has somebody to pick."""
	return {
		role: UserFactory(roles=[role]).name
		for role in ("Complaint Agent", "Complaint Supervisor", "Operations Manager", "Risk Manager")
	}


@pytest.fixture
def sms_gateway():
	sms = frappe.get_single("SMS Settings")
	sms.sms_gateway_url = "http://127.0.0.1:9/sms"
	sms.message_parameter = "text"
	sms.receiver_parameter = "to"
	sms.save()


def open_assignees(name: str) -> set[str]:
	return set(
		frappe.get_all(
			"ToDo",
			filters={"reference_type": "Complaint", "reference_name": name, "status": "Open"},
			pluck="allocated_to",
		)
	)


def test_fresh_food_delay_via_wecom_is_urgent_co_led_and_acknowledged_by_sms(staff, sms_gateway):
	doc = ComplaintFactory(channel="WeCom / DingTalk", complaint_type="Delay", goods_category="Fresh")
	doc.reload()
	assert doc.priority == "Urgent"
	assert "fresh or medical" in doc.priority_reason
	assert doc.lead_owner == staff["Complaint Supervisor"]
	assert doc.co_owner == staff["Operations Manager"]
	assert open_assignees(doc.name) == {staff["Complaint Supervisor"], staff["Operations Manager"]}
	assert (doc.ack_status, doc.ack_via) == ("Sent", "SMS")
	assert doc.acknowledged_at
	assert doc.workflow_state == "Assigned"


def test_attitude_complaint_by_phone_is_general_and_goes_to_an_agent(staff, sms_gateway):
	doc = ComplaintFactory(channel="Hotline 400", complaint_type="Bad Attitude")
	doc.reload()
	assert doc.priority == "General"
	assert doc.lead_owner == staff["Complaint Agent"]
	assert open_assignees(doc.name) == {staff["Complaint Agent"]}


def test_general_complaints_are_balanced_across_agents(sms_gateway):
	agents = {UserFactory(roles=["Complaint Agent"]).name for _ in range(2)}
	owners = [ComplaintFactory(complaint_type="Bad Attitude").reload() or None for _ in range(4)]
	del owners
	loads = {
		a: frappe.db.count("ToDo", {"allocated_to": a, "status": "Open", "reference_type": "Complaint"})
		for a in agents
	}
	assert sorted(loads.values()) == [2, 2]


def test_damage_goes_to_the_department_of_its_type(staff, sms_gateway):
	member = UserFactory(roles=["Department Manager"]).name
	dep = frappe.get_doc("Complaint Department", "Warehouse")
	dep.append("members", {"user": member, "active": 1})
	dep.save()
	doc = ComplaintFactory(complaint_type="Damaged")
	doc.reload()
	assert doc.priority == "Important"
	assert doc.department == "Warehouse"
	assert doc.lead_owner == member


def test_email_channel_acknowledges_by_email_in_the_customers_language(staff, outbox):
	doc = ComplaintFactory(channel="Email", customer_language="zh")
	doc.reload()
	assert doc.ack_status == "Sent" and doc.ack_via == "Email"
	queued = frappe.get_last_doc("Email Queue", filters={"reference_name": doc.name})
	parts = email.message_from_string(queued.message).walk()
	body = "".join(p.get_payload(decode=True).decode() for p in parts if p.get_content_type() == "text/html")
	assert "已收到您的投诉" in body
	assert "72" in body  # General: expected handling time from the settings


def test_acknowledgement_failure_is_recorded_not_lost(staff):
	doc = ComplaintFactory(channel="Hotline 400")  # SMS, but no gateway configured
	doc.reload()
	assert doc.ack_status == "Failed"
	assert "SMS Settings" in doc.ack_detail
	assert "email account" in doc.ack_detail  # the customer's email was tried too
	assert doc.workflow_state in ("New", "Assigned") and frappe.db.exists("Complaint", doc.name)


def test_admin_changes_expected_hours_and_acknowledgement_follows(staff, sms_gateway, settings):
	settings(general_handling_hours=12)
	from complaint_mgmt.services.customer_messages import sms_text

	doc = ComplaintFactory(customer_language="en")
	assert "12 hours" in sms_text(doc)


def test_a_complaint_without_a_channel_gets_the_default_one(staff, settings):
	settings(default_channel="Email")
	doc = ComplaintFactory(channel=None)
	assert frappe.db.get_value("Complaint", doc.name, "channel") == "Email"
