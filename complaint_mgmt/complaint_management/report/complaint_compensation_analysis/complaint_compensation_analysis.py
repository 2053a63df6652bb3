# Copyright (c) 2026, complaint_mgmt contributors
# License: MIT. See license.txt
"""Compensations (approved, paying or paid) by scenario, liability and the network node found
responsible by the investigation (SPEC §5, §6, §9)."""

from __future__ import annotations

import frappe
from frappe import _

from complaint_mgmt.engine import analytics as figures
from complaint_mgmt.services import analytics_query as q

GROUPS = {
	"Compensation Scenario": "complaint_type",
	"Liability": "node",
	"Responsible Node": "responsible_node",
}


def scenario_of_types() -> dict[str, str]:
	return {
		t.name: t.compensation_scenario or t.name
		for t in frappe.get_all("Complaint Type", fields=["name", "compensation_scenario"])
	}


def execute(filters: dict | None = None):
	filters = frappe._dict(filters or {})
	group_by = filters.get("group_by") or "Compensation Scenario"
	if group_by not in GROUPS:
		frappe.throw(_("Unknown grouping {0}").format(group_by))
	column = GROUPS[group_by]
	# a route, branch or region filter reads that grain, which knows the type but not the liability
	grain = q.grain_for(filters)
	if grain != "Type" and column != "complaint_type":
		frappe.throw(
			_("Compensation by {0} cannot be combined with a route, branch or region filter").format(
				_(group_by)
			),
			title=_("Filters not combinable"),
		)
	found = q.rows(filters, "Liability" if grain == "Type" else grain, (column,))
	if column == "complaint_type":
		scenarios = scenario_of_types()
		key = lambda r: scenarios.get(r["complaint_type"], r["complaint_type"])  # noqa: E731
	else:
		key = lambda r: r[column]  # noqa: E731
	grouped = figures.group([r for r in found if r["compensations"]], lambda r: key(r) or _("Not Set"))
	amounts = {k: s["compensation_amount"] for k, s in grouped.items()}
	data = [
		{
			"key": _(k) if column != "complaint_type" else k,
			"compensations": grouped[k]["compensations"],
			"amount": amount,
			"share": share,
			"average": figures.average(amount, grouped[k]["compensations"]),
		}
		for k, amount, share in figures.shares(amounts)
	]
	chart = {
		"data": {
			"labels": [r["key"] for r in data],
			"datasets": [{"name": _("Compensation Amount"), "values": [r["amount"] for r in data]}],
		},
		"type": "pie",
	}
	summary = [
		{"value": sum(r["amount"] for r in data), "label": _("Compensation Amount"), "datatype": "Currency"},
		{"value": sum(r["compensations"] for r in data), "label": _("Compensations"), "datatype": "Int"},
	]
	return columns(group_by), data, None, chart, summary


def columns(group_by: str) -> list[dict]:
	return [
		q.column("key", _(group_by), "Data", 180),
		q.column("compensations", _("Compensations"), "Int"),
		q.column("amount", _("Compensation Amount"), "Currency", 140),
		q.column("share", _("Share of Amount (%)"), "Percent"),
		q.column("average", _("Average Amount"), "Currency"),
	]
