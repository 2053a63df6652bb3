"""The satisfaction survey after closure (SPEC §7) and its Survey milestone."""

from __future__ import annotations

import email
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
		{
			"workflow_state": "Closed",
			"no_further_demand": 1,
			"resolution_summary": "主管已致电道歉，客户接受。",
		}
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


def mails_to_customer(name: str) -> list[str]:
	texts = []
	for message in frappe.get_all("Email Queue", filters={"reference_name": name}, pluck="message"):
		parts = email.message_from_string(message).walk()
		texts.append(
			"".join(p.get_payload(decode=True).decode() for p in parts if p.get_content_maintype() == "text")
		)
	return texts


def survey_link_key(name: str) -> str:
	return frappe.db.get_value("Complaint", name, "survey_key")


def test_closing_sends_the_customer_a_survey_link_that_records_the_answers(people, outbox):
	from complaint_mgmt.api.portal import answer_survey

	doc = closed_complaint()
	key = survey_link_key(doc.name)
	assert key and len(key) >= 16
	assert any(f"/complaint-survey?key={key}" in text for text in mails_to_customer(doc.name))

	frappe.set_user("Guest")
	name = answer_survey(key, "4", "2", "赔偿到账太慢")
	frappe.set_user("Administrator")
	survey = frappe.get_doc("Complaint Survey", name)
	assert (survey.method, survey.efficiency_score, survey.solution_score) == ("Portal", 4, 2)
	assert survey.low_score_items == "Reasonableness of the Solution"
	assert survey_clock(doc.name).status == "Met"

	frappe.set_user("Guest")
	with pytest.raises(frappe.ValidationError, match="surveyed already"):
		answer_survey(key, 5, 5)


@pytest.mark.parametrize(
	("key", "scores", "message"),
	[("not-a-real-key-at-all", (5, 5), "not valid any more"), (None, (9, 5), "must be scored from 1 to 5")],
)
def test_a_bad_link_or_score_is_refused(people, key, scores, message):
	from complaint_mgmt.api.portal import answer_survey

	doc = closed_complaint()
	frappe.set_user("Guest")
	with pytest.raises(frappe.ValidationError, match=message):
		answer_survey(key or survey_link_key(doc.name), *scores)
	assert not frappe.db.exists("Complaint Survey", {"complaint": doc.name})


def test_no_invitation_when_the_admin_turns_it_off(people, outbox, settings):
	settings(survey_invite=0)
	doc = closed_complaint()
	assert not survey_link_key(doc.name)
	assert not frappe.db.exists(
		"Email Queue", {"reference_name": doc.name, "message": ["like", "%complaint-survey%"]}
	)


def test_the_survey_page_asks_and_then_thanks():
	from frappe.utils import set_request
	from frappe.website.serve import get_response

	doc = closed_complaint()
	key = survey_link_key(doc.name)

	def page() -> str:
		set_request(method="GET", path="/complaint-survey", query_string=f"key={key}")
		frappe.form_dict.clear()
		frappe.form_dict.key = key
		try:
			return get_response("complaint-survey").get_data(as_text=True)
		finally:
			del frappe.local.request
			if hasattr(frappe.local, "path"):
				del frappe.local.path

	frappe.set_user("Guest")
	assert 'id="survey-form"' in page()
	frappe.set_user("Administrator")
	ComplaintSurveyFactory(complaint=doc.name)
	frappe.set_user("Guest")
	html = page()
	assert 'id="survey-form"' not in html and "we have your answers" in html
