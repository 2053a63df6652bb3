"""Records that belong to a complaint follow the complaint's record rule (issue 10, related records)."""

from __future__ import annotations

import frappe
import pytest
from frappe.model.workflow import apply_workflow

from tests.factories.access import handled_by
from tests.factories.doctypes import (
	CompensationFactory,
	ComplaintDepartmentFactory,
	ComplaintInvestigationFactory,
	UserFactory,
)


@pytest.fixture
def staff():
	other_department = ComplaintDepartmentFactory()
	people = {
		"a": UserFactory(roles=["Complaint Agent"]).name,
		"b": UserFactory(roles=["Complaint Agent"]).name,
		"manager": UserFactory(roles=["Department Manager"]).name,
		"gm": UserFactory(roles=["General Manager"]).name,
	}
	frappe.db.set_value("Complaint Department", other_department.name, "manager", people["manager"])
	return people


@pytest.fixture
def records(staff):
	"""Agent A's complaint with a compensation pending approval and an investigation."""
	complaint = handled_by(staff["a"], complaint_type="Damaged", goods_value=800, freight=30)
	comp = CompensationFactory(complaint=complaint.name, lines=[{"remedy": "Voucher", "amount": 100}])
	apply_workflow(frappe.get_doc("Compensation", comp.name), "Submit for Approval")
	investigation = ComplaintInvestigationFactory(complaint=complaint.name)
	return {"complaint": complaint, "Compensation": comp.name, "Complaint Investigation": investigation.name}


@pytest.mark.parametrize("outsider", ["b", "manager"])
@pytest.mark.parametrize("doctype", ["Compensation", "Complaint Investigation"])
def test_an_outsider_neither_lists_reads_nor_edits_another_agents_records(
	staff, records, as_user, outsider, doctype
):
	name = records[doctype]
	as_user(staff[outsider])
	assert name not in frappe.get_list(doctype, pluck="name")
	assert not frappe.has_permission(doctype, "read", doc=name)
	with pytest.raises(frappe.PermissionError):
		frappe.get_doc(doctype, name).check_permission("read")
	with pytest.raises(frappe.PermissionError):
		frappe.get_doc(doctype, name).save()
	as_user(staff["a"])
	assert name in frappe.get_list(doctype, pluck="name")
	assert frappe.has_permission(doctype, "write", doc=name)


def test_another_agent_cannot_approve_or_record_acceptance(staff, records, as_user):
	from complaint_mgmt.api.compensation import record_acceptance

	name = records["Compensation"]
	as_user(staff["b"])
	with pytest.raises(frappe.PermissionError):
		apply_workflow(frappe.get_doc("Compensation", name), "Approve")
	with pytest.raises(frappe.PermissionError):
		record_acceptance(name)
	as_user("Administrator")
	assert frappe.db.get_value("Compensation", name, "workflow_state") == "Pending Approval"
	assert not frappe.db.get_value("Complaint", records["complaint"].name, "customer_accepted")


def test_an_agent_cannot_raise_a_compensation_on_another_agents_complaint(staff, records, as_user):
	as_user(staff["b"])
	doc = CompensationFactory.build(
		complaint=records["complaint"].name, lines=[{"remedy": "Voucher", "amount": 10}]
	)
	with pytest.raises(frappe.PermissionError):
		doc.insert()


def test_surveys_and_escalations_follow_the_complaint(staff, records, as_user):
	complaint = records["complaint"].name
	escalation = frappe.get_doc(
		{"doctype": "Complaint Escalation", "complaint": complaint, "milestone": "Resolution", "level": 1}
	).insert(ignore_permissions=True)
	as_user(staff["b"])
	assert escalation.name not in frappe.get_list("Complaint Escalation", pluck="name")
	assert not frappe.has_permission("Complaint Escalation", "read", doc=escalation.name)
	as_user(staff["a"])
	assert escalation.name in frappe.get_list("Complaint Escalation", pluck="name")
	as_user(staff["gm"])  # a broad role sees every record
	assert escalation.name in frappe.get_list("Complaint Escalation", pluck="name")
