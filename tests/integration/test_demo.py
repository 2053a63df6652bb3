"""The demo month looks like a real one: a few Urgent complaints, most clocks met in time, and every
kind of record the desk shows."""

from __future__ import annotations

import frappe
import pytest

from complaint_mgmt.demo import make_demo
from tests.integration.conftest import HANDLING_ROLES


@pytest.fixture(scope="module")
def demo():
	"""200 demo complaints, loaded once for the module (rolled back at the end)."""
	frappe.db.rollback()
	# as for every test: the site's own users do not handle complaints, the demo staff does
	has_role = frappe.qb.DocType("Has Role")
	frappe.qb.from_(has_role).delete().where(has_role.role.isin(HANDLING_ROLES)).where(
		has_role.parent.notin(["Administrator", "Guest"])
	).where(has_role.parenttype == "User").run()
	frappe.clear_cache()
	created = make_demo(count=200, commit=False)
	yield created
	frappe.db.rollback()


@pytest.fixture(autouse=True)
def rollback():
	"""The module's complaints stay between its tests (the conftest's per-test rollback is off here)."""
	yield


def demo_complaints(**filters):
	return frappe.get_all(
		"Complaint",
		filters={"intake_reference": ["like", "DEMO-%"], **filters},
		fields=["name", "priority", "workflow_state", "sla_status"],
	)


def test_the_priority_mix_is_mostly_general_with_a_few_urgent(demo):
	assert demo == 200
	priorities = [c.priority for c in demo_complaints()]
	assert len(priorities) == 200
	urgent, important = priorities.count("Urgent") / 200, priorities.count("Important") / 200
	assert 0.04 <= urgent <= 0.11
	assert 0.15 <= important <= 0.45
	assert priorities.count("General") > 100


def test_most_clocks_are_met_in_time(demo):
	ms = frappe.qb.DocType("Complaint Milestone")
	complaint = frappe.qb.DocType("Complaint")
	statuses = (
		frappe.qb.from_(ms)
		.join(complaint)
		.on(complaint.name == ms.parent)
		.select(ms.status)
		.where(complaint.intake_reference.like("DEMO-%"))
		.where(ms.met_at.isnotnull())
		.run(pluck=True)
	)
	attainment = statuses.count("Met") / len(statuses)
	assert 0.85 <= attainment <= 0.95
	breached = demo_complaints(sla_status="Breached")
	assert 5 <= len(breached) <= 60


def test_every_kind_of_record_is_there(demo):
	names = [c.name for c in demo_complaints()]
	states = {c.workflow_state for c in demo_complaints()}
	assert {"Closed", "Rejected", "Investigating", "Resolved"} <= states
	for doctype in ("Complaint Investigation", "Complaint Survey", "Complaint Escalation", "Compensation"):
		assert frappe.db.count(doctype, {"complaint": ["in", names]}), doctype
	assert frappe.db.count("Complaint", {"name": ["in", names], "incident": ["is", "set"]}) >= 5
	compensations = frappe.get_all(
		"Compensation",
		filters={"complaint": ["in", names]},
		fields=["name", "workflow_state", "required_level"],
	)
	assert {c.workflow_state for c in compensations} == {
		"Draft", "Pending Approval", "Approved", "Paying", "Paid", "Rejected"
	}  # fmt: skip
	paid_levels = {c.required_level for c in compensations if c.workflow_state == "Paid"}
	assert paid_levels == {"Agent", "Department Manager", "General Manager"}
	failed = frappe.get_all(
		"Compensation Payment Attempt",
		filters={"parent": ["in", [c.name for c in compensations]]},
		pluck="parent",
	)
	assert len(failed) == 1  # a payment that failed and went the fallback route


def test_rejected_complaints_have_their_clocks_stopped(demo):
	rejected = [c.name for c in demo_complaints(workflow_state="Rejected")]
	assert rejected
	running = frappe.get_all(
		"Complaint Milestone",
		filters={
			"parent": ["in", rejected],
			"met_at": ["is", "not set"],
			"status": ["in", ["On Track", "At Risk"]],
		},
	)
	assert running == []
	assert (
		frappe.get_all(
			"Complaint Milestone",
			filters={
				"parent": ["in", rejected],
				"met_at": ["is", "not set"],
				"next_escalation_at": ["is", "set"],
			},
		)
		== []
	)


def test_the_recovery_report_compares_strategies_with_customers_without_a_plan(demo):
	from frappe.utils import add_days, nowdate

	from complaint_mgmt.complaint_management.report.customer_recovery.customer_recovery import execute

	total, *groups = execute({"from_date": add_days(nowdate(), -60)})[1]
	strategies = [g["strategy"] for g in groups]
	assert total["customers"] >= 20 and 0 < total["retained"] < total["customers"]
	assert "No Plan" in strategies and len(strategies) >= 4
	assert total["cost"] > 0 and total["cycle_days"] > 0
	assert frappe.db.count("Voucher Redemption", {"waybill_no": ["like", "DMR%"]}) > 0


def test_the_analysis_pages_have_figures_on_a_fresh_demo(demo):
	"""The rollup behind the reports and cards, and the month's analysis report, exist at once."""
	from frappe.query_builder.functions import Sum
	from frappe.utils import get_first_day, now_datetime

	received = frappe.db.sql("select count(*) from `tabComplaint` where intake_reference like 'DEMO-%%'")[0][
		0
	]
	stat = frappe.qb.DocType("Complaint Daily Stat")
	counted = frappe.qb.from_(stat).select(Sum(stat.received)).where(stat.grain == "Day")
	assert counted.run()[0][0] >= received > 0
	month = get_first_day(now_datetime())
	assert frappe.db.exists("Complaint Analysis Report", {"month": month})
