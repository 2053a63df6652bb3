"""One page of the SLA sweep's escalation pass in a few statements (tasks/sla_escalation.py): the
page's complaints are locked and read again in one statement, their due milestone rows in another,
the escalations are recorded with one INSERT (each record's document events still run) and the
rows' new state is written with one UPDATE.

A complaint that needs more is left to the per-row path: put in a terminal state behind the form's
back (its clocks stop), or due a level that raises its priority (the complaint is saved again and
its rows re-timed). Should anything fail in the page (an admin's Server Script, a level recorded
meanwhile by someone else), the page is undone to its savepoint and the per-row path takes all of
its rows, one savepoint each, as before."""

from __future__ import annotations

from datetime import datetime

import frappe

from complaint_mgmt.complaint_management.doctype.complaint_escalation.complaint_escalation import (
	escalation_name,
)
from complaint_mgmt.engine import escalation as esc
from complaint_mgmt.engine.clocks import AFTER_CLOSURE
from complaint_mgmt.services import assignment, escalation_actions, policy, sla, sla_policy
from complaint_mgmt.tasks.sla_status import at_savepoint

ROW_FIELDS = (
	"name", "parent", "milestone", "status", "started_at", "target_minutes", "due_at", "met_at",
	"pauses", "extensions", "escalation_level", "policy", "clock_round",
)  # fmt: skip
COMPLAINT_FIELDS = (
	"name", "priority", "lead_owner", "co_owner", "department", "subject", "workflow_state", "received_at",
)  # fmt: skip
STATE_FIELDS = ("escalation_level", "next_escalation_at", "status", "due_at", "at_risk_at")


class Plan(frappe._dict):
	"""A row's rule, its levels due now and what its clock needs (calendar, zone, at-risk share)."""


class Batch:
	"""What the rows of one page share, loaded once: their complaints (read under their locks),
	policies, rules, departments' managers and the users of a role."""

	def __init__(self, rows: list[frappe._dict]):
		self.complaints: dict[str, frappe._dict] = {}
		self.policies = {
			p.name: p
			for p in frappe.get_all(
				"Complaint SLA Policy",
				filters={"name": ["in", list({r.policy for r in rows if r.policy})]},
				fields=["name", "calendar", "at_risk_percent"],
			)
		}
		self.terminal_states = policy.terminal_states()
		self._rules: dict[tuple[str, str], tuple] = {}
		self._role_users: dict[str, list[str]] = {}
		self._managers: dict[str, list[str]] = {}

	def lock(self, complaint: str) -> bool:
		"""Lock one complaint's row and read it again; False when a user is saving it right now."""
		return bool(self.lock_all([complaint]))

	def lock_all(self, names) -> set[str]:
		"""Lock the complaints' rows and read them again (a user may have changed their priority or
		owners), in one statement; those a user is saving right now are left out."""
		return {c.name for c in self.read(list(names), lock=True)}

	def read(self, names: list[str], lock: bool = False) -> list[frappe._dict]:
		complaint = frappe.qb.DocType("Complaint")  # the query builder: get_all's checks cost more here
		query = (
			frappe.qb.from_(complaint)
			.select(*(complaint[f] for f in COMPLAINT_FIELDS))
			.where(complaint.name.isin(names))
		)
		found = (query.for_update(skip_locked=True) if lock else query).run(as_dict=True)
		self.complaints.update({c.name: c for c in found})
		return found

	def managers(self, department: str) -> list[str]:
		"""The department's manager and escalation manager (read once per page)."""
		if department not in self._managers:
			found = frappe.db.get_value("Complaint Department", department, ["manager", "escalation_manager"])
			self._managers[department] = [u for u in (found or ()) if u]
		return self._managers[department]

	def users_with_role(self, role: str) -> list[str]:
		if role not in self._role_users:
			self._role_users[role] = assignment.users_with_role(role)
		return self._role_users[role]

	def rule(self, milestone: str, priority: str):
		key = (milestone, priority)
		if key not in self._rules:
			self._rules[key] = sla_policy.escalation_levels(milestone, priority)
		return self._rules[key]

	def plan(self, row: frappe._dict, priority: str, now: datetime) -> Plan:
		"""The row's rule and the levels of it that are due and not applied yet."""
		rule, levels, rows_by_level = self.rule(row.milestone, priority)
		chosen = self.policies.get(row.policy)
		cal, tz = sla_policy.calendar(chosen.calendar if chosen else None)
		clock = sla.Clock(row, cal, tz)
		applied = set(range(1, (row.escalation_level or 0) + 1))
		return Plan(
			rule=rule,
			levels=levels,
			rows_by_level=rows_by_level,
			due=esc.due_levels(levels, applied, clock.engine_clock(), clock.local(now)),
			cal=cal,
			tz=tz,
			at_risk=chosen.at_risk_percent if chosen else 100,
		)

	def stops(self, row: frappe._dict) -> bool:
		"""Whether the row's complaint is in a terminal state, where this clock stops."""
		return (
			self.complaints[row.parent].workflow_state in self.terminal_states
			and row.milestone not in AFTER_CLOSURE
		)


def lock_due_rows(names: list[str], now: datetime) -> list[frappe._dict]:
	"""The rows again, locked, those still due (another worker may have escalated one)."""
	if not names:
		return []
	ms = frappe.qb.DocType("Complaint Milestone")
	return (
		frappe.qb.from_(ms)
		.select(*(ms[field] for field in ROW_FIELDS))
		.where(ms.name.isin(names))
		.where(ms.next_escalation_at <= now)
		.where(ms.met_at.isnull())
		.where(ms.stopped_at.isnull())
		.for_update(skip_locked=True)
		.run(as_dict=True)
	)


def escalate_page(rows: list[frappe._dict], batch: Batch, now: datetime):
	"""Escalate a page of due rows in the open transaction.

	Returns (levels applied, rows done, rows for the per-row path, rows whose complaint a user
	holds); raises Busy when the database undid the transaction."""
	outcome, error = at_savepoint("sla_page", lambda: _escalate_page(rows, batch, now))
	return (0, [], rows, []) if error else outcome


def _escalate_page(rows: list[frappe._dict], batch: Batch, now: datetime):
	locked = batch.lock_all({row.parent for row in rows})
	mine = [row for row in rows if row.parent in locked]
	held = [row for row in rows if row.parent not in locked]
	due = {row.name: row for row in lock_due_rows([row.name for row in mine], now)}  # others: met since
	plans: dict[str, Plan] = {}
	one_by_one: set[str] = set()  # complaints for the per-row path
	for row in due.values():
		plan = None if batch.stops(row) else batch.plan(row, batch.complaints[row.parent].priority, now)
		if plan is None or any(plan.rows_by_level[level.level].raise_priority for level in plan.due):
			one_by_one.add(row.parent)
		plans[row.name] = plan
	todo = [due[row.name] for row in mine if row.name in due and row.parent not in one_by_one]
	names = {
		row.name: [
			escalation_name(row.parent, row.milestone, row.extensions or 0, level.level, row.clock_round or 0)
			for level in plans[row.name].due
		]
		for row in todo
	}
	recorded = recorded_already([name for found in names.values() for name in found])
	records, written = [], []
	for row in todo:
		if recorded.intersection(names[row.name]):
			continue  # as the per-row path's duplicate: left as it is (and no second record)
		plan, complaint = plans[row.name], batch.complaints[row.parent]
		for level in plan.due:
			records.append(
				escalation_actions.escalation_values(
					complaint, row, plan.rule, plan.rows_by_level[level.level], now, batch
				)
			)
		if any(changes_owners(plan.rows_by_level[level.level]) for level in plan.due):
			batch.read([row.parent])  # its next row in this page sees the new owners
		if plan.due:
			row.escalation_level = max(row.escalation_level or 0, plan.due[-1].level)
		sla.evaluate(row, plan.cal, plan.tz, plan.at_risk, plan.levels, now)
		written.append(row)
	escalation_actions.record_escalations(records)
	write_state(written)
	done = [row for row in mine if row.parent not in one_by_one]
	later = [row for row in mine if row.parent in one_by_one]
	return len(records), done, later, held


def changes_owners(level) -> bool:
	return bool(level.add_co_owner_role or level.reassign_to_role)


def recorded_already(names: list[str]) -> set[str]:
	if not names:
		return set()
	record = frappe.qb.DocType("Complaint Escalation")
	return set(frappe.qb.from_(record).select(record.name).where(record.name.isin(names)).run(pluck=True))


def write_state(rows: list[frappe._dict]) -> None:
	"""The rows' new level, next escalation moment, status and due times, in one UPDATE. Written
	with bound parameters: the query builder renders this CASE's hundreds of values in Python at
	~10 ms a page, more than the rest of the statement's cost."""
	if not rows:
		return
	cases, values = [], []
	for field in STATE_FIELDS:
		cases.append(f"`{field}` = CASE `name`" + " WHEN %s THEN %s" * len(rows) + " END")
		for row in rows:
			values += (row.name, row[field])
	names = [row.name for row in rows]
	frappe.db.sql(
		f"UPDATE `tabComplaint Milestone` SET {', '.join(cases)}"
		f" WHERE `name` IN ({', '.join(['%s'] * len(names))})",
		[*values, *names],
	)
