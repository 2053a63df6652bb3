"""Issue 12: the Customer Recovery report moves when the customer ships again through the API."""

from __future__ import annotations

import frappe
from frappe.utils import add_days, now_datetime, nowdate

from complaint_mgmt.api import shipments
from complaint_mgmt.complaint_management.report.customer_recovery.customer_recovery import execute
from complaint_mgmt.services import recovery_stat, vouchers
from tests.integration.test_survey import closed_complaint


def cohort(count: int = 2) -> tuple[str, list]:
	"""Complaints of ``count`` customers, received 25 days ago and closed 20 days ago, in a region
	of their own (the report's region filter keeps other tests' complaints out)."""
	region = f"TESTREGION-{frappe.generate_hash(length=6)}"
	docs = []
	for _ in range(count):
		doc = closed_complaint()
		frappe.db.set_value(
			"Complaint",
			doc.name,
			{
				"route": region,
				"region": region,
				"received_at": add_days(now_datetime(), -25),
				"closed_at": add_days(now_datetime(), -20),
			},
			update_modified=False,
		)
		recovery_stat.refresh([doc.customer])  # a direct write: the rollup is told (the app saves)
		docs.append(frappe.get_doc("Complaint", doc.name))
	return region, docs


def report(region: str) -> tuple[dict, list, dict]:
	filters = {"from_date": add_days(nowdate(), -30), "to_date": nowdate(), "region": region}
	_columns, rows, _message, chart, _summary = execute(filters)
	return rows[0], rows[1:], chart


def test_the_customer_ships_again_and_rate_cycle_and_cost_move():
	region, (first, _second) = cohort()
	total, groups, chart = report(region)
	assert (total["customers"], total["retained"], total["recovery_rate"]) == (2, 0, 0)
	assert total["cycle_days"] is None and total["cost"] == 0
	assert [g["strategy"] for g in groups] == ["No Plan"]

	# the first customer ships again 5 days ago (15 days after closure) and uses a voucher
	answer = shipments.ingest(
		[
			{
				"waybill_no": "SF" + frappe.generate_hash(length=10).upper(),
				"customer": first.customer_phone,
				"shipped_at": add_days(now_datetime(), -5).strftime("%Y-%m-%d %H:%M:%S"),
				"freight": 22,
			}
		]
	)
	assert answer["stored"] == 1
	code = frappe.db.get_value("Complaint Voucher", vouchers.issue(first.customer, 50), "code")
	vouchers.redeem(code, "SFREDEEM" + frappe.generate_hash(length=6).upper())
	total, _groups, chart = report(region)
	assert (total["customers"], total["retained"], total["recovery_rate"]) == (2, 1, 50.0)
	assert 19.9 < total["cycle_days"] < 20.1  # received 25 days ago, shipped 5 days ago
	assert total["cost"] == 50 and total["cost_per_retained"] == 50
	assert chart["data"]["datasets"][0]["values"] == [50.0]


def test_a_shipment_before_the_closure_or_after_the_window_does_not_retain():
	region, (customer, _other) = cohort()
	shipments.ingest(
		[
			{
				"waybill_no": "SF" + frappe.generate_hash(length=10).upper(),
				"customer": customer.customer_phone,
				"shipped_at": add_days(now_datetime(), -22).strftime("%Y-%m-%d %H:%M:%S"),
			}
		]
	)
	assert report(region)[0]["retained"] == 0
	filters = {"from_date": add_days(nowdate(), -30), "region": region, "window_days": 1}
	assert execute(filters)[1][0]["retained"] == 0


def test_a_plan_s_customers_are_compared_with_those_without_one():
	region, (with_plan, _without) = cohort()
	from complaint_mgmt.services import recovery_plans

	plan = frappe.get_doc("Recovery Plan", recovery_plans.create_plan(with_plan.name))
	plan.update({"workflow_state": "Active", "strategy": "Communication"})
	plan.save()
	_total, groups, _chart = report(region)
	assert [(g["strategy"], g["customers"]) for g in groups] == [("Communication", 1), ("No Plan", 1)]
