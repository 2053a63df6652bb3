"""The Customer Recovery report's figures, read from the rollup (Customer Recovery Stat) in one
grouped statement: the cohort is every customer with a complaint closed in the period (its latest
such closure, the latest complaint number on a tie, is the customer's case), summed per strategy
of their plan. Definitions: ``engine.recovery`` and docs/admin.md; the rollup:
``services.recovery_stat``; the same figures from the raw records: ``services.recovery_check``."""

from __future__ import annotations

import frappe
from frappe import _
from frappe.utils import add_days, get_datetime, getdate, nowdate

from complaint_mgmt.engine import recovery as rules
from complaint_mgmt.permissions import reached_conditions
from complaint_mgmt.services import recovery_settings, recovery_stat

STAT = recovery_stat.STAT


def window_of(filters) -> int:
	window = int(filters.get("window_days") or recovery_settings.get().retention_window_days or 90)
	if window < 1:
		frappe.throw(_("The retention window is at least one day"), title=_("Invalid input"))
	return window


def period(filters) -> dict:
	return {
		"from": get_datetime(getdate(filters.get("from_date") or add_days(nowdate(), -365))),
		"to": get_datetime(add_days(getdate(filters.get("to_date") or nowdate()), 1)),
	}


def latest_sql(filters, user: str | None = None) -> tuple[str, dict]:
	"""Each cohort customer's case: their row of the rollup ranked first (``rank_ = 1``)."""
	params = {**period(filters), "window": window_of(filters), "no_plan": rules.NO_PLAN}
	where = ["s.closed_at >= %(from)s", "s.closed_at < %(to)s"]
	for field in ("complaint_type", "channel"):
		if filters.get(field):
			where.append(f"s.`{field}` = %({field})s")
			params[field] = filters[field]
	if filters.get("region"):  # the complaint's region (from its branch), read where it is kept
		where.append("`tabComplaint`.region = %(region)s")
		params["region"] = filters["region"]
	reach = reached_conditions(user)
	if reach:  # the complaints the user reaches, by the complaint's own record rule
		where.append(reach)
	joined = (
		"join `tabComplaint` on `tabComplaint`.name = s.complaint" if reach or params.get("region") else ""
	)
	sql = f"""
	select s.*, coalesce(nullif(s.strategy, ''), %(no_plan)s) as strategy_label,
		(s.first_shipment_after is not null
			and s.first_shipment_after <= s.closed_at + interval %(window)s day) as kept,
		row_number() over (partition by s.customer order by s.closed_at desc, s.complaint desc) as rank_
	from `tab{STAT}` s {joined}
	where {" and ".join(where)}"""
	return sql, params


def _counts(column: str, counted: str) -> str:
	"""The rollup's count, or (another window asked for) the count taken from the complaints."""
	return f"sum(if(l.window_days = %(window)s, l.{column}, {counted}))"


def effects(filters, user: str | None = None) -> list[rules.Effect]:
	"""The total first, one row per strategy, the comparison group (no plan) last."""
	latest, params = latest_sql(filters, user)
	strategy = ""
	if filters.get("strategy"):
		strategy = "and l.strategy_label = %(strategy)s"
		params["strategy"] = filters["strategy"]
	before = _counts("complaints_before", recovery_stat.complaints_before_sql("l", "%(window)s"))
	after = _counts("complaints_after", recovery_stat.complaints_after_sql("l", "%(window)s"))
	rows = frappe.db.sql(
		f"""select l.strategy_label as strategy, count(*) as customers, sum(l.kept) as retained,
			sum(if(l.kept, l.cycle_days, 0)) as cycle_total,
			sum(l.compensation_paid + l.vouchers_redeemed + l.measure_cost) as cost,
			sum(if(l.has_score_before and l.has_score_after, l.score_after - l.score_before, 0))
				as satisfaction_total,
			sum(l.has_score_before and l.has_score_after) as satisfaction_count,
			{before} as complaints_before, {after} as complaints_after
		from ({latest}) l
		where l.rank_ = 1 {strategy}
		group by l.strategy_label""",
		params,
		as_dict=True,
	)
	return rules.totalled(
		rules.Effect(
			strategy=row.strategy,
			customers=int(row.customers),
			retained=int(row.retained or 0),
			cost=float(row.cost or 0),
			cycle_total=float(row.cycle_total or 0),
			satisfaction_total=float(row.satisfaction_total or 0),
			satisfaction_count=int(row.satisfaction_count or 0),
			complaints_before=int(row.complaints_before or 0),
			complaints_after=int(row.complaints_after or 0),
		)
		for row in rows
	)
