"""The Customer Recovery figures computed from the raw records (complaints, shipments, plans,
redemptions, compensations, surveys: indexed lookups per customer), and a check that the rollup
gives the same cases.

``bench --site S execute complaint_mgmt.services.recovery_check.verify --kwargs
"{'from_date': '2026-01-01', 'to_date': '2026-12-31'}"`` lists the customers whose case differs
(none: []). The benchmark times the raw computation beside the report.
"""

from __future__ import annotations

import frappe
from frappe.utils import get_datetime

from complaint_mgmt.engine import recovery as rules
from complaint_mgmt.permissions import reached_conditions
from complaint_mgmt.services import recovery_report, recovery_stat


def raw_sql(filters, user: str | None = None) -> tuple[str, dict]:
	params = {
		**recovery_report.period(filters),
		"window": recovery_report.window_of(filters),
		"plan_states": recovery_stat.PLAN_STATES,
		"paid": recovery_stat.PAID,
	}
	where = ["`tabComplaint`.closed_at >= %(from)s", "`tabComplaint`.closed_at < %(to)s"]
	where.append("`tabComplaint`.customer is not null")
	for field in ("complaint_type", "channel"):
		if filters.get(field):
			where.append(f"`tabComplaint`.`{field}` = %({field})s")
			params[field] = filters[field]
	if filters.get("region"):
		where.append("`tabComplaint`.region = %(region)s")
		params["region"] = filters["region"]
	reach = reached_conditions(user)
	if reach:
		where.append(reach)
	sql = f"""
	with ranked as (
		select `tabComplaint`.name, `tabComplaint`.customer, `tabComplaint`.received_at,
			`tabComplaint`.closed_at, row_number() over (partition by `tabComplaint`.customer
				order by `tabComplaint`.closed_at desc, `tabComplaint`.name desc) as rank_
		from `tabComplaint` where {" and ".join(where)}
	)
	select b.customer, b.name as complaint, b.received_at, b.closed_at,
		{recovery_stat.first_after_sql("b")} as first_after,
		(select p.strategy from `tabRecovery Plan` p
			where p.customer = b.customer and p.workflow_state in %(plan_states)s
			order by p.creation desc limit 1) as strategy,
		(select sum(p.total_cost) from `tabRecovery Plan` p
			where p.customer = b.customer and p.workflow_state in %(plan_states)s) as measure_cost,
		(select sum(r.value) from `tabVoucher Redemption` r where r.customer = b.customer) as redeemed,
		(select sum(comp.total_amount) from `tabCompensation` comp join `tabComplaint` x on x.name = comp.complaint
			where x.customer = b.customer and comp.workflow_state = %(paid)s) as paid,
		(select (sv.efficiency_score + sv.solution_score) / 2 from `tabComplaint Survey` sv
			where sv.complaint = b.name limit 1) as score_before,
		(select p.satisfaction_achieved from `tabRecovery Plan` p
			where p.customer = b.customer and p.satisfaction_achieved > 0
			order by p.creation desc limit 1) as score_after,
		{recovery_stat.complaints_before_sql("b", "%(window)s")} as complaints_before,
		{recovery_stat.complaints_after_sql("b", "%(window)s")} as complaints_after
	from ranked b where b.rank_ = 1"""
	return sql, params


def raw_cases(filters, user: str | None = None) -> list[rules.CustomerCase]:
	sql, params = raw_sql(filters, user)
	found = []
	for row in frappe.db.sql(sql, params, as_dict=True):
		strategy = row.strategy or rules.NO_PLAN
		if filters.get("strategy") and strategy != filters["strategy"]:
			continue
		found.append(
			_case(
				row,
				first_after=row.first_after,
				strategy=strategy,
				costs=(row.measure_cost, row.redeemed, row.paid),
				score_before=row.score_before,
				score_after=row.score_after,
			)
		)
	return found


def rollup_cases(filters, user: str | None = None) -> list[rules.CustomerCase]:
	"""The same cases as the report reads them from the rollup."""
	sql, params = recovery_report.latest_sql(filters, user)
	found = []
	for row in frappe.db.sql(f"select * from ({sql}) l where l.rank_ = 1", params, as_dict=True):
		if filters.get("strategy") and row.strategy_label != filters["strategy"]:
			continue
		found.append(
			_case(
				row,
				first_after=row.first_shipment_after,
				strategy=row.strategy_label,
				costs=(
					row.measure_cost,
					row.vouchers_redeemed,
					row.compensation_paid,
				),  # the same order of sums
				score_before=row.score_before if row.has_score_before else None,
				score_after=row.score_after if row.has_score_after else None,
			)
		)
	return found


def _case(row, first_after, strategy: str, costs, score_before, score_after) -> rules.CustomerCase:
	"""One customer's case from a row of either computation (their columns are named apart)."""
	return rules.CustomerCase(
		customer=row.customer,
		received_at=get_datetime(row.received_at),
		closed_at=get_datetime(row.closed_at),
		first_shipment_after=get_datetime(first_after) if first_after else None,
		strategy=strategy,
		cost=round(sum(float(cost or 0) for cost in costs), 2),
		score_before=float(score_before) if score_before is not None else None,
		score_after=float(score_after) if score_after is not None else None,
		complaints_before=int(row.complaints_before or 0),
		complaints_after=int(row.complaints_after or 0),
	)


def verify(**filters) -> list[dict]:
	"""Customers whose case in the rollup differs from the raw records (with both versions)."""
	filters = frappe._dict(filters)
	raw = {case.customer: case for case in raw_cases(filters)}
	kept = {case.customer: case for case in rollup_cases(filters)}
	return [
		{"customer": customer, "raw": raw.get(customer), "rollup": kept.get(customer)}
		for customer in sorted(set(raw) | set(kept))
		if raw.get(customer) != kept.get(customer)
	]
