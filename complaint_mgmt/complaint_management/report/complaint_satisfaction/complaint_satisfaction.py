# Copyright (c) 2026, complaint_mgmt contributors
# License: MIT. See license.txt
"""Satisfaction survey results per complaint type: average scores and low scores; or, with *Show:
Low-score Items*, each low-scored complaint with its type, owner, scores and comment (SPEC §7, §9)."""

from __future__ import annotations

import frappe
from frappe import _

from complaint_mgmt.engine import analytics as figures
from complaint_mgmt.services import analytics_query as q
from complaint_mgmt.services import low_scores

VIEWS = ("By Type", "Low-score Items")


def execute(filters: dict | None = None):
	filters = frappe._dict(filters or {})
	view = filters.get("view") or VIEWS[0]
	if view not in VIEWS:
		frappe.throw(_("Unknown view {0}").format(view))
	if view == "Low-score Items":
		return low_score_items(filters)
	found = [r for r in q.rows(filters, q.grain_for(filters), ("complaint_type",)) if r["surveyed"]]
	data = []
	for r in sorted(found, key=lambda r: (-r["surveyed"], r["complaint_type"] or "")):
		data.append(
			{
				"complaint_type": r["complaint_type"] or _("Not Set"),
				"surveyed": r["surveyed"],
				"efficiency": figures.average(r["efficiency_score"], r["surveyed"]),
				"solution": figures.average(r["solution_score"], r["surveyed"]),
				"avg_score": figures.kpis(r)["avg_score"],
				"low_scores": r["low_scores"],
				"low_score_rate": figures.ratio(r["low_scores"], r["surveyed"]),
			}
		)
	overall = figures.kpis(figures.total(found))
	chart = {
		"data": {
			"labels": [r["complaint_type"] for r in data],
			"datasets": [{"name": _("Average Score"), "values": [r["avg_score"] for r in data]}],
		},
		"type": "bar",
	}
	summary = [
		{"value": overall["avg_score"], "label": _("Average Score"), "datatype": "Float"},
		{
			"value": sum(r["low_scores"] for r in data),
			"label": _("Low Scores"),
			"datatype": "Int",
			"indicator": "Red" if overall["low_score_rate"] else "Green",
		},
		{"value": overall["low_score_rate"], "label": _("Low Scores (%)"), "datatype": "Percent"},
	]
	return columns(), data, None, chart, summary


def columns() -> list[dict]:
	return [
		q.column("complaint_type", _("Complaint Type"), "Link", 170, options="Complaint Type"),
		q.column("surveyed", _("Surveyed"), "Int"),
		q.column("efficiency", _("Efficiency Score"), "Float"),
		q.column("solution", _("Solution Score"), "Float"),
		q.column("avg_score", _("Average Score"), "Float"),
		q.column("low_scores", _("Low Scores"), "Int"),
		q.column("low_score_rate", _("Low Scores (%)"), "Percent"),
	]


def low_score_items(filters):
	data = low_scores.items(filters)
	for row in data:
		row["low_score_items"] = ", ".join(
			_(item) for item in (row["low_score_items"] or "").split("\n") if item
		)
	message = (
		_("The newest {0} low-score items are shown: narrow the period or filters for the rest").format(
			low_scores.MAX_ITEMS
		)
		if len(data) >= low_scores.MAX_ITEMS
		else None
	)
	summary = [{"value": len(data), "label": _("Low-score Items"), "datatype": "Int", "indicator": "Red"}]
	return item_columns(), data, message, None, summary


def item_columns() -> list[dict]:
	return [
		q.column("complaint", _("Complaint"), "Link", 160, options="Complaint"),
		q.column("received_at", _("Received At"), "Datetime", 150),
		q.column("complaint_type", _("Complaint Type"), "Link", 150, options="Complaint Type"),
		q.column("lead_owner", _("Lead Owner"), "Link", 160, options="User"),
		q.column("efficiency_score", _("Handling Efficiency"), "Int", 110),
		q.column("solution_score", _("Reasonableness of the Solution"), "Int", 110),
		q.column("low_score_items", _("Low-score Items"), "Data", 180),
		q.column("comment", _("Customer's Comment"), "Small Text", 260),
		q.column("surveyed_at", _("Surveyed At"), "Datetime", 150),
	]
