"""The policy records every new complaint needs, read in one go and kept in the site's cache.

Priority rules, SLA policies with their targets, pause states and calendars, escalation rules
with their levels, complaint types and channels, the workflow's steps and the region map of
Complaint Analytics Settings (its controller drops the entry on save): recording a complaint
reads them from one cache entry instead of a dozen queries. When an admin saves, renames or
deletes one of these records (``doc_events`` in hooks.py), or runs ``bench clear-cache``, the
entry is dropped at once and again when the transaction ends, so that no worker keeps a copy it
read before the change committed (or a copy of a change that was rolled back).
"""

from __future__ import annotations

from collections import defaultdict

import frappe
from frappe.model.workflow import get_workflow_name

from complaint_mgmt.engine import regions
from complaint_mgmt.engine.calendar import BusinessCalendar
from complaint_mgmt.engine.priority import PriorityRule

KEY = "complaint_mgmt:policy_snapshot"
# the DocTypes whose records the snapshot holds (their child tables are saved with them)
WATCHED = (
	"Complaint Priority Rule",
	"Complaint SLA Policy",
	"Complaint Business Calendar",
	"Complaint Escalation Rule",
	"Complaint Type",
	"Complaint Channel",
	"Workflow",
)
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def snapshot() -> frappe._dict:
	"""The cached policy snapshot (loaded on first use after a change)."""
	return frappe.cache.get_value(KEY, generator=load)


def clear(*args, **kwargs) -> None:
	"""Drop the snapshot now and once more when the transaction commits or rolls back."""
	_drop()
	frappe.db.after_commit.add(_drop)
	frappe.db.after_rollback.add(_drop)


def _drop() -> None:
	frappe.cache.delete_value(KEY)
	if hasattr(frappe.local, "complaint_calendars"):  # calendars outside the snapshot (sla_policy.calendar)
		frappe.local.complaint_calendars.clear()


def on_change(doc, method=None) -> None:
	"""doc_events hook of the watched DocTypes (a workflow of another DocType changes nothing here)."""
	if doc.doctype == "Workflow" and doc.get("document_type") != "Complaint":
		return
	clear()


def load() -> frappe._dict:
	return frappe._dict(
		priority_rules=_priority_rules(),
		sla_policies=_sla_policies(),
		escalation_rules=_escalation_rules(),
		types={row.name: row for row in _rows("Complaint Type", TYPE_FIELDS)},
		channels={
			row.name: row
			for row in _rows("Complaint Channel", ("name", "enabled", "can_acknowledge", "ack_medium"))
		},
		workflow=_workflow(),
		regions=_region_map(),
	)


def _region_map() -> tuple[tuple[str, str], ...]:
	rows = _rows(
		"Complaint Region Branch",
		("branch_prefix", "region"),
		where=lambda t: (t.parenttype == "Complaint Analytics Settings") & (t.parentfield == "region_map"),
		order=("idx",),
	)
	return regions.normalise((row.branch_prefix, row.region) for row in rows)


TYPE_FIELDS = (
	"name",
	"parent_complaint_type",
	"is_group",
	"enabled",
	"default_priority",
	"department",
	"category",
	"compensation_scenario",
	"lft",
	"rgt",
)


def _rows(doctype: str, fields, where=None, order=None) -> list[frappe._dict]:
	table = frappe.qb.DocType(doctype)
	query = frappe.qb.from_(table).select(*(table[f] for f in fields))
	if where is not None:
		query = query.where(where(table))
	for field in order or ():
		query = query.orderby(table[field])
	return query.run(as_dict=True)


def _children(doctype: str, parenttype: str, parents: list[str], fields) -> dict[str, list]:
	by_parent = defaultdict(list)
	if parents:
		rows = _rows(
			doctype,
			("parent", *fields),
			where=lambda t: t.parent.isin(parents) & (t.parenttype == parenttype),
			order=("parent", "idx"),
		)
		for row in rows:
			by_parent[row.parent].append(row)
	return by_parent


def _priority_rules() -> list[PriorityRule]:
	rows = _rows(
		"Complaint Priority Rule",
		("priority", "field", "operator", "value", "reason", "enabled"),
		where=lambda t: t.enabled == 1,
		order=("creation",),
	)
	return [PriorityRule.from_dict(row) for row in rows]


def _sla_policies() -> list[frappe._dict]:
	"""Enabled policies in match order, each with its targets by priority, pause states and calendar."""
	policies = _rows(
		"Complaint SLA Policy",
		("name", "is_default", "channel", "complaint_type", "customer_tier", "calendar", "at_risk_percent"),
		where=lambda t: t.enabled == 1,
		order=("sequence", "creation"),
	)
	names = [p.name for p in policies]
	targets = _children(
		"Complaint SLA Target", "Complaint SLA Policy", names, ("milestone", "priority", "target_hours")
	)
	pauses = _children("Complaint SLA Pause State", "Complaint SLA Policy", names, ("workflow_state",))
	calendars = {name: _calendar(name) for name in {p.calendar for p in policies if p.calendar}}
	for p in policies:
		p.targets = defaultdict(dict)
		for row in targets[p.name]:
			if row.target_hours:
				p.targets[row.priority][row.milestone] = row.target_hours
		p.targets = dict(p.targets)
		p.pause_states = {row.workflow_state for row in pauses[p.name]}
		p.business_calendar, p.time_zone = calendars.get(p.calendar) or (BusinessCalendar.always(), None)
	return policies


def _calendar(name: str) -> tuple[BusinessCalendar, str | None]:
	cal = frappe.get_doc("Complaint Business Calendar", name)
	return build_calendar(cal), cal.time_zone or None


def build_calendar(cal) -> BusinessCalendar:
	if cal.always_open:
		return BusinessCalendar.always()
	return BusinessCalendar.from_spec(
		[
			{"weekday": r.weekday, "start": r.start_time, "end": r.end_time, "idx": r.idx}
			for r in cal.working_hours
		],
		holidays=[r.holiday_date for r in cal.holidays],
		extra_working_days=[
			{"date": r.work_date, "weekday": WEEKDAYS.index(r.like_weekday or "Monday")}
			for r in cal.make_up_days
		],
	)


def _escalation_rules() -> dict[str, list[frappe._dict]]:
	"""Enabled escalation rules by milestone (oldest first), each with its level rows in order."""
	rules = _rows(
		"Complaint Escalation Rule",
		("name", "milestone", "priority"),
		where=lambda t: t.enabled == 1,
		order=("creation",),
	)
	meta = frappe.get_meta("Complaint Escalation Level")
	fields = [df.fieldname for df in meta.fields if df.fieldtype not in ("Section Break", "Column Break")]
	levels = _children(
		"Complaint Escalation Level", "Complaint Escalation Rule", [r.name for r in rules], fields
	)
	by_milestone = defaultdict(list)
	for rule in rules:
		rule.levels = sorted(levels[rule.name], key=lambda r: r.level)
		by_milestone[rule.milestone].append(rule)
	return dict(by_milestone)


def _workflow() -> frappe._dict:
	name = get_workflow_name("Complaint")
	if not name:
		return frappe._dict(name=None, initial_state=None, transitions=set())
	states = _rows(
		"Workflow Document State",
		("state",),
		where=lambda t: (t.parent == name) & (t.parenttype == "Workflow"),
		order=("idx",),
	)
	transitions = _rows(
		"Workflow Transition",
		("state", "next_state"),
		where=lambda t: (t.parent == name) & (t.parenttype == "Workflow"),
	)
	return frappe._dict(
		name=name,
		initial_state=states[0].state if states else None,
		transitions={(t.state, t.next_state) for t in transitions},
	)
