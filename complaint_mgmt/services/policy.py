"""Loading the admin-editable policy records into the engine's plain objects."""

from __future__ import annotations

import frappe

from complaint_mgmt.engine import regions
from complaint_mgmt.engine.priority import DEFAULT_PRIORITY_LEVELS, PriorityRule
from complaint_mgmt.services import policy_cache


def settings():
	return frappe.get_cached_doc("Complaint Settings")


def priority_levels() -> tuple[str, ...]:
	meta = frappe.get_meta("Complaint")
	options = [o for o in (meta.get_field("priority").options or "").split("\n") if o]
	return tuple(options) or DEFAULT_PRIORITY_LEVELS


def priority_rules() -> list[PriorityRule]:
	return policy_cache.snapshot().priority_rules


def terminal_states() -> set[str]:
	"""States where the work on a complaint ends: closed, rejected, merged, and the admin's other ones."""
	s = settings()
	others = [row.workflow_state for row in s.get("terminal_states") or []]
	return {state for state in (s.closed_state, s.rejected_state, s.merged_state, *others) if state}


def type_details(complaint_type: str) -> frappe._dict:
	"""The type's own settings, inheriting department and priority from its parent."""
	types = policy_cache.snapshot().types
	row = types.get(complaint_type)
	if not row:
		return frappe._dict()
	row = frappe._dict(row)
	parent = row.parent_complaint_type
	while parent in types and not (row.department and row.default_priority):
		row.department = row.department or types[parent].department
		row.default_priority = row.default_priority or types[parent].default_priority
		parent = types[parent].parent_complaint_type
	return row


def complaint_type(name: str) -> frappe._dict | None:
	return policy_cache.snapshot().types.get(name)


def channel(name: str) -> frappe._dict | None:
	return policy_cache.snapshot().channels.get(name)


def region(branch: str | None) -> str:
	"""The region of an origin branch by the admin's region map ('' when none matches)."""
	return regions.region_for(branch, policy_cache.snapshot().regions or ())


def workflow() -> frappe._dict:
	"""The Complaint workflow's name, first state and steps (state, next state)."""
	return policy_cache.snapshot().workflow
