"""Loading the admin-editable policy records into the engine's plain objects."""

from __future__ import annotations

import frappe

from complaint_mgmt.engine.priority import DEFAULT_PRIORITY_LEVELS, PriorityRule


def settings():
	return frappe.get_cached_doc("Complaint Settings")


def priority_levels() -> tuple[str, ...]:
	meta = frappe.get_meta("Complaint")
	options = [o for o in (meta.get_field("priority").options or "").split("\n") if o]
	return tuple(options) or DEFAULT_PRIORITY_LEVELS


def priority_rules() -> list[PriorityRule]:
	rows = frappe.get_all(
		"Complaint Priority Rule",
		filters={"enabled": 1},
		fields=["priority", "field", "operator", "value", "reason", "enabled"],
		order_by="creation asc",
	)
	return [PriorityRule.from_dict(row) for row in rows]


def terminal_states() -> set[str]:
	"""States where the work on a complaint ends: closed, rejected, merged, and the admin's other ones."""
	s = settings()
	others = [row.workflow_state for row in s.get("terminal_states") or []]
	return {state for state in (s.closed_state, s.rejected_state, s.merged_state, *others) if state}


def type_details(complaint_type: str) -> frappe._dict:
	"""The type's own settings, inheriting department and priority from its parent."""
	row = frappe.db.get_value(
		"Complaint Type",
		complaint_type,
		[
			"name",
			"parent_complaint_type",
			"default_priority",
			"department",
			"category",
			"compensation_scenario",
		],
		as_dict=True,
	)
	if row and row.parent_complaint_type and not (row.department and row.default_priority):
		parent = type_details(row.parent_complaint_type)
		row.department = row.department or parent.department
		row.default_priority = row.default_priority or parent.default_priority
	return row or frappe._dict()
