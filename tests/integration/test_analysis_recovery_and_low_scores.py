"""The month worked out by hand (tests/factories/analytics.py, June 2020) seen from two places the
issue asks for: the monthly analysis report's recovery section, and the Complaint Satisfaction
report's list of low-score items."""

from __future__ import annotations

import io
from datetime import date, datetime

import frappe
import pytest
from pypdf import PdfReader

from complaint_mgmt.api import shipments
from complaint_mgmt.services import analysis_report, recovery_stat
from tests.factories.analytics import filters, june
from tests.factories.doctypes import UserFactory
from tests.integration.test_analytics_reports import run


@pytest.fixture
def month():
	return june()


def plan(complaint: str, state: str, start: date, completed: date | None = None) -> None:
	customer = frappe.db.get_value("Complaint", complaint, "customer")
	frappe.get_doc(
		{
			"doctype": "Recovery Plan",
			"customer": customer,
			"complaint": complaint,
			"workflow_state": state,
			"strategy": "Communication",
			"start_date": start,
			"completed_on": completed,
		}
	).db_insert()


def test_the_recovery_section_counts_plans_and_the_months_cohort(month):
	c1, c2, c3, c4 = month.complaints
	plan(c1, "Active", date(2020, 6, 3))  # started in June
	plan(c2, "Completed", date(2020, 5, 20), date(2020, 6, 20))  # completed in June
	plan(c3, "Completed", date(2020, 6, 5), date(2020, 7, 2))  # started in June, completed in July
	plan(c4, "Suggested", date(2020, 6, 7))  # never started
	# c1 and c2 closed in June (the cohort); c1's customer ships again on 10 June, within 90 days
	phone = frappe.db.get_value("Complaint", c1, "customer_phone")
	shipped = shipments.ingest(
		[
			{
				"waybill_no": "SF" + frappe.generate_hash(length=10).upper(),
				"customer": phone,
				"shipped_at": str(datetime(2020, 6, 10, 9)),
				"freight": 18,
			}
		]
	)
	assert shipped["stored"] == 1
	# the month's complaints and plans were written directly (the app saves): the rollup is told
	recovery_stat.refresh(frappe.db.get_value("Complaint", c, "customer") for c in month.complaints)
	doc = frappe.get_doc("Complaint Analysis Report", analysis_report.generate("2020-06-01"))
	assert (doc.plans_started, doc.plans_completed) == (2, 1)
	assert (doc.recovery_customers, doc.recovery_retained, doc.recovery_rate) == (2, 1, 50.0)
	pdf = analysis_report.render_pdf(doc.name)
	text = "".join("".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(pdf)).pages)
	assert "挽回率Recoveryrate" in text and "1(50.0%)" in text


def test_low_score_items_list_each_low_scored_complaint_with_type_owner_scores_and_comment(month):
	_c1, c2, *_rest = month.complaints
	frappe.db.set_value(
		"Complaint Survey",
		{"complaint": c2},
		{"comment": "赔偿太慢", "low_score_items": "Handling Efficiency\nReasonableness of the Solution"},
	)
	result = run("Complaint Satisfaction", **filters(month, view="Low-score Items"))
	# c1 scored 5 and 5; c2 scored 2 and 3, both under the line of 4
	assert [
		(r["complaint"], r["complaint_type"], r["lead_owner"], r["efficiency_score"], r["solution_score"])
		for r in result.data
	] == [(c2, "Delay", month.agents[0], 2, 3)]
	assert result.data[0]["comment"] == "赔偿太慢"
	assert result.data[0]["low_score_items"] == "Handling Efficiency, Reasonableness of the Solution"
	assert result.summary[0]["value"] == 1
	# the list counts what the by-type view counts
	by_type = run("Complaint Satisfaction", **filters(month))
	assert by_type.data[0]["low_scores"] == len(result.data)


def test_low_score_items_follow_the_complaints_a_manager_may_see(month, as_user):
	outsider = UserFactory(roles=["Department Manager"]).name
	as_user(outsider)
	assert run("Complaint Satisfaction", **filters(month, view="Low-score Items")).data == []
	frappe.set_user("Administrator")
	frappe.db.set_value("Complaint Department", month.department, "manager", outsider)
	as_user(outsider)
	assert len(run("Complaint Satisfaction", **filters(month, view="Low-score Items")).data) == 1
