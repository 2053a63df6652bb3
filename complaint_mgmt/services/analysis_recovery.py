"""The recovery section of the monthly analysis report (SPEC §8, §9): recovery plans started and
completed in the month, and the recovery rate of the month's cohort — the customers whose
complaint closed in the month (the Customer Recovery report's cohort, services/recovery_report.py)
and how many of them shipped again within the retention window, as far as known when the report
is generated (a cohort closed late in the month has had less time: the report states the date)."""

from __future__ import annotations

from datetime import date

import frappe
from frappe.query_builder.functions import Count

from complaint_mgmt.services import recovery_report
from complaint_mgmt.services.recovery_plans import ACTIVE, COMPLETED, PLAN


def plans(start: date, end: date) -> tuple[int, int]:
	"""(plans started, plans completed) in start…end: a started plan is active or completed and
	dated in the month; a completed one was completed in it."""
	plan = frappe.qb.DocType(PLAN)

	def count(*conditions) -> int:
		query = frappe.qb.from_(plan).select(Count("*"))
		for condition in conditions:
			query = query.where(condition)
		return query.run()[0][0]

	started = count(plan.workflow_state.isin([ACTIVE, COMPLETED]), plan.start_date.between(start, end))
	completed = count(plan.workflow_state == COMPLETED, plan.completed_on.between(start, end))
	return started, completed


def fill_recovery(doc, start: date, end: date, user: str) -> None:
	doc.plans_started, doc.plans_completed = plans(start, end)
	cohort = recovery_report.effects({"from_date": str(start), "to_date": str(end)}, user=user)[0]
	doc.recovery_customers, doc.recovery_retained = cohort.customers, cohort.retained
	doc.recovery_rate = cohort.recovery_rate if cohort.customers else None
