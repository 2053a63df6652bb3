# Copyright (c) 2026, complaint_mgmt contributors
# License: MIT. See license.txt
"""Average handling time (receipt to closure) and first-response time (receipt to
acknowledgement) of the complaints received per day, week or month (SPEC §9)."""

from __future__ import annotations

import frappe
from frappe import _
from frappe.utils import getdate

from complaint_mgmt.engine import analytics as figures
from complaint_mgmt.services import analytics_query as q


def execute(filters: dict | None = None):
	filters = frappe._dict(filters or {})
	granularity, (start, end) = q.granularity(filters), q.period(filters)
	daily = q.rows(filters, q.grain_for(filters), ("day",))
	by_period = figures.group(daily, lambda r: figures.period_start(getdate(r["day"]), granularity))
	buckets = figures.periods(start, end, granularity)
	data = []
	for bucket in buckets:
		s = by_period.get(bucket) or figures.total([])
		data.append(
			{
				"period": bucket,
				"closed": s["closed"],
				"handling_hours": figures.average(s["handling_minutes"], s["closed"], 60),
				"responded": s["responded"],
				"response_hours": figures.average(s["response_minutes"], s["responded"], 60),
			}
		)
	chart = {
		"data": {
			"labels": [str(bucket) for bucket in buckets],
			"datasets": [
				{"name": _("Average Handling Time (h)"), "values": [r["handling_hours"] or 0 for r in data]},
				{"name": _("Average First Response (h)"), "values": [r["response_hours"] or 0 for r in data]},
			],
		},
		"type": "line",
	}
	overall = figures.kpis(figures.total(daily))
	summary = [
		{
			"value": overall["avg_handling_hours"],
			"label": _("Average Handling Time (h)"),
			"datatype": "Float",
		},
		{
			"value": overall["avg_response_hours"],
			"label": _("Average First Response (h)"),
			"datatype": "Float",
		},
	]
	return columns(), data, None, chart, summary


def columns() -> list[dict]:
	return [
		q.column("period", _("Period"), "Date"),
		q.column("closed", _("Closed"), "Int"),
		q.column("handling_hours", _("Average Handling Time (h)"), "Float", 170),
		q.column("responded", _("Acknowledged"), "Int"),
		q.column("response_hours", _("Average First Response (h)"), "Float", 170),
	]
