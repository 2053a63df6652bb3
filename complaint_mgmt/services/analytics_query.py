"""Reading the rollup for the analysis reports and cards: filters, grains and who sees what.

Who sees what follows the complaint's record rule (permissions.py): roles that see every
complaint see every figure; a department manager sees the figures of their departments; an agent
only their own line of the handler evaluation.
"""

from __future__ import annotations

from datetime import date

import frappe
from frappe import _
from frappe.query_builder.functions import Sum
from frappe.utils import add_months, get_first_day, getdate, today
from pypika.terms import Criterion

from complaint_mgmt import permissions
from complaint_mgmt.engine.analytics import GRANULARITIES, MEASURES, month_split
from complaint_mgmt.services.analytics import GRAINS, MONTH, STAT

FILTER_FIELDS = ("complaint_type", "channel", "priority", "department")
NODE_FILTERS = {"route": "Route", "branch": "Branch", "region": "Region"}


def settings():
	return frappe.get_cached_doc("Complaint Analytics Settings")


def period(filters) -> tuple[date, date]:
	"""The report's days; by default the last three months up to today."""
	end = getdate(filters.get("to_date") or today())
	start = getdate(filters.get("from_date") or get_first_day(add_months(end, -2)))
	if start > end:
		frappe.throw(_("The start of the period is after its end"), title=_("Invalid period"))
	return start, end


def granularity(filters) -> str:
	chosen = filters.get("granularity") or "Month"
	if chosen not in GRANULARITIES:
		frappe.throw(_("Granularity must be Day, Week or Month"))
	return chosen


def grain_for(filters) -> str:
	"""The Type grain, unless a route, branch or region is asked for (those grains know no channel
	or priority, nor each other)."""
	asked = [grain for field, grain in NODE_FILTERS.items() if filters.get(field)]
	if not asked:
		return "Type"
	if len(asked) > 1:
		frappe.throw(
			_("Filter by one of route, origin branch or region at a time"), title=_("Filters not combinable")
		)
	if filters.get("channel") or filters.get("priority"):
		frappe.throw(
			_("A route, branch or region filter cannot be combined with a channel or priority filter"),
			title=_("Filters not combinable"),
		)
	return asked[0]


def scope(user: str | None = None) -> tuple[str, list[str]]:
	"""('all', []), ('departments', their departments) or ('own', [user])."""
	user = user or frappe.session.user
	if permissions._has_broad_access(user):
		return "all", []
	if permissions.policy.settings().department_role in frappe.get_roles(user):
		return "departments", permissions._user_departments(user)
	return "own", [user]


def with_subtypes(name: str) -> list[str]:
	"""A complaint type with every type below it."""
	return [name, *frappe.db.get_descendants("Complaint Type", name)]


def coarsest(grain: str, by: tuple[str, ...], filters, kind: str) -> str:
	"""The Day grain (a few rows a day) when it holds every column asked for and filtered on."""
	if kind == "own" or grain not in ("Type", "Owner"):
		return grain
	asked = {*by, *(f for f in FILTER_FIELDS if filters.get(f))} - {"day"}
	return "Day" if asked <= set(GRAINS["Day"]) else grain


def rows(filters, grain: str, by: tuple[str, ...], user: str | None = None) -> list[dict]:
	"""Sums of every measure grouped by ``by`` (rollup columns), for the filters and the user."""
	filters = frappe._dict(filters or {})
	start, end = period(filters)
	kind, values = scope(user)
	grain = coarsest(grain, by, filters, kind)
	stat = frappe.qb.DocType(STAT)
	# without a per-day column, the whole past months of the period are read from the month rows
	days, months = ([(start, end)], None) if "day" in by else month_split(start, end, getdate(today()))
	spans = [(stat.grain == grain) & (stat.day >= a) & (stat.day <= b) for a, b in days]
	if months:
		spans.append((stat.grain == grain + MONTH) & (stat.day >= months[0]) & (stat.day < months[1]))
	query = (
		frappe.qb.from_(stat)
		.select(*(stat[b] for b in by), *(Sum(stat[m]).as_(m) for m in MEASURES))
		.where(Criterion.any(spans))
	)
	if by:
		query = query.groupby(*(stat[b] for b in by))
	dims = GRAINS[grain]
	for field in FILTER_FIELDS:
		value = filters.get(field)
		if value and field in dims:
			query = query.where(
				stat[field].isin(with_subtypes(value)) if field == "complaint_type" else stat[field] == value
			)
	for field, node_grain in NODE_FILTERS.items():
		if filters.get(field) and grain == node_grain:
			query = query.where(stat.node == filters.get(field))
	if kind == "departments":
		query = query.where(stat.department.isin(values or [""]))
	elif kind == "own":
		if grain != "Owner":
			return []
		query = query.where(stat.node == values[0])
	return [
		{k: (float(v or 0) if k in MEASURES else v) for k, v in r.items()} for r in query.run(as_dict=True)
	]


def column(fieldname: str, label: str, fieldtype: str = "Float", width: int = 120, **extra) -> dict:
	return {"fieldname": fieldname, "label": label, "fieldtype": fieldtype, "width": width, **extra}
