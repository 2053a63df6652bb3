# Copyright (c) 2026, complaint_mgmt contributors
# License: MIT. See license.txt
"""Share of SLA clocks met on time per milestone and priority, against the targets set in
Complaint Analytics Settings (e.g. Resolution / Urgent — closed within 24 h — at least 90 %)."""

from __future__ import annotations

import frappe
from frappe import _

from complaint_mgmt.engine import analytics as figures
from complaint_mgmt.services import analytics_query as q

ALL = "All"


def targets() -> dict[tuple[str, str], float]:
	return {(t.milestone, t.priority): t.target_percent for t in q.settings().targets}


def execute(filters: dict | None = None):
	filters = frappe._dict(filters or {})
	grain = q.grain_for(filters)
	by = ("priority",) if "priority" in q.GRAINS[grain] else ()
	found = q.rows(filters, grain, by)
	per_priority = figures.group(found, lambda r: r.get("priority") or ALL)
	overall = figures.total(found)
	goal = targets()
	data = []
	for _key, milestone in figures.MILESTONE_KEYS:
		for priority, sums in [(ALL, overall), *sorted(per_priority.items())] if by else [(ALL, overall)]:
			key = figures.milestone_key(milestone)
			met, breached = sums[f"{key}_met"], sums[f"{key}_breached"]
			if not (met or breached) and priority != ALL:
				continue
			actual = figures.attainment(sums, milestone)
			target = goal.get((milestone, priority))
			data.append(
				{
					"milestone": _(milestone),
					"priority": _(priority),
					"met": met,
					"breached": breached,
					"attainment": actual,
					"target": target,
					"result": _(figures.target_check(actual, target)) if target is not None else "",
					"indent": 0 if priority == ALL else 1,
				}
			)
	headline = [row for row in data if row["indent"] == 0]
	chart = {
		"data": {
			"labels": [row["milestone"] for row in headline],
			"datasets": [
				{"name": _("Met on Time (%)"), "values": [row["attainment"] or 0 for row in headline]},
			],
		},
		"type": "bar",
	}
	missed = sum(1 for row in data if row["result"] == _("Missed"))
	summary = [
		{"value": figures.overall_attainment(overall), "label": _("Met on Time (%)"), "datatype": "Percent"},
		{
			"value": missed,
			"label": _("Targets Missed"),
			"datatype": "Int",
			"indicator": "Red" if missed else "Green",
		},
	]
	return columns(), data, None, chart, summary


def columns() -> list[dict]:
	return [
		q.column("milestone", _("Milestone"), "Data", 170),
		q.column("priority", _("Priority"), "Data", 100),
		q.column("met", _("Met on Time"), "Int"),
		q.column("breached", _("Breached"), "Int"),
		q.column("attainment", _("Met on Time (%)"), "Percent"),
		q.column("target", _("Target (%)"), "Percent"),
		q.column("result", _("Result"), "Data", 90),
	]
