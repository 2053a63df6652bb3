"""The cohort behind the Customer Recovery report: one row per customer whose complaint closed in
the period, read in one set-based query (each per-customer figure an indexed lookup), then
measured by ``engine.recovery``. Definitions: the engine's docstring and docs/admin.md."""

from __future__ import annotations

import frappe
from frappe.utils import add_days, get_datetime, getdate, nowdate

from complaint_mgmt.engine import recovery as rules
from complaint_mgmt.permissions import reached_conditions
from complaint_mgmt.services import recovery_settings, shipment_source

PLAN_STATES = ("Active", "Completed")


def cohort_sql(filters, user: str | None = None) -> tuple[str, dict]:
	params = {
		"from": get_datetime(getdate(filters.get("from_date") or add_days(nowdate(), -365))),
		"to": get_datetime(add_days(getdate(filters.get("to_date") or nowdate()), 1)),
		"window": int(filters.get("window_days") or recovery_settings.get().retention_window_days or 90),
		"plan_states": PLAN_STATES,
	}
	where = ["`tabComplaint`.closed_at >= %(from)s", "`tabComplaint`.closed_at < %(to)s"]
	where.append("`tabComplaint`.customer is not null")
	for field in ("complaint_type", "channel"):
		if filters.get(field):
			where.append(f"`tabComplaint`.`{field}` = %({field})s")
			params[field] = filters[field]
	if filters.get("region"):
		where.append("(`tabComplaint`.route like %(region)s or `tabComplaint`.origin_branch like %(region)s)")
		params["region"] = f"%{filters['region']}%"
	reach = reached_conditions(user)
	if reach:
		where.append(reach)
	shipments = shipment_source.current().table().get_sql(quote_char="`")
	sql = f"""
	with ref as (
		select `tabComplaint`.customer, max(`tabComplaint`.closed_at) as closed_at
		from `tabComplaint` where {" and ".join(where)}
		group by `tabComplaint`.customer
	), base as (
		select ref.customer, ref.closed_at, min(c.received_at) as received_at, max(c.name) as complaint
		from ref join `tabComplaint` c on c.customer = ref.customer and c.closed_at = ref.closed_at
		group by ref.customer, ref.closed_at
	)
	select b.customer, b.complaint, b.received_at, b.closed_at,
		(select min(s.shipped_at) from {shipments} s
			where s.customer = b.customer and s.shipped_at > b.closed_at) as first_after,
		(select p.strategy from `tabRecovery Plan` p
			where p.customer = b.customer and p.workflow_state in %(plan_states)s
			order by p.creation desc limit 1) as strategy,
		(select sum(p.total_cost) from `tabRecovery Plan` p
			where p.customer = b.customer and p.workflow_state in %(plan_states)s) as measure_cost,
		(select sum(r.value) from `tabVoucher Redemption` r where r.customer = b.customer) as redeemed,
		(select sum(comp.total_amount) from `tabCompensation` comp join `tabComplaint` x on x.name = comp.complaint
			where x.customer = b.customer and comp.workflow_state = 'Paid') as paid,
		(select (sv.efficiency_score + sv.solution_score) / 2 from `tabComplaint Survey` sv
			where sv.complaint = b.complaint limit 1) as score_before,
		(select p.satisfaction_achieved from `tabRecovery Plan` p
			where p.customer = b.customer and p.satisfaction_achieved > 0
			order by p.creation desc limit 1) as score_after,
		(select count(*) from `tabComplaint` x where x.customer = b.customer
			and x.received_at >= b.received_at - interval %(window)s day and x.received_at < b.received_at)
			as complaints_before,
		(select count(*) from `tabComplaint` x where x.customer = b.customer
			and x.received_at > b.closed_at and x.received_at <= b.closed_at + interval %(window)s day)
			as complaints_after
	from base b"""
	return sql, params


def cases(filters, user: str | None = None) -> list[rules.CustomerCase]:
	sql, params = cohort_sql(filters, user)
	found = []
	for row in frappe.db.sql(sql, params, as_dict=True):
		strategy = row.strategy or rules.NO_PLAN
		if filters.get("strategy") and strategy != filters["strategy"]:
			continue
		found.append(
			rules.CustomerCase(
				customer=row.customer,
				received_at=get_datetime(row.received_at),
				closed_at=get_datetime(row.closed_at),
				first_shipment_after=get_datetime(row.first_after) if row.first_after else None,
				strategy=strategy,
				cost=float(row.measure_cost or 0) + float(row.redeemed or 0) + float(row.paid or 0),
				score_before=float(row.score_before) if row.score_before is not None else None,
				score_after=float(row.score_after) if row.score_after is not None else None,
				complaints_before=int(row.complaints_before or 0),
				complaints_after=int(row.complaints_after or 0),
			)
		)
	return found


def effects(filters, user: str | None = None) -> list[rules.Effect]:
	window = int(filters.get("window_days") or recovery_settings.get().retention_window_days or 90)
	return rules.effects(cases(filters, user), window)
