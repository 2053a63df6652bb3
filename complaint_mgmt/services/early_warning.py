"""The early-warning scan (issue 13): each watched key's daily complaint counts, read from the
rollup, against its own history (rules in engine/early_warning.py). A signal becomes one
Complaint Alert per key, rule and window, told to the roles in Complaint Analytics Settings."""

from __future__ import annotations

from datetime import date

import frappe
from frappe import _
from frappe.query_builder.functions import Sum
from frappe.utils import add_days, getdate, today

from complaint_mgmt.engine import early_warning as rules
from complaint_mgmt.services import analytics_query, notify
from complaint_mgmt.services.analytics import STAT
from complaint_mgmt.services.assignment import users_with_role

# watched dimension → (rollup grain, column, the setting that switches it on)
DIMENSIONS = {
	"Route": ("Route", "node", "alert_by_route"),
	"Complaint Type": ("Type", "complaint_type", "alert_by_type"),
	"Origin Branch": ("Branch", "node", "alert_by_branch"),
	"Department": ("Type", "department", "alert_by_department"),
	"Region": ("Region", "node", "alert_by_region"),
}


def policy() -> rules.WarningPolicy:
	s = analytics_query.settings()
	return rules.WarningPolicy(
		history_days=s.history_days,
		min_count=s.min_count,
		p_value=s.p_value,
		ewma_weight=s.ewma_lambda,
		ewma_limit=s.ewma_sigma,
		ewma_days=s.ewma_days,
		rise_p_value=s.rise_p_value,
	)


def counts(dimension: str, start: date, end: date, key: str | None = None) -> dict[str, list[int]]:
	"""Complaints received per key and day, start…end, as dense series (oldest first)."""
	grain, column, _setting = DIMENSIONS[dimension]
	stat = frappe.qb.DocType(STAT)
	query = (
		frappe.qb.from_(stat)
		.select(stat[column], stat.day, Sum(stat.received))
		.where(stat.grain == grain)
		.where(stat.day >= start)
		.where(stat.day <= end)
		.where(stat[column] != "")
		.groupby(stat[column], stat.day)
	)
	if key is not None:
		query = query.where(stat[column] == key)
	days = (end - start).days + 1
	series: dict[str, list[int]] = {}
	for value, day, received in query.run():
		series.setdefault(value, [0] * days)[(getdate(day) - start).days] = int(received)
	return series


def scan(day: str | date | None = None) -> list[str]:
	"""Scheduled (hourly): today's counts so far against each key's history; returns new alerts."""
	day = getdate(day or today())
	watch = policy()
	settings = analytics_query.settings()
	start = add_days(day, -(watch.history_days + watch.ewma_days))
	created = []
	for dimension, (_grain, _column, setting) in DIMENSIONS.items():
		if not settings.get(setting):
			continue
		for key, series in counts(dimension, getdate(start), day).items():
			signal = rules.scan(series, watch)
			if signal:
				name = raise_alert(dimension, key, day, signal, series, watch)
				if name:
					created.append(name)
	return created


def raise_alert(dimension, key, day, signal, series, watch) -> str | None:
	window = rules.window_start(day, signal.rule, watch)
	alert_key = f"{dimension}|{key}|{signal.rule}|{window}"[:140]
	if frappe.db.exists("Complaint Alert", {"alert_key": alert_key}):
		return None
	alert = frappe.get_doc(
		{
			"doctype": "Complaint Alert",
			"dimension": dimension,
			"key_value": key,
			"rule": signal.rule,
			"day": day,
			"window_start": window,
			"alert_key": alert_key,
			"count": signal.count,
			"baseline": signal.baseline,
			"p_value": signal.p_value,
			"ewma": signal.ewma,
			"ewma_limit": signal.limit,
			"history": " ".join(str(n) for n in series[-(watch.history_days + 1) :]),
		}
	)
	alert.insert(ignore_permissions=True)
	roles = [row.role for row in analytics_query.settings().alert_roles]
	people = [user for role in roles for user in users_with_role(role)]
	notify.users(people, describe(alert), "Complaint Alert", alert.name)
	return alert.name


def describe(alert) -> str:
	if alert.rule == rules.JUMP:
		return _("{0} {1}: {2} complaints on {3}, against {4} a day before (sudden jump)").format(
			_(alert.dimension), alert.key_value, alert.count, alert.day, alert.baseline
		)
	return _("{0} {1}: {2} complaints in the week to {3}, against {4} a day before (gradual rise)").format(
		_(alert.dimension), alert.key_value, alert.count, alert.day, alert.baseline
	)


def key_count(dimension: str, key: str, start: date, end: date) -> int:
	"""Complaints of one key received start…end (inclusive)."""
	if end < start:
		return 0
	return sum(counts(dimension, start, end, key).get(key, [])) if key else 0
