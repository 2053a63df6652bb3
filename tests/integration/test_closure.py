"""Closure criteria (SPEC §7) come from the records; a supervisor may override them with a reason."""

from __future__ import annotations

import frappe
import pytest
from frappe.model.workflow import apply_workflow

from tests.factories.access import handled_by
from tests.factories.doctypes import (
	CompensationFactory,
	ComplaintInvestigationFactory,
	UserFactory,
)


@pytest.fixture
def people():
	roles = ("Complaint Agent", "Complaint Supervisor", "Complaint Finance")
	return {role: UserFactory(roles=[role]).name for role in roles}


@pytest.fixture
def damaged(people):
	"""A damaged parcel the agent handles (an agent approves only what they handle)."""
	return handled_by(
		people["Complaint Agent"],
		complaint_type="Damaged",
		goods_value=8000,
		is_insured=1,
		insured_value=8000,
		freight=30,
	)


def complaint(name: str):
	return frappe.get_doc("Complaint", name)


def close(name: str, **values):
	frappe.db.set_value("Complaint", name, "workflow_state", "Resolved")
	doc = complaint(name).update({"workflow_state": "Closed", "no_further_demand": 1, **values})
	doc.save()
	return doc


def pay(comp, people, as_user):
	apply_workflow(frappe.get_doc("Compensation", comp.name), "Submit for Approval")
	as_user(people["Complaint Agent"])
	apply_workflow(frappe.get_doc("Compensation", comp.name), "Approve")
	as_user(people["Complaint Finance"])
	apply_workflow(frappe.get_doc("Compensation", comp.name), "Start Payment")
	doc = frappe.get_doc("Compensation", comp.name)
	doc.payment_reference = f"WX-{comp.name}"
	doc.save()
	apply_workflow(frappe.get_doc("Compensation", comp.name), "Confirm Paid")
	as_user("Administrator")


def test_solution_executed_and_evidence_archived_are_read_from_the_records(people, damaged, as_user):
	from complaint_mgmt.api.compensation import record_done

	comp = CompensationFactory(complaint=damaged.name)  # reship + freight waived (SPEC §6)
	inv = ComplaintInvestigationFactory(complaint=damaged.name)
	doc = complaint(damaged.name)
	doc.update({"solution_executed": 1, "evidence_archived": 1})  # ticking by hand proves nothing
	doc.save()
	assert not doc.solution_executed and not doc.evidence_archived
	assert "is not paid" in doc.closure_gaps

	with pytest.raises(frappe.ValidationError, match="Not done yet") as refused:
		close(damaged.name)
	assert comp.name in str(refused.value)

	pay(comp, people, as_user)
	doc = complaint(damaged.name)
	assert not doc.solution_executed and "Reship" in doc.closure_gaps  # paid, not yet reshipped
	reship = next(line for line in frappe.get_doc("Compensation", comp.name).lines if line.remedy == "Reship")
	as_user(people["Complaint Agent"])
	frappe.db.set_value("Complaint", damaged.name, "lead_owner", people["Complaint Agent"])
	record_done(comp.name, reship.name, "SF9000000001 签收")
	as_user("Administrator")
	assert complaint(damaged.name).solution_executed

	inv = frappe.get_doc("Complaint Investigation", inv.name)
	for row in inv.evidence:
		row.status, row.notes = "Not Available", "监控已覆盖"
	inv.save()
	assert complaint(damaged.name).evidence_archived
	closed = close(damaged.name)
	assert closed.workflow_state == "Closed" and closed.closed_at


def test_a_supervisor_may_override_the_criteria_with_a_logged_reason(people, damaged, as_user):
	CompensationFactory(complaint=damaged.name)
	frappe.db.set_value("Complaint", damaged.name, "lead_owner", people["Complaint Agent"])

	as_user(people["Complaint Agent"])
	doc = complaint(damaged.name)
	doc.closure_override_reason = "客户已当面领取补发商品"
	with pytest.raises(frappe.ValidationError, match="Complaint Supervisor"):
		doc.save()

	as_user(people["Complaint Supervisor"])
	closed = close(damaged.name, closure_override_reason="客户已当面领取补发商品，签收单稍后补录")
	assert closed.workflow_state == "Closed"
	assert closed.closure_overridden_by == people["Complaint Supervisor"] and closed.closure_overridden_at
	assert frappe.db.exists(
		"Comment", {"reference_name": damaged.name, "content": ["like", "%overridden%客户已当面领取%"]}
	)


def test_the_override_role_is_a_setting(people, damaged, as_user, settings):
	settings(closure_override_role="Complaint Agent")
	frappe.db.set_value("Complaint", damaged.name, "lead_owner", people["Complaint Agent"])
	as_user(people["Complaint Agent"])
	closed = close(damaged.name, closure_override_reason="系统外已完成赔付")
	assert closed.workflow_state == "Closed"
