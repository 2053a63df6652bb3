"""Policy numbers are settings or records (SPEC defaults), and every policy record is checked
when it is saved, with the message on the record being saved."""

from __future__ import annotations

import frappe
import pytest
from frappe.model.workflow import apply_workflow
from frappe.utils import add_days, getdate, now_datetime

from tests.factories.access import handled_by
from tests.factories.doctypes import (
	CompensationFactory,
	ComplaintFactory,
	ComplaintInvestigationFactory,
	UserFactory,
)


@pytest.fixture
def people():
	roles = ("Complaint Agent", "Department Manager", "General Manager", "Complaint Supervisor")
	return {role: UserFactory(roles=[role]).name for role in roles}


def refused_in(lang: str, save) -> str:
	frappe.local.lang = lang
	frappe.local.lang_full_dict = None
	with pytest.raises(frappe.ValidationError) as info:
		save()
	return str(info.value)


# ------------------------------------------------------------------ item 5: numbers as settings
def test_the_extension_limit_is_a_setting(people, settings):
	from complaint_mgmt.api.complaint import grant_extension

	settings(max_extensions=2)
	doc = ComplaintFactory(complaint_type="Damaged")
	grant_extension(doc.name, 12, "等待驿站监控")
	grant_extension(doc.name, 12, "等待第三方答复")
	with pytest.raises(frappe.ValidationError, match="Only 2 extensions"):
		grant_extension(doc.name, 12, "第三次")


def test_evidence_reminders_follow_the_settings(people, settings):
	from complaint_mgmt.api.compensation import request_customer_evidence
	from complaint_mgmt.services.investigation import send_reminders

	settings(evidence_reminder_after_days=3, evidence_max_reminders=1)
	complaint = ComplaintFactory(complaint_type="Damaged")
	inv = ComplaintInvestigationFactory(complaint=complaint.name)
	request_customer_evidence(inv.name)
	row = next(
		r for r in frappe.get_doc("Complaint Investigation", inv.name).evidence if r.status == "Requested"
	)

	def reminders() -> int:
		return frappe.db.get_value("Complaint Investigation Evidence", row.name, "reminders_sent")

	frappe.db.set_value(
		"Complaint Investigation Evidence", row.name, "requested_at", add_days(now_datetime(), -2)
	)
	send_reminders()
	assert reminders() == 0  # two days: not yet
	frappe.db.set_value(
		"Complaint Investigation Evidence", row.name, "requested_at", add_days(now_datetime(), -4)
	)
	send_reminders()
	assert reminders() == 1
	frappe.db.set_value(
		"Complaint Investigation Evidence", row.name, "requested_at", add_days(now_datetime(), -4)
	)
	send_reminders()
	assert reminders() == 1  # at most once


def insured_damage():
	return ComplaintFactory(
		complaint_type="Damaged",
		customer_language="en",
		goods_value=8000,
		is_insured=1,
		insured_value=8000,
		freight=30,
	)


def notice_html(complaint) -> str:
	return frappe.get_print(
		"Complaint", complaint.name, print_format="Complaint Handling Notice", doc=complaint
	)


def test_the_handling_notice_states_the_settings_and_policy_numbers(people, settings):
	settings(payment_working_days=5)
	complaint = insured_damage()
	CompensationFactory(complaint=complaint.name, lines=[{"remedy": "Cash", "amount": 300}])
	html = notice_html(frappe.get_doc("Complaint", complaint.name))
	assert "within 5 working days" in html
	assert "within 2 hours" in html  # the Objection Re-evaluation target of the complaint's policy

	policy = frappe.get_doc("Complaint SLA Policy", complaint.sla_policy)
	for row in policy.targets:
		if row.milestone == "Objection Re-evaluation":
			row.target_hours = 4
	policy.save()
	assert "within 4 hours" in notice_html(frappe.get_doc("Complaint", complaint.name))


def test_an_approval_without_a_date_promises_one_from_the_settings(people, settings, as_user):
	from complaint_mgmt.engine.calendar import add_working_days

	settings(payment_working_days=3)
	complaint = insured_damage()
	comp = CompensationFactory(complaint=complaint.name, lines=[{"remedy": "Cash", "amount": 300}])
	apply_workflow(frappe.get_doc("Compensation", comp.name), "Submit for Approval")
	as_user(people["Complaint Agent"])
	apply_workflow(frappe.get_doc("Compensation", comp.name), "Approve")
	as_user("Administrator")
	due = frappe.db.get_value("Compensation", comp.name, "expected_payment_date")
	assert getdate(due) == add_working_days(getdate(), 3)
	told = frappe.get_all(
		"Communication",
		filters={
			"reference_doctype": "Complaint",
			"reference_name": complaint.name,
			"content": ["like", "%approved%"],
		},
		pluck="content",
	)
	assert told and all("by ." not in text for text in told)
	assert any(str(due) in text for text in told)


def test_the_regulator_rule_is_a_row_of_the_approval_matrix(people, as_user):
	complaint = ComplaintFactory(complaint_type="Bad Attitude", regulator_involved=1)
	comp = CompensationFactory(complaint=complaint.name, lines=[{"remedy": "Voucher", "amount": 100}])
	assert comp.required_level == "General Manager"

	# the admin lets the department manager handle regulator cases
	gm = frappe.get_doc("Compensation Approval Level", "General Manager")
	gm.required_for = "media_involved"
	gm.save()
	dm = frappe.get_doc("Compensation Approval Level", "Department Manager")
	dm.required_for = "regulator_involved"
	dm.save()
	comp = frappe.get_doc("Compensation", comp.name)
	comp.save()
	assert comp.required_level == "Department Manager"
	apply_workflow(comp, "Submit for Approval")
	handled_by(people["Department Manager"], complaint=complaint)  # an approver handles the complaint
	as_user(people["Department Manager"])
	assert apply_workflow(frappe.get_doc("Compensation", comp.name), "Approve").workflow_state == "Approved"


# ------------------------------------------------------------------ item 6: checked when saved
def test_an_incident_threshold_below_two_is_refused_on_the_settings(settings):
	assert "at least 2" in refused_in("en", lambda: settings(incident_threshold=1))
	assert "至少" in refused_in("zh", lambda: settings(incident_threshold=1))
	assert frappe.db.get_single_value("Complaint Settings", "incident_threshold") == 5
	ComplaintFactory(batch_no="B-1")  # intake still works


def test_an_unknown_placeholder_is_refused_with_the_ones_allowed(settings):
	message = refused_in("en", lambda: settings(compensation_approved_text="Paid {amount} on {when}"))
	assert "{when}" in message and "{name}, {amount}, {date}" in message
	message = refused_in("en", lambda: settings(ack_sms_text_zh="投诉 {name"))
	assert "unmatched brace" in message


def test_a_message_stored_with_a_bad_placeholder_still_goes_out(people):
	from complaint_mgmt.services.customer_messages import sms_text

	frappe.db.set_single_value("Complaint Settings", "ack_sms_text", "Complaint {name} {oops}")
	frappe.clear_document_cache("Complaint Settings", "Complaint Settings")
	doc = ComplaintFactory(customer_language="en")
	assert sms_text(doc) == f"Complaint {doc.name} {{oops}}"


@pytest.mark.parametrize(
	("doctype", "name", "change", "message"),
	[
		(
			"Compensation Approval Level",
			"Agent",
			{"max_amount": 5000},
			"must be above the limit of Agent",
		),
		(
			"Compensation Approval Level",
			"General Manager",
			{"max_amount": 10000},
			"highest approval level must be unlimited",
		),
		(
			"Compensation Approval Level",
			"General Manager",
			{"required_for": "media_involved\nweather"},
			"use one of media_involved, regulator_involved",
		),
		("Complaint SLA Policy", "Standard", {"at_risk_percent": 150}, "between 1 and 100"),
	],
)
def test_bad_policy_records_are_refused_where_they_are_saved(doctype, name, change, message):
	doc = frappe.get_doc(doctype, name).update(change)
	assert message in refused_in("en", doc.save)


def test_a_scenario_and_a_cap_are_checked_when_saved():
	scenario = frappe.get_all("Compensation Scenario", filters={"basis": "freight"}, pluck="name")[0]
	doc = frappe.get_doc("Compensation Scenario", scenario)
	doc.percent = None
	assert "needs a percentage" in refused_in("en", doc.save)
	cap = frappe.get_all("Compensation Cap", filters={"kind": "uninsured_freight_multiple"}, pluck="name")[0]
	doc = frappe.get_doc("Compensation Cap", cap)
	doc.multiple = 0
	assert "must be above 0" in refused_in("en", doc.save)


def test_escalation_rules_priority_rules_and_calendars_are_checked_when_saved():
	from tests.factories.doctypes import (
		ComplaintBusinessCalendarFactory,
		ComplaintEscalationRuleFactory,
		ComplaintPriorityRuleFactory,
	)

	twice = [
		{"level": 1, "trigger": "After Breach", "threshold": 0},
		{"level": 1, "trigger": "After Breach", "threshold": 10},
	]
	assert "defined twice" in refused_in("en", lambda: ComplaintEscalationRuleFactory(levels=twice))
	assert "needs a list of values" in refused_in(
		"en", lambda: ComplaintPriorityRuleFactory(field="goods_category", operator="in", value=" , ")
	)
	empty = refused_in("en", lambda: ComplaintBusinessCalendarFactory(working_hours=[]))
	assert "working hours" in empty


def test_a_site_without_a_default_currency_gets_the_compensation_currency():
	from frappe.cache_manager import clear_defaults_cache

	from complaint_mgmt.install import seed_default_currency

	try:
		frappe.db.set_default("currency", "")
		seed_default_currency()
		assert frappe.db.get_default("currency") == frappe.db.get_single_value(
			"Complaint Settings", "compensation_currency"
		)
		frappe.db.set_default("currency", "USD")  # an admin's choice stays
		seed_default_currency()
		assert frappe.db.get_default("currency") == "USD"
	finally:
		frappe.db.rollback()
		clear_defaults_cache("__default")  # no cached value outlives the rolled-back rows
