"""A person's save never sets what the server computes, and follows the workflow's edit roles
(issue 10, server-computed fields writable by REST)."""

from __future__ import annotations

import frappe
import pytest
from frappe.client import set_value

from tests.factories.access import handled_by
from tests.factories.doctypes import CompensationFactory, UserFactory


@pytest.fixture
def people():
	return {
		"agent": UserFactory(roles=["Complaint Agent"]).name,
		"supervisor": UserFactory(roles=["Complaint Supervisor"]).name,
	}


def test_a_put_cannot_change_the_priority_without_the_priority_action(people, as_user):
	complaint = handled_by(people["agent"], complaint_type="Damaged", goods_value=800)
	stored = complaint.priority
	lower = "General" if stored != "General" else "Important"
	as_user(people["agent"])
	with pytest.raises(frappe.PermissionError, match="Change Priority"):
		set_value("Complaint", complaint.name, "priority", lower)
	as_user("Administrator")
	doc = frappe.get_doc("Complaint", complaint.name)
	assert doc.priority == stored
	assert not [c for c in doc.priority_changes if not c.automatic]


def test_computed_complaint_fields_keep_their_stored_values(people, as_user):
	complaint = handled_by(people["agent"])
	stored = frappe.get_doc("Complaint", complaint.name)
	as_user(people["agent"])
	doc = frappe.get_doc("Complaint", complaint.name)
	doc.update(
		{"intake_reference": "FORGED-1", "survey_key": "forged-key-0123456789", "sla_status": "Breached"}
	)
	for row in doc.milestones:
		row.extensions, row.target_minutes = 9, 999999
	doc.description = "客户补充了说明"
	doc.save()
	as_user("Administrator")
	saved = frappe.get_doc("Complaint", complaint.name)
	assert saved.description == "客户补充了说明"  # the person's own edit stands
	assert saved.intake_reference == stored.intake_reference
	assert not saved.survey_key
	assert saved.sla_status == stored.sla_status
	assert [(r.extensions, r.target_minutes) for r in saved.milestones] == [
		(r.extensions, r.target_minutes) for r in stored.milestones
	]


def test_a_new_complaint_through_rest_cannot_bring_its_own_survey_key(people, as_user):
	as_user(people["agent"])
	doc = frappe.get_doc(
		{
			"doctype": "Complaint",
			"complaint_type": "Delay",
			"channel": "Hotline 400",
			"customer_name": "王女士",
			"customer_phone": "13800000000",
			"description": "延误",
			"survey_key": "forged-key-0123456789",
			"closed_at": "2026-01-01 00:00:00",
		}
	).insert()
	assert not frappe.db.get_value("Complaint", doc.name, "survey_key")
	assert not frappe.db.get_value("Complaint", doc.name, "closed_at")


def test_approval_and_payment_fields_of_a_compensation_are_not_forged(people, as_user):
	complaint = handled_by(people["agent"], complaint_type="Damaged", goods_value=800, freight=30)
	comp = CompensationFactory(complaint=complaint.name, lines=[{"remedy": "Voucher", "amount": 100}])
	as_user(people["agent"])
	doc = frappe.get_doc("Compensation", comp.name)
	doc.update({"approved_by": people["supervisor"], "approved_at": "2026-01-01 10:00:00"})
	doc.update({"paid_at": "2026-01-02 10:00:00", "customer_response": "Accepted"})
	doc.save()
	saved = frappe.db.get_value(
		"Compensation",
		comp.name,
		["approved_by", "approved_at", "paid_at", "customer_response"],
		as_dict=True,
	)
	assert not (saved.approved_by or saved.approved_at or saved.paid_at)
	assert saved.customer_response != "Accepted"


def test_an_agent_cannot_edit_a_closed_complaint_a_supervisor_can(people, as_user):
	complaint = handled_by(people["agent"])
	frappe.db.set_value("Complaint", complaint.name, "workflow_state", "Closed", update_modified=False)
	as_user(people["agent"])
	doc = frappe.get_doc("Complaint", complaint.name)
	doc.customer_accepted, doc.solution_executed = 0, 0
	with pytest.raises(frappe.PermissionError, match="Closed"):
		doc.save()
	as_user(people["supervisor"])
	doc = frappe.get_doc("Complaint", complaint.name)
	doc.description = "主管补充"
	doc.save()
	assert frappe.db.get_value("Complaint", complaint.name, "description") == "主管补充"
