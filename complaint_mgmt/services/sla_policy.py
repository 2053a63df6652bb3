"""Which SLA policy, targets, calendar and escalation rule a complaint gets, from the site's policy
snapshot (services/policy_cache.py): no query once the snapshot is cached."""

from __future__ import annotations

from datetime import timedelta

import frappe

from complaint_mgmt.engine import escalation as esc
from complaint_mgmt.engine.calendar import BusinessCalendar
from complaint_mgmt.services import policy_cache

TRIGGERS = {"Percent of Target": esc.TRIGGER_PERCENT, "After Breach": esc.TRIGGER_AFTER_BREACH}


def enabled_policies() -> list[frappe._dict]:
	"""The enabled SLA policies in match order, with what selecting one needs."""
	return policy_cache.snapshot().sla_policies


def select_policy(doc) -> frappe._dict | None:
	"""The first enabled policy (by match order) whose conditions the complaint meets, else the default."""
	default = None
	for row in enabled_policies():
		if row.is_default and not default:
			default = row
		if not (row.channel or row.complaint_type or row.customer_tier):
			continue
		if row.channel and row.channel != doc.channel:
			continue
		if row.customer_tier and row.customer_tier != doc.customer_tier:
			continue
		if row.complaint_type and not _is_within(doc.complaint_type, row.complaint_type):
			continue
		return row
	return default


def _is_within(complaint_type: str, ancestor: str) -> bool:
	if complaint_type == ancestor:
		return True
	types = policy_cache.snapshot().types
	outer, own = types.get(ancestor), types.get(complaint_type)
	return bool(outer and own and outer.lft < own.lft < outer.rgt)


def _policy(policy_name: str) -> frappe._dict | None:
	return next((p for p in enabled_policies() if p.name == policy_name), None)


def targets(policy_name: str, priority: str) -> dict[str, timedelta]:
	chosen = _policy(policy_name)
	hours = chosen.targets.get(priority, {}) if chosen else {}
	return {milestone: timedelta(hours=h) for milestone, h in hours.items()}


def pause_states(policy_name: str) -> set[str]:
	chosen = _policy(policy_name)
	return chosen.pause_states if chosen else set()


def calendar(name: str | None) -> tuple[BusinessCalendar, str | None]:
	"""The engine calendar and its time zone (None: the system's)."""
	if not name:
		return BusinessCalendar.always(), None
	for row in enabled_policies():
		if row.calendar == name:
			return row.business_calendar, row.time_zone
	if not hasattr(frappe.local, "complaint_calendars"):
		frappe.local.complaint_calendars = {}
	cache = frappe.local.complaint_calendars
	if name not in cache:
		cal = frappe.get_cached_doc("Complaint Business Calendar", name)
		cache[name] = (policy_cache.build_calendar(cal), cal.time_zone or None)
	return cache[name]


def escalation_levels(
	milestone: str, priority: str
) -> tuple[str | None, tuple[esc.EscalationLevel, ...], dict]:
	"""The rule for this milestone and priority (a priority-specific rule wins), its engine levels
	and its rows by level number."""
	rules = policy_cache.snapshot().escalation_rules.get(milestone, ())
	rule = next((r for r in rules if r.priority == priority), None) or next(
		(r for r in rules if not r.priority), None
	)
	if not rule:
		return None, (), {}
	levels = tuple(
		esc.EscalationLevel(
			level=r.level, trigger=TRIGGERS[r.trigger], threshold=r.threshold, actions=("act",)
		)
		for r in rule.levels
	)
	return rule.name, levels, {r.level: r for r in rule.levels}
