"""The workspace's Number Cards (custom method cards): each one indexed count or one rollup read.

Counts of complaints apply the complaint's record rule (an agent counts what they handle, a
department manager also their departments); the month's figures read the per-owner rollup, which
the same rule restricts (services/analytics_query.scope). With a read replica configured
(``read_from_replica``), they read from it, as Frappe's report endpoint does.
"""

from __future__ import annotations

import frappe
from frappe import _
from frappe.query_builder.functions import Count
from frappe.utils import get_first_day, getdate, nowdate
from pypika.terms import PseudoColumn

from complaint_mgmt.engine import analytics as figures
from complaint_mgmt.permissions import reached_conditions
from complaint_mgmt.services import analytics_query


def _complaints(*conditions) -> int:
	complaint = frappe.qb.DocType("Complaint")
	query = frappe.qb.from_(complaint).select(Count("*"))
	for condition in conditions:
		query = query.where(condition(complaint))
	reach = reached_conditions(frappe.session.user)
	if reach:
		query = query.where(PseudoColumn(reach))
	return query.run()[0][0]


def _count_card(value: int, route_options: dict) -> dict:
	return {
		"value": value,
		"fieldtype": "Int",
		"route": ["List", "Complaint"],
		"route_options": route_options,
	}


def _check_reader() -> None:
	if not frappe.has_permission("Complaint", "read"):
		frappe.throw(_("Not permitted"), frappe.PermissionError)


@frappe.whitelist()
@frappe.read_only()
def todays_intake(filters=None) -> dict:
	_check_reader()
	today = getdate(nowdate())
	value = _complaints(lambda c: c.received_at >= today)
	return _count_card(value, {"received_at": [">=", str(today)]})


@frappe.whitelist()
@frappe.read_only()
def open_urgent(filters=None) -> dict:
	_check_reader()
	value = _complaints(lambda c: c.closed_at.isnull(), lambda c: c.priority == "Urgent")
	return _count_card(value, {"priority": "Urgent", "closed_at": ["is", "not set"]})


@frappe.whitelist()
@frappe.read_only()
def at_risk(filters=None) -> dict:
	_check_reader()
	return _count_card(_complaints(lambda c: c.sla_status == "At Risk"), {"sla_status": "At Risk"})


@frappe.whitelist()
@frappe.read_only()
def breached(filters=None) -> dict:
	_check_reader()
	return _count_card(_complaints(lambda c: c.sla_status == "Breached"), {"sla_status": "Breached"})


def _this_month() -> dict:
	_check_reader()
	today = nowdate()
	period = {"from_date": str(get_first_day(today)), "to_date": today}
	return figures.total(analytics_query.rows(period, "Owner", ()))


@frappe.whitelist()
@frappe.read_only()
def sla_attainment_this_month(filters=None) -> dict:
	value = figures.overall_attainment(_this_month())
	return {
		"value": value or 0,
		"fieldtype": "Percent",
		"route": ["query-report", "Complaint SLA Attainment"],
	}


@frappe.whitelist()
@frappe.read_only()
def average_score_this_month(filters=None) -> dict:
	value = figures.kpis(_this_month())["avg_score"]
	return {"value": value or 0, "fieldtype": "Float", "route": ["query-report", "Complaint Satisfaction"]}
