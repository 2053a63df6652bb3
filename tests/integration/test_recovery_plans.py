"""Issue 12: recovery plans suggested by rules, started in one click, measures carried out."""

from __future__ import annotations

import frappe
import pytest
from frappe.model.workflow import apply_workflow
from frappe.utils import add_days, nowdate

from complaint_mgmt.api import recovery as api
from complaint_mgmt.services import recovery_plans
from tests.factories.access import handled_by
from tests.factories.doctypes import ComplaintSurveyFactory, UserFactory
from tests.integration.test_survey import closed_complaint


@pytest.fixture
def agent():
	return UserFactory(roles=["Complaint Agent"]).name


def closed_for(agent: str):
	return handled_by(agent, complaint=closed_complaint())


def plan_of(complaint: str):
	name = frappe.db.get_value("Recovery Plan", {"complaint": complaint})
	return frappe.get_doc("Recovery Plan", name) if name else None


def test_a_complaint_closed_with_a_low_score_gets_a_suggested_plan(agent):
	complaint = closed_for(agent)
	assert plan_of(complaint.name) is None  # closing alone met no rule
	ComplaintSurveyFactory(complaint=complaint.name, efficiency_score=2, solution_score=3)
	plan = plan_of(complaint.name)
	assert plan.workflow_state == "Suggested" and plan.customer == complaint.customer
	assert "Low survey score" in plan.suggestion_reasons
	(measure,) = plan.measures
	assert measure.measure_type == "Personalised Plan" and measure.department == "Customer Service"
	assert measure.assigned_to == agent and str(measure.due_date) == add_days(nowdate(), 7)


def test_a_good_score_suggests_nothing(agent):
	complaint = closed_for(agent)
	ComplaintSurveyFactory(complaint=complaint.name)
	assert plan_of(complaint.name) is None


def test_an_urgent_complaint_suggests_priority_service_at_closure(agent):
	complaint = closed_for(agent)
	frappe.db.set_value("Complaint", complaint.name, {"priority": "Urgent", "closed_at": None})
	doc = frappe.get_doc("Complaint", complaint.name)
	doc.closed_at = frappe.utils.now_datetime()
	doc.flags.server_change = True
	doc.save(ignore_permissions=True)
	assert [m.measure_type for m in plan_of(complaint.name).measures] == ["Priority Service"]


def test_one_click_starts_a_plan_whose_measures_issue_vouchers_and_priority_service(agent, as_user):
	complaint = closed_for(agent)
	as_user(agent)
	name = api.create_plan(complaint.name)
	assert api.create_plan(complaint.name) == name  # a second click opens the same plan
	plan = frappe.get_doc("Recovery Plan", name)
	plan.append("measures", {"measure_type": "E-Voucher", "department": "Marketing", "cost": 30})
	plan.append(
		"measures",
		{
			"measure_type": "Free Value-Added Service",
			"department": "Logistics",
			"cost": 15,
			"service": "Packing",
		},
	)
	plan.append(
		"measures", {"measure_type": "Priority Service", "department": "Customer Service", "status": "Done"}
	)
	plan.save()
	assert plan.total_cost == 45
	assert not frappe.db.exists("Complaint Voucher", {"source_name": name})  # not started yet
	apply_workflow(frappe.get_doc("Recovery Plan", name), "Start Plan")
	issued = frappe.get_all(
		"Complaint Voucher",
		filters={"source_name": name},
		fields=["kind", "value", "status"],
		order_by="value",
	)
	assert [(v.kind, v.value, v.status) for v in issued] == [
		("Service", 15, "Issued"),
		("Voucher", 30, "Issued"),
	]
	assert frappe.db.get_value("Complaint Customer", complaint.customer, "priority_service") == 1
	frappe.get_doc("Recovery Plan", name).save()  # saving again issues nothing more
	assert frappe.db.count("Complaint Voucher", {"source_name": name}) == 2


def test_owners_of_due_measures_are_reminded_once(agent):
	complaint = closed_for(agent)
	name = recovery_plans.create_plan(complaint.name)
	plan = frappe.get_doc("Recovery Plan", name)
	plan.measures[0].due_date = add_days(nowdate(), 1)
	plan.workflow_state = "Active"
	plan.flags.ignore_permissions = True
	plan.save()
	assert recovery_plans.remind_due() >= 1
	assert frappe.db.exists("Notification Log", {"for_user": agent, "document_name": name})
	assert recovery_plans.remind_due() == 0


def test_an_agent_sees_only_plans_of_customers_they_handle(agent, as_user):
	mine = recovery_plans.create_plan(closed_for(agent).name)
	other = UserFactory(roles=["Complaint Agent"]).name
	theirs = recovery_plans.create_plan(closed_for(other).name)
	as_user(agent)
	visible = frappe.get_list("Recovery Plan", pluck="name")
	assert mine in visible and theirs not in visible


def test_a_repeat_complainer_rule_needs_two_complaints():
	rule = frappe.get_doc(
		{
			"doctype": "Recovery Suggestion Rule",
			"rule_name": "x",
			"condition": "Repeat Complainer",
			"threshold": 1,
		}
	)
	rule.update({"strategy": "Process Fix", "window_days": 30})
	with pytest.raises(frappe.ValidationError, match="at least 2 complaints"):
		rule.insert()
