"""Staff neither read the customer's survey secret nor answer in the customer's name
(issue 10, survey forgery)."""

from __future__ import annotations

import frappe
import pytest
from frappe.client import get as client_get

from complaint_mgmt.services import survey
from tests.factories.access import handled_by
from tests.factories.doctypes import ComplaintSurveyFactory, UserFactory
from tests.integration.test_survey import closed_complaint

KEY = "0123456789abcdef01234567"


@pytest.fixture
def closed():
	agent = UserFactory(roles=["Complaint Agent"]).name
	supervisor = UserFactory(roles=["Complaint Supervisor"]).name
	doc = handled_by(agent, complaint=closed_complaint())
	frappe.db.set_value("Complaint", doc.name, "survey_key", KEY, update_modified=False)
	return {"complaint": doc.name, "agent": agent, "supervisor": supervisor}


@pytest.mark.parametrize("who", ["agent", "supervisor"])
def test_staff_never_read_the_survey_key(closed, as_user, who):
	from frappe.desk.reportview import get as report_view

	as_user(closed[who])
	assert not client_get("Complaint", closed["complaint"]).get("survey_key")
	rows = frappe.get_list("Complaint", filters={"name": closed["complaint"]}, fields=["name", "survey_key"])
	assert rows and not rows[0].get("survey_key")
	frappe.local.form_dict = frappe._dict(
		doctype="Complaint", fields=["`tabComplaint`.`name`", "`tabComplaint`.`survey_key`"]
	)
	assert KEY not in frappe.as_json(report_view())


def test_staff_cannot_record_a_portal_survey_so_the_customer_is_heard(closed, as_user):
	as_user(closed["agent"])
	forged = ComplaintSurveyFactory.build(complaint=closed["complaint"], method="Portal")
	with pytest.raises(frappe.PermissionError):
		forged.insert()
	as_user("Guest")
	name = survey.answer(KEY, 2, 3, "快递员态度差")
	as_user("Administrator")
	saved = frappe.get_doc("Complaint Survey", name)
	assert (saved.method, saved.efficiency_score, saved.solution_score) == ("Portal", 2, 3)
