"""Approval levels say which case flags they are required for (``required_for``) instead of the
old "Approves Media / Regulator Cases" tick: the lowest ticked level becomes required for media and
regulator cases, which is what the tick meant."""

from __future__ import annotations

import frappe


def execute() -> None:
	if not frappe.db.has_column("Compensation Approval Level", "handles_sensitive"):
		return
	level = frappe.qb.DocType("Compensation Approval Level")
	rows = (
		frappe.qb.from_(level)
		.select(level.name, level.required_for)
		.where(level.handles_sensitive == 1)
		.orderby(level.rank)
		.run(as_dict=True)
	)
	if rows and not any(r.required_for for r in rows):
		frappe.db.set_value(
			"Compensation Approval Level",
			rows[0].name,
			"required_for",
			"media_involved\nregulator_involved",
			update_modified=False,
		)
