"""The complaint workflow, closure rules, permissions, and install/migrate behaviour."""

from __future__ import annotations

import frappe
import pytest
from frappe.model.workflow import WorkflowPermissionError, WorkflowTransitionError, apply_workflow

from tests.factories.doctypes import ComplaintFactory, UserFactory


def walk_to_resolved(doc, user):
	for action in (
		"Start Investigation",
		"Propose Solution",
		"Send to Customer",
		"Customer Accepted",
		"Mark Resolved",
	):
		doc = apply_workflow(frappe.get_doc("Complaint", doc.name), action)
	return doc


@pytest.fixture
def agent():
	return UserFactory(roles=["Complaint Agent"]).name


def test_closing_needs_acceptance_execution_and_archived_evidence(agent, as_user):
	doc = ComplaintFactory(complaint_type="Bad Attitude")
	assert frappe.db.get_value("Complaint", doc.name, "lead_owner") == agent
	frappe.db.set_value("Complaint", doc.name, "workflow_state", "Assigned")
	as_user(agent)
	doc = walk_to_resolved(doc, agent)
	assert doc.workflow_state == "Resolved"

	with pytest.raises(frappe.ValidationError, match="cannot be closed until"):
		apply_workflow(frappe.get_doc("Complaint", doc.name), "Close")
	assert frappe.db.get_value("Complaint", doc.name, "workflow_state") == "Resolved"

	current = frappe.get_doc("Complaint", doc.name)
	current.update({"no_further_demand": 1, "resolution_summary": "已向客户解释并致歉。"})
	current.save()
	closed = apply_workflow(frappe.get_doc("Complaint", doc.name), "Close")
	assert closed.workflow_state == "Closed" and closed.closed_at


def test_an_agent_cannot_reject_and_sees_only_own_complaints(agent, as_user):
	other_agent = UserFactory(roles=["Complaint Agent"]).name
	mine = ComplaintFactory(complaint_type="Bad Attitude")
	frappe.db.set_value("Complaint", mine.name, "lead_owner", agent)
	theirs = ComplaintFactory(complaint_type="Bad Attitude")
	frappe.db.set_value("Complaint", theirs.name, {"lead_owner": other_agent, "_assign": "[]"})
	frappe.db.delete("ToDo", {"reference_name": theirs.name, "allocated_to": agent})
	frappe.db.delete("DocShare", {"share_name": theirs.name, "user": agent})
	frappe.db.set_value("Complaint", mine.name, "workflow_state", "New")

	as_user(agent)
	visible = set(frappe.get_list("Complaint", pluck="name"))
	assert mine.name in visible and theirs.name not in visible
	assert not frappe.has_permission("Complaint", "read", doc=frappe.get_doc("Complaint", theirs.name))
	with pytest.raises((WorkflowPermissionError, WorkflowTransitionError)):
		apply_workflow(frappe.get_doc("Complaint", mine.name), "Reject")
	assert frappe.db.get_value("Complaint", mine.name, "workflow_state") == "New"


def test_personal_fields_are_hidden_from_roles_that_do_not_handle_complaints(as_user):
	quality = UserFactory(roles=["Quality Manager"]).name
	doc = ComplaintFactory(customer_phone="13900001111")
	as_user(quality)
	fetched = frappe.get_list("Complaint", filters={"name": doc.name}, fields=["name", "customer_phone"])
	assert fetched and not fetched[0].get("customer_phone")
	loaded = frappe.get_doc("Complaint", doc.name)
	loaded.apply_fieldlevel_read_permissions()
	assert not loaded.get("customer_phone") and loaded.subject


def test_admin_workflow_change_survives_migrate_and_complaints_keep_working(agent, as_user):
	from frappe.utils.fixtures import sync_fixtures

	from complaint_mgmt import install

	if not frappe.db.exists("Workflow State", "Quality Review"):
		frappe.get_doc({"doctype": "Workflow State", "workflow_state_name": "Quality Review"}).insert()
	if not frappe.db.exists("Workflow Action Master", "Send to Quality Review"):
		frappe.get_doc(
			{"doctype": "Workflow Action Master", "workflow_action_name": "Send to Quality Review"}
		).insert()
	wf = frappe.get_doc("Workflow", "Complaint Workflow")
	wf.append("states", {"state": "Quality Review", "doc_status": "0", "allow_edit": "Complaint Agent"})
	wf.append(
		"transitions",
		{
			"state": "Resolved",
			"action": "Send to Quality Review",
			"next_state": "Quality Review",
			"allowed": "Complaint Agent",
		},
	)
	wf.append(
		"transitions",
		{"state": "Quality Review", "action": "Close", "next_state": "Closed", "allowed": "Complaint Agent"},
	)
	wf.save()

	sync_fixtures("complaint_mgmt")
	install.after_migrate()
	wf.reload()
	assert any(t.next_state == "Quality Review" for t in wf.transitions)

	doc = ComplaintFactory(
		complaint_type="Bad Attitude", no_further_demand=1, resolution_summary="已向客户解释并致歉。"
	)
	frappe.db.set_value("Complaint", doc.name, "workflow_state", "Assigned")
	as_user(agent)
	walk_to_resolved(doc, agent)
	reviewed = apply_workflow(frappe.get_doc("Complaint", doc.name), "Send to Quality Review")
	assert reviewed.workflow_state == "Quality Review"
	assert apply_workflow(frappe.get_doc("Complaint", doc.name), "Close").workflow_state == "Closed"


def test_seeding_again_creates_nothing_new():
	from complaint_mgmt import install

	counts = {
		dt: frappe.db.count(dt)
		for dt in (
			"Complaint Channel",
			"Complaint Type",
			"Complaint Priority Rule",
			"Workflow",
			"Email Template",
		)
	}
	install.after_migrate()
	assert {dt: frappe.db.count(dt) for dt in counts} == counts


def test_shipped_types_channels_and_roles_are_there():
	assert frappe.db.get_value("Complaint Type", "Damaged", "category") == "Damage & Shortage"
	assert frappe.db.count("Complaint Channel") >= 13
	for role in ("Complaint Agent", "Complaint Supervisor", "Risk Manager", "General Manager"):
		assert frappe.db.exists("Role", role)


def test_demo_data_is_safe_to_run_twice():
	from complaint_mgmt.demo import make_demo

	assert make_demo(count=3, days=10, commit=False) == 3
	assert make_demo(count=3, days=10, commit=False) == 0
	states = frappe.get_all(
		"Complaint", filters={"intake_reference": ["like", "DEMO-%"]}, pluck="workflow_state"
	)
	assert len(states) == 3 and all(states)
