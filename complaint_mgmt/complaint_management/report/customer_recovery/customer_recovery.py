# Copyright (c) 2026, complaint_mgmt contributors
# License: MIT. See license.txt
"""Customer Recovery (issue 12): recovery rate, cycle, cost, satisfaction change and complaints
before/after, per strategy against the customers who got no plan."""

from __future__ import annotations

import frappe
from frappe import _

from complaint_mgmt.engine.recovery import NO_PLAN
from complaint_mgmt.services import recovery_report


def execute(filters: dict | None = None):
	filters = frappe._dict(filters or {})
	found = [effect.as_dict() for effect in recovery_report.effects(filters)]
	for row in found:
		row["strategy_label"] = _(row["strategy"])
	return columns(), found, None, chart(found[1:]), summary(found[0])


def columns() -> list[dict]:
	def col(fieldname, label, fieldtype="Float", width=120):
		return {"fieldname": fieldname, "label": _(label), "fieldtype": fieldtype, "width": width}

	return [
		col("strategy_label", "Strategy", "Data", 180),
		col("customers", "Complained Customers", "Int"),
		col("retained", "Retained", "Int"),
		col("recovery_rate", "Recovery Rate (%)", "Percent"),
		col("cycle_days", "Recovery Cycle (Days)"),
		col("cost", "Recovery Cost (CNY)", "Currency"),
		col("cost_per_retained", "Cost per Retained Customer", "Currency"),
		col("satisfaction_change", "Satisfaction Change"),
		col("complaints_before", "Complaints Before", "Int"),
		col("complaints_after", "Complaints After", "Int"),
	]


def chart(groups: list[dict]) -> dict:
	return {
		"data": {
			"labels": [_(g["strategy"]) for g in groups],
			"datasets": [{"name": _("Recovery Rate (%)"), "values": [g["recovery_rate"] for g in groups]}],
		},
		"type": "bar",
		"colors": ["#5e64ff"],
	}


def summary(total: dict) -> list[dict]:
	return [
		{"label": _("Complained Customers"), "value": total["customers"], "datatype": "Int"},
		{"label": _("Retained"), "value": total["retained"], "datatype": "Int", "indicator": "Green"},
		{"label": _("Recovery Rate (%)"), "value": total["recovery_rate"], "datatype": "Percent"},
		{"label": _("Recovery Cycle (Days)"), "value": total["cycle_days"] or 0, "datatype": "Float"},
		{"label": _("Recovery Cost (CNY)"), "value": total["cost"], "datatype": "Currency"},
		{"label": _("Comparison group"), "value": _(NO_PLAN), "datatype": "Data"},
	]
