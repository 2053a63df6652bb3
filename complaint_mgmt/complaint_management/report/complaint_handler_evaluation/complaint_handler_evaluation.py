# Copyright (c) 2026, complaint_mgmt contributors
# License: MIT. See license.txt
"""Agent and department evaluation (SPEC §9): complaints handled, handling time, SLA attainment,
satisfaction, reopen rate and escalations charged. An agent sees their own line only."""

from __future__ import annotations

import frappe
from frappe import _

from complaint_mgmt.engine import analytics as figures
from complaint_mgmt.services import analytics_query as q

GROUPS = {"Agent": ("Owner", "node"), "Department": ("Type", "department")}


def execute(filters: dict | None = None):
	filters = frappe._dict(filters or {})
	group_by = filters.get("group_by") or "Agent"
	if group_by not in GROUPS:
		frappe.throw(_("Unknown grouping {0}").format(group_by))
	grain, column = GROUPS[group_by]
	data = []
	for r in q.rows(filters, grain, (column,)):
		kpis = figures.kpis(r)
		data.append(
			{
				"handler": r[column] or _("Not Set"),
				"received": kpis["received"],
				"closed": kpis["closed"],
				"handling_hours": kpis["avg_handling_hours"],
				"sla_attainment": kpis["sla_attainment"],
				"avg_score": kpis["avg_score"],
				"low_score_rate": kpis["low_score_rate"],
				"reopen_rate": kpis["reopen_rate"],
				"escalations": kpis["escalations"],
			}
		)
	data.sort(key=lambda r: (-r["received"], r["handler"]))
	chart = {
		"data": {
			"labels": [r["handler"] for r in data],
			"datasets": [
				{"name": _("SLA Met on Time (%)"), "values": [r["sla_attainment"] or 0 for r in data]}
			],
		},
		"type": "bar",
	}
	return columns(group_by), data, None, chart


def columns(group_by: str) -> list[dict]:
	handler = (
		q.column("handler", _("Agent"), "Link", 180, options="User")
		if group_by == "Agent"
		else q.column("handler", _("Department"), "Link", 160, options="Complaint Department")
	)
	return [
		handler,
		q.column("received", _("Handled"), "Int"),
		q.column("closed", _("Closed"), "Int"),
		q.column("handling_hours", _("Average Handling Time (h)"), "Float", 170),
		q.column("sla_attainment", _("SLA Met on Time (%)"), "Percent"),
		q.column("avg_score", _("Average Score"), "Float"),
		q.column("low_score_rate", _("Low Scores (%)"), "Percent"),
		q.column("reopen_rate", _("Reopen Rate (%)"), "Percent"),
		q.column("escalations", _("Escalations"), "Int"),
	]
