# Copyright (c) 2026, complaint_mgmt contributors
# License: MIT. See license.txt
"""Share of the complaints received by type, channel, priority, department, route, origin branch
or region, with how each group was handled (SPEC §9)."""

from __future__ import annotations

import frappe
from frappe import _

from complaint_mgmt.engine import analytics as figures
from complaint_mgmt.services import analytics_query as q

# Share By → (grain, rollup column)
GROUPS = {
	"Complaint Type": (None, "complaint_type"),
	"Channel": (None, "channel"),
	"Priority": (None, "priority"),
	"Department": (None, "department"),
	"Route": ("Route", "node"),
	"Origin Branch": ("Branch", "node"),
	"Region": ("Region", "node"),
}
CHART_SLICES = 10


def execute(filters: dict | None = None):
	filters = frappe._dict(filters or {})
	group_by = filters.get("group_by") or "Complaint Type"
	if group_by not in GROUPS:
		frappe.throw(_("Unknown grouping {0}").format(group_by))
	grain, column = GROUPS[group_by]
	filtered = q.grain_for(filters)
	grain = grain or filtered
	if column not in q.GRAINS[grain] or filtered not in ("Type", grain):
		frappe.throw(
			_("Share by {0} cannot be combined with a route, branch or region filter").format(_(group_by)),
			title=_("Filters not combinable"),
		)
	found = q.rows(filters, grain, (column,))
	per_key = {(r[column] or _("Not Set")): r for r in found}
	data = []
	for key, count, share in figures.shares({k: r["received"] for k, r in per_key.items()}):
		kpis = figures.kpis(figures.total([per_key[key]]))
		data.append(
			{
				"key": _(key) if column == "priority" else key,
				"received": count,
				"share": share,
				"closed": kpis["closed"],
				"handling_hours": kpis["avg_handling_hours"],
				"avg_score": kpis["avg_score"],
				"low_score_rate": kpis["low_score_rate"],
			}
		)
	top = figures.shares({r["key"]: r["received"] for r in data}, top=CHART_SLICES, other=_("Other"))
	chart = {
		"data": {
			"labels": [k for k, _c, _s in top],
			"datasets": [{"name": _("Received"), "values": [c for _k, c, _s in top]}],
		},
		"type": "pie",
	}
	summary = [{"value": sum(r["received"] for r in data), "label": _("Received"), "datatype": "Int"}]
	return columns(group_by), data, None, chart, summary


def columns(group_by: str) -> list[dict]:
	return [
		q.column("key", _(group_by), "Data", 180),
		q.column("received", _("Received"), "Int"),
		q.column("share", _("Share (%)"), "Percent"),
		q.column("closed", _("Closed"), "Int"),
		q.column("handling_hours", _("Average Handling Time (h)"), "Float", 170),
		q.column("avg_score", _("Average Score"), "Float"),
		q.column("low_score_rate", _("Low Scores (%)"), "Percent"),
	]
