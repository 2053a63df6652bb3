"""Approval limits cannot be slipped under (issue 10, approval limits): one currency, the
complaint's running total, frozen sensitive facts, frozen approved terms."""

from __future__ import annotations

import frappe
import pytest
from frappe.model.workflow import apply_workflow

from tests.factories.doctypes import CompensationFactory
from tests.integration import test_compensation
from tests.integration.test_compensation import approve, approved_by_agent, cash_line, handled, submit

# the people and the damaged parcel of the compensation tests
people, damaged = test_compensation.people, test_compensation.damaged


def test_a_compensation_in_another_currency_is_refused(damaged):
	with pytest.raises(frappe.ValidationError, match="paid in CNY"):
		CompensationFactory(complaint=damaged.name, currency="USD", lines=cash_line(500))


def test_the_approval_level_applies_to_the_complaints_running_total(people, damaged, as_user):
	first, second = (CompensationFactory(complaint=damaged.name, lines=cash_line(400)) for _ in range(2))
	for comp in (first, second):
		submit(comp)
	as_user(people["Complaint Agent"])
	assert approve(first.name).workflow_state == "Approved"
	with pytest.raises(frappe.ValidationError, match="needs Department Manager"):
		approve(second.name)  # 400 + 400 = 800: above the agent's 500
	as_user(people["Department Manager"])
	assert approve(second.name).workflow_state == "Approved"
	assert frappe.db.get_value("Compensation", second.name, "required_level") == "Department Manager"


def test_media_involvement_is_frozen_while_a_compensation_waits(people, as_user):
	complaint = handled(people, complaint_type="Bad Attitude", media_involved=1)
	comp = CompensationFactory(complaint=complaint.name, lines=[{"remedy": "Voucher", "amount": 100}])
	submit(comp)
	as_user(people["Complaint Agent"])
	doc = frappe.get_doc("Complaint", complaint.name)
	doc.media_involved = 0
	with pytest.raises(frappe.ValidationError, match="cannot change"):
		doc.save()
	as_user("Administrator")
	assert frappe.db.get_value("Complaint", complaint.name, "media_involved") == 1


def test_an_approved_compensation_keeps_its_complaint_and_a_paid_one_its_reference(people, damaged, as_user):
	comp = approved_by_agent(damaged, 450, people, as_user)
	other = handled(people, complaint_type="Damaged", goods_value=8000, is_insured=1, insured_value=8000)
	as_user(people["Complaint Finance"])
	doc = frappe.get_doc("Compensation", comp.name)
	doc.complaint = other.name
	with pytest.raises(frappe.ValidationError, match="cannot change its complaint"):
		doc.save()
	apply_workflow(frappe.get_doc("Compensation", comp.name), "Start Payment")
	doc = frappe.get_doc("Compensation", comp.name)
	doc.payment_reference = "WX20261123000001"
	doc.save()
	apply_workflow(frappe.get_doc("Compensation", comp.name), "Confirm Paid")
	doc = frappe.get_doc("Compensation", comp.name)
	doc.payment_reference = "WX20261123999999"
	with pytest.raises(frappe.ValidationError, match="cannot change"):
		doc.save()
	assert frappe.db.get_value("Compensation", comp.name, "complaint") == damaged.name
	assert frappe.db.get_value("Compensation", comp.name, "payment_reference") == "WX20261123000001"
