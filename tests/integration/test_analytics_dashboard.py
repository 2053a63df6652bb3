"""The workspace's Number Cards: today's intake, open Urgent, at risk, breached, this month's SLA
attainment and average score, each counted within what the reader may see."""

from __future__ import annotations

import frappe
import pytest
from frappe.utils import nowdate

from complaint_mgmt.api import dashboard
from tests.factories.access import handled_by, managed_department
from tests.factories.doctypes import UserFactory


@pytest.fixture
def floor():
	"""A department manager's department with three complaints received today, one per agent."""
	manager = UserFactory(roles=["Department Manager"]).name
	department = managed_department(manager)
	agents = [UserFactory(roles=["Complaint Agent"]).name for _ in range(3)]
	facts = [
		{"priority": "Urgent", "sla_status": "At Risk"},
		{"priority": "Urgent", "sla_status": "Met", "closed_at": frappe.utils.now_datetime()},
		{"priority": "General", "sla_status": "Breached"},
	]
	names = []
	for agent, values in zip(agents, facts, strict=True):
		doc = handled_by(agent, department)
		frappe.db.set_value("Complaint", doc.name, values, update_modified=False)
		names.append(doc.name)
	return frappe._dict(manager=manager, department=department, agents=agents, complaints=names)


def stat_row(department: str, owner: str, **measures) -> None:
	"""Today's rows of the Day and Owner grains, as the refresh writes them for one complaint."""
	for grain, node in (("Day", ""), ("Owner", owner)):
		frappe.get_doc(
			{
				"doctype": "Complaint Daily Stat",
				"day": nowdate(),
				"grain": grain,
				"node": node,
				"department": department,
				**measures,
			}
		).db_insert()


def test_a_department_manager_counts_the_complaints_of_their_department(floor, as_user):
	as_user(floor.manager)
	assert dashboard.todays_intake()["value"] == 3
	assert dashboard.open_urgent()["value"] == 1
	assert dashboard.at_risk()["value"] == 1
	card = dashboard.breached()
	assert card["value"] == 1
	assert card["route_options"] == {"sla_status": "Breached"}


def test_an_agent_counts_only_what_they_handle(floor, as_user):
	as_user(floor.agents[2])
	assert dashboard.todays_intake()["value"] == 1
	assert dashboard.breached()["value"] == 1
	assert dashboard.at_risk()["value"] == 0


def test_the_months_attainment_and_score_read_the_rollup_within_the_readers_reach(floor, as_user):
	# 3 of 4 clocks met; scores 5 + 4 and 4 + 3 → 4.0
	stat_row(
		floor.department,
		floor.agents[0],
		ack_met=3,
		ack_breached=1,
		surveyed=2,
		efficiency_score=9,
		solution_score=7,
	)
	stat_row(
		"elsewhere", "someone@else", resolution_breached=10, surveyed=1, efficiency_score=1, solution_score=1
	)
	as_user(floor.manager)
	assert dashboard.sla_attainment_this_month()["value"] == 75.0
	assert dashboard.average_score_this_month()["value"] == 4.0
	as_user(floor.agents[1])  # nothing of their own this month
	assert dashboard.sla_attainment_this_month()["value"] == 0


def test_someone_without_access_to_complaints_gets_no_number(as_user):
	as_user(UserFactory(roles=[], user_type="Website User").name)
	for card in (dashboard.todays_intake, dashboard.sla_attainment_this_month):
		with pytest.raises(frappe.PermissionError):
			card()


def test_the_workspace_shows_the_shipped_cards_and_charts():
	workspace = frappe.get_doc("Workspace", "Complaint Management")
	cards = {row.number_card_name for row in workspace.number_cards}
	charts = {row.chart_name for row in workspace.charts}
	assert {"Today's Intake", "Open Urgent", "At Risk", "Breached"} <= cards
	assert "Complaint Intake (Daily)" in charts
	for name in cards:
		method = frappe.db.get_value("Number Card", name, "method")
		assert frappe.get_attr(method)()["value"] is not None
