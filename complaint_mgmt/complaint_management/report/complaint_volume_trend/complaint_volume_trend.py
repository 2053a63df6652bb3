# Copyright (c) 2026, complaint_mgmt contributors
# License: MIT. See license.txt
"""Complaints received and closed per day, week or month, with the peaks (SPEC §9)."""

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
	sums = [by_period.get(bucket) or figures.total([]) for bucket in buckets]
	peaks = figures.peaks([s["received"] for s in sums], q.settings().peak_factor or 1.5)
	data = [
		{
			"period": bucket,
			"received": s["received"],
			"closed": s["closed"],
			"closed_rate": figures.ratio(s["closed"], s["received"]),
			"peak": _("Peak") if peak else "",
		}
		for bucket, s, peak in zip(buckets, sums, peaks, strict=True)
	]
	received = [s["received"] for s in sums]
	chart = {
		"data": {
			"labels": [str(bucket) for bucket in buckets],
			"datasets": [
				{"name": _("Received"), "values": received},
				{"name": _("Closed"), "values": [s["closed"] for s in sums]},
			],
			"yMarkers": [{"label": _("Average"), "value": round(sum(received) / len(received), 1)}]
			if received
			else [],
		},
		"type": "line",
	}
	summary = [
		{"value": sum(received), "label": _("Received"), "datatype": "Int"},
		{
			"value": sum(peaks),
			"label": _("Peaks"),
			"datatype": "Int",
			"indicator": "Red" if any(peaks) else "Green",
		},
	]
	return columns(), data, None, chart, summary


def columns() -> list[dict]:
	return [
		q.column("period", _("Period"), "Date"),
		q.column("received", _("Received"), "Int"),
		q.column("closed", _("Closed"), "Int"),
		q.column("closed_rate", _("Closed (%)"), "Percent"),
		q.column("peak", _("Peak"), "Data", 80),
	]
