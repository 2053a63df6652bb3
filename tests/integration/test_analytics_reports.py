"""Every analysis report's figures against the month worked out by hand in
tests/factories/analytics.py, and who sees which figures."""

from __future__ import annotations

from datetime import date

import frappe
import pytest

from complaint_mgmt.services import analytics
from tests.factories.analytics import END, NOW, START, filters, june
from tests.factories.doctypes import UserFactory


def run(report: str, **given):
	module = frappe.get_attr(
		f"complaint_mgmt.complaint_management.report.{frappe.scrub(report)}.{frappe.scrub(report)}.execute"
	)
	columns, data, _message, chart, *summary = module(given)
	return frappe._dict(columns=columns, data=data, chart=chart, summary=summary[0] if summary else None)


@pytest.fixture
def month():
	return june()


def test_volume_trend_counts_received_and_closed_per_week_and_flags_the_peak(month):
	result = run("Complaint Volume Trend", **filters(month, granularity="Week"))
	weeks = {row["period"]: (row["received"], row["closed"], row["peak"]) for row in result.data}
	# five weeks starting on Monday 1 June; 4 complaints → average 0.8, a peak from 1.2
	assert weeks == {
		date(2020, 6, 1): (3, 2, "Peak"),
		date(2020, 6, 8): (0, 0, ""),
		date(2020, 6, 15): (1, 0, ""),
		date(2020, 6, 22): (0, 0, ""),
		date(2020, 6, 29): (0, 0, ""),
	}
	assert result.chart["data"]["datasets"][0]["values"] == [3, 0, 1, 0, 0]
	assert result.summary[0]["value"] == 4


def test_volume_trend_per_month_and_per_priority(month):
	result = run("Complaint Volume Trend", **filters(month, priority="Urgent"))
	assert [(r["period"], r["received"], r["closed_rate"]) for r in result.data] == [
		(date(2020, 6, 1), 2, 100.0)
	]


def test_sla_attainment_per_milestone_and_priority_against_the_targets(month):
	result = run("Complaint SLA Attainment", **filters(month))
	rows = {(r["milestone"], r["priority"]): r for r in result.data}
	urgent_resolution = rows[("Resolution", "Urgent")]
	# c1 met, c2 met late; c3's clock stopped before its deadline (neither)
	assert (urgent_resolution["met"], urgent_resolution["breached"]) == (1, 1)
	assert urgent_resolution["attainment"] == 50.0
	assert urgent_resolution["target"] == 90 and urgent_resolution["result"] == "Missed"
	general_ack = rows[("Acknowledge", "General")]
	assert (general_ack["attainment"], general_ack["target"], general_ack["result"]) == (100.0, 95, "Met")
	assert rows[("Acknowledge", "All")]["attainment"] == round(200 / 3, 1)
	assert result.summary[0]["value"] == 60.0  # 3 of 5 decided clocks


def test_a_department_manager_sees_only_their_departments_figures(month, as_user):
	outsider = UserFactory(roles=["Department Manager"]).name
	as_user(outsider)
	assert run("Complaint Volume Trend", **filters(month)).summary[0]["value"] == 0
	frappe.set_user("Administrator")
	frappe.db.set_value("Complaint Department", month.department, "manager", outsider)
	as_user(outsider)
	assert run("Complaint Volume Trend", **filters(month)).summary[0]["value"] == 4


def test_handling_and_first_response_time_average_the_closed_and_acknowledged_complaints(month):
	result = run("Complaint Handling Time", **filters(month))
	(june_row,) = result.data
	# closed after 20 h and 30 h; acknowledged after 30, 90 and 60 minutes
	assert (june_row["closed"], june_row["handling_hours"]) == (2, 25.0)
	assert (june_row["responded"], june_row["response_hours"]) == (3, 1.0)


def test_share_by_priority_with_how_each_group_was_handled(month):
	result = run("Complaint Share", **filters(month, group_by="Priority"))
	rows = {r["key"]: r for r in result.data}
	assert {k: (r["received"], r["share"]) for k, r in rows.items()} == {
		"Urgent": (2, 50.0),
		"General": (2, 50.0),
	}
	# c1 scored 5 + 5, c2 2 + 3 (a low score)
	assert (rows["Urgent"]["avg_score"], rows["Urgent"]["low_score_rate"]) == (3.75, 50.0)
	assert rows["General"]["avg_score"] is None
	assert result.chart["type"] == "pie"


def test_share_by_route_reads_the_route_rollup(month):
	frappe.db.set_value("Complaint", month.complaints[0], "route", "武汉-长沙")
	analytics.recompute(START, END, now=NOW)
	rows = run("Complaint Share", **filters(month, group_by="Route")).data
	assert ("武汉-长沙", 1, 25.0) in [(r["key"], r["received"], r["share"]) for r in rows]


def test_satisfaction_per_type_with_low_scores(month):
	result = run("Complaint Satisfaction", **filters(month))
	(delay,) = result.data
	assert (delay["surveyed"], delay["efficiency"], delay["solution"], delay["avg_score"]) == (
		2,
		3.5,
		4.0,
		3.75,
	)
	assert (delay["low_scores"], delay["low_score_rate"]) == (1, 50.0)


def test_compensation_by_liability_counts_approved_and_paid_only(month):
	result = run("Complaint Compensation Analysis", **filters(month, group_by="Liability"))
	assert [(r["key"], r["compensations"], r["amount"], r["share"]) for r in result.data] == [
		("Company", 1, 200, 66.7),
		("Third Party", 1, 100, 33.3),
	]
	by_scenario = run("Complaint Compensation Analysis", **filters(month)).data
	assert [(r["key"], r["amount"]) for r in by_scenario] == [("Delay", 300)]
	assert result.summary[0]["value"] == 300


def test_handler_evaluation_per_agent_and_an_agent_sees_only_their_own_line(month, as_user):
	result = run("Complaint Handler Evaluation", **filters(month))
	first, second = month.agents
	rows = {r["handler"]: r for r in result.data}
	assert set(rows) == {first, second}
	# first agent: c1 (all clocks met) and c2 (both breached, reopened once, escalated twice)
	assert (rows[first]["received"], rows[first]["closed"], rows[first]["sla_attainment"]) == (2, 2, 50.0)
	assert (rows[first]["reopen_rate"], rows[first]["escalations"], rows[first]["avg_score"]) == (
		50.0,
		2,
		3.75,
	)
	assert (rows[second]["closed"], rows[second]["sla_attainment"]) == (0, 100.0)
	as_user(second)
	own = run("Complaint Handler Evaluation", **filters(month)).data
	assert [r["handler"] for r in own] == [second]
	assert run("Complaint Handler Evaluation", **filters(month, group_by="Department")).data == []


def test_handler_evaluation_per_department(month):
	(row,) = run("Complaint Handler Evaluation", **filters(month, group_by="Department")).data
	assert (row["handler"], row["received"], row["closed"], row["handling_hours"]) == (
		month.department,
		4,
		2,
		25.0,
	)
