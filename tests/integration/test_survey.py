"""The satisfaction survey after closure (SPEC §7) and its Survey milestone."""

from __future__ import annotations

from datetime import timedelta

import frappe
import pytest
from frappe.utils import get_datetime

from complaint_mgmt.tasks.sla import sweep
from tests.factories.doctypes import ComplaintFactory, ComplaintSurveyFactory, UserFactory


@pytest.fixture
def people():
	return {role: UserFactory(roles=[role]).name for role in ("Complaint Agent", "Quality Manager")}


def closed_complaint():
	doc = ComplaintFactory(complaint_type="Bad Attitude")
	frappe.db.set_value("Complaint", doc.name, "workflow_state", "Resolved")
	doc = frappe.get_doc("Complaint", doc.name)
	doc.update(
		{"workflow_state": "Closed", "no_further_demand": 1, "solution_executed": 1, "evidence_archived": 1}
	)
	doc.save()
	return doc


def survey_clock(name: str):
	rows = frappe.get_all(
		"Complaint Milestone",
		filters={"parent": name, "milestone": "Survey"},
		fields=["started_at", "due_at", "met_at", "status"],
	)
	return rows[0] if rows else None


def test_closing_starts_the_survey_clock_and_the_survey_meets_it(people):
	doc = closed_complaint()
	clock = survey_clock(doc.name)
	assert get_datetime(clock.due_at) - get_datetime(doc.closed_at) == timedelta(hours=72)
	assert clock.status == "On Track" and not clock.met_at

	survey = ComplaintSurveyFactory(complaint=doc.name)
	assert survey.low_score == 0 and survey.surveyed_by == "Administrator"
	assert survey.complaint_type == "Bad Attitude" and survey.lead_owner == people["Complaint Agent"]
	clock = survey_clock(doc.name)
	assert clock.status == "Met" and clock.met_at
	assert not frappe.db.exists("Notification Log", {"document_name": survey.name})


def test_an_open_complaint_has_no_survey_clock_and_cannot_be_surveyed(people):
	doc = ComplaintFactory(complaint_type="Bad Attitude")
	assert survey_clock(doc.name) is None
	with pytest.raises(frappe.ValidationError, match="Only a closed complaint is surveyed"):
		ComplaintSurveyFactory(complaint=doc.name)
	assert not frappe.db.exists("Complaint Survey", {"complaint": doc.name})


def test_a_low_score_reaches_quality_and_the_owner(people):
	doc = closed_complaint()
	survey = ComplaintSurveyFactory(complaint=doc.name, efficiency_score=3, solution_score=4)
	assert survey.low_score == 1 and survey.low_score_items == "Handling Efficiency"
	for user in (people["Quality Manager"], people["Complaint Agent"]):
		assert frappe.db.exists("Notification Log", {"for_user": user, "document_name": survey.name})


@pytest.mark.parametrize(("efficiency", "solution"), [(6, 5), (5, 0)])
def test_a_score_off_the_scale_is_refused(people, efficiency, solution):
	doc = closed_complaint()
	with pytest.raises(frappe.ValidationError, match="must be scored from 1 to 5"):
		ComplaintSurveyFactory(complaint=doc.name, efficiency_score=efficiency, solution_score=solution)
	assert not frappe.db.exists("Complaint Survey", {"complaint": doc.name})
	assert not survey_clock(doc.name).met_at


def test_a_complaint_is_surveyed_once(people):
	doc = closed_complaint()
	first = ComplaintSurveyFactory(complaint=doc.name)
	with pytest.raises(frappe.ValidationError, match="surveyed already"):
		ComplaintSurveyFactory(complaint=doc.name, efficiency_score=1)
	assert frappe.get_all("Complaint Survey", filters={"complaint": doc.name}, pluck="name") == [first.name]


def test_the_customers_answers_cannot_be_changed_afterwards(people):
	survey = ComplaintSurveyFactory(complaint=closed_complaint().name, efficiency_score=2)
	survey.efficiency_score = 5
	with pytest.raises(frappe.CannotChangeConstantError):
		survey.save()
	assert frappe.db.get_value("Complaint Survey", survey.name, "efficiency_score") == 2


def test_admin_moves_the_low_score_line(people, settings):
	settings(survey_low_score_below=5)
	survey = ComplaintSurveyFactory(complaint=closed_complaint().name, efficiency_score=5, solution_score=4)
	assert survey.low_score_items == "Reasonableness of the Solution"


def test_a_survey_not_done_in_time_escalates(people):
	doc = closed_complaint()
	sweep(now=get_datetime(doc.closed_at) + timedelta(hours=73))
	levels = frappe.get_all(
		"Complaint Escalation", filters={"complaint": doc.name, "milestone": "Survey"}, pluck="level"
	)
	assert 1 in levels and 2 in levels
