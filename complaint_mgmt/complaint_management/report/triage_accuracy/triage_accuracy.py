# Copyright (c) 2026, complaint_mgmt contributors
# License: MIT. See license.txt
"""How often the agents kept the suggested type, per type (the one finally chosen) and per week."""

from __future__ import annotations

import frappe
from frappe import _
from frappe.utils import add_days, getdate, today


def execute(filters: dict | None = None):
	filters = frappe._dict(filters or {})
	to_date = getdate(filters.to_date or today())
	from_date = getdate(filters.from_date or add_days(to_date, -56))
	# get_list: the reader sees only the feedback of complaints they reach
	rows = frappe.get_list(
		"Complaint Triage Feedback",
		filters=[
			["recorded_at", ">=", from_date],
			["recorded_at", "<", add_days(to_date, 1)],
			["outcome", "in", ["Accepted", "Overridden"]],
		],
		fields=["chosen_type", "outcome", "source", "recorded_at"],
		limit_page_length=0,
	)
	table: dict[tuple, dict] = {}
	for row in rows:
		year, week, _day = getdate(row.recorded_at).isocalendar()
		key = (f"{year}-W{week:02d}", row.chosen_type)
		line = table.setdefault(
			key, {"week": key[0], "complaint_type": row.chosen_type, "accepted": 0, "overridden": 0}
		)
		line["accepted" if row.outcome == "Accepted" else "overridden"] += 1
	data = []
	for key in sorted(table):
		line = table[key]
		total = line["accepted"] + line["overridden"]
		line.update(suggestions=total, accuracy=round(100 * line["accepted"] / total, 1))
		data.append(line)
	return columns(), data


def columns() -> list[dict]:
	return [
		{"fieldname": "week", "label": _("Week"), "fieldtype": "Data", "width": 100},
		{
			"fieldname": "complaint_type",
			"label": _("Complaint Type"),
			"fieldtype": "Link",
			"options": "Complaint Type",
			"width": 200,
		},
		{"fieldname": "suggestions", "label": _("Suggestions"), "fieldtype": "Int", "width": 110},
		{"fieldname": "accepted", "label": _("Accepted"), "fieldtype": "Int", "width": 100},
		{"fieldname": "overridden", "label": _("Overridden"), "fieldtype": "Int", "width": 100},
		{"fieldname": "accuracy", "label": _("Accuracy (%)"), "fieldtype": "Percent", "width": 110},
	]
