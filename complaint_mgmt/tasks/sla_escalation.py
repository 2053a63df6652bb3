"""The escalation pass of the SLA sweep (tasks/sla.py): the milestone rows whose next escalation
moment has passed, each level recorded once with its actions (services/escalation_actions.py),
committed every few rows or half a second."""

from __future__ import annotations

import time
from datetime import datetime

import frappe
from frappe import _

from complaint_mgmt.engine import escalation as esc
from complaint_mgmt.engine.clocks import AFTER_CLOSURE
from complaint_mgmt.services import assignment, escalation_actions, policy, sla, sla_policy
from complaint_mgmt.tasks.sla_status import (
	BATCH,
	COMMIT_AFTER_S,
	Busy,
	busy,
	refresh_overall_status,
)

ROW_FIELDS = (
	"name", "parent", "milestone", "status", "started_at", "target_minutes", "due_at", "met_at",
	"pauses", "extensions", "escalation_level", "policy",
)  # fmt: skip


def due_rows(now: datetime, skip: set[str], limit: int = BATCH) -> list[frappe._dict]:
	"""Milestone rows whose next escalation moment has passed (read without locks)."""
	ms = frappe.qb.DocType("Complaint Milestone")
	query = (
		frappe.qb.from_(ms)
		.select(*(ms[field] for field in ROW_FIELDS))
		.where(ms.next_escalation_at <= now)
		.where(ms.met_at.isnull())
		.where(ms.stopped_at.isnull())
		.orderby(ms.next_escalation_at)
		.limit(limit)
	)
	if skip:
		query = query.where(ms.name.notin(list(skip)))
	return query.run(as_dict=True)


def lock_due_row(name: str, now: datetime) -> frappe._dict | None:
	"""The row again, locked, if it is still due (another worker may have escalated it)."""
	ms = frappe.qb.DocType("Complaint Milestone")
	rows = (
		frappe.qb.from_(ms)
		.select(*(ms[field] for field in ROW_FIELDS))
		.where(ms.name == name)
		.where(ms.next_escalation_at <= now)
		.where(ms.met_at.isnull())
		.where(ms.stopped_at.isnull())
		.for_update(skip_locked=True)
		.run(as_dict=True)
	)
	return rows[0] if rows else None


class Batch:
	"""What the rows of one batch share, loaded once: their complaints, policies and rules."""

	def __init__(self, rows: list[frappe._dict]):
		self.complaints = {c.name: c for c in self._load(list({r.parent for r in rows}))}
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

	def lock(self, complaint: str) -> bool:
		"""Lock the complaint's row and read it again (a user may have changed its priority or
		owners), in one statement; False when a user is saving it right now."""
		found = self._load([complaint], lock=True)
		self.complaints.update({c.name: c for c in found})
		return bool(found)

	@staticmethod
	def _load(names: list[str], lock: bool = False) -> list[frappe._dict]:
		complaint = frappe.qb.DocType("Complaint")  # the query builder: get_all's checks cost more here
		query = (
			frappe.qb.from_(complaint)
			.select(*(complaint[f] for f in ("name", "priority", "lead_owner", "co_owner", "department")))
			.select(complaint.subject, complaint.workflow_state)
			.where(complaint.name.isin(names))
		)
		return (query.for_update(skip_locked=True) if lock else query).run(as_dict=True)

	def users_with_role(self, role: str) -> list[str]:
		if role not in self._role_users:
			self._role_users[role] = assignment.users_with_role(role)
		return self._role_users[role]

	def rule(self, milestone: str, priority: str):
		key = (milestone, priority)
		if key not in self._rules:
			self._rules[key] = sla_policy.escalation_levels(milestone, priority)
		return self._rules[key]


def escalate_due(now: datetime) -> int:
	"""Escalate the due rows, committing every few rows or half a second: each row's complaint,
	then the row, are locked; a row someone holds, or whose work a deadlock undid, is tried
	again once at the end."""
	done = 0
	skip: set[str] = set()
	processed: set[str] = set()
	retry: list[frappe._dict] = []
	open_rows: list[frappe._dict] = []  # escalated since the last commit
	open_done, opened = 0, time.monotonic()
	while rows := due_rows(now, skip):
		batch = Batch(rows)
		for row in rows:
			if row.name in processed:  # still due after its turn (it failed): the next sweep retries
				skip.add(row.name)
				continue
			processed.add(row.name)
			try:
				outcome = escalate_one(row, batch, now)
			except Busy:
				retry += [*open_rows, row]
				skip.update(r.name for r in retry)
				open_rows, open_done, opened = [], 0, time.monotonic()
				continue
			if outcome is None:
				retry.append(row)
				skip.add(row.name)
				continue
			open_rows.append(row)
			open_done += outcome
			if len(open_rows) >= BATCH or time.monotonic() - opened >= COMMIT_AFTER_S:
				commit(open_rows)
				done += open_done
				open_rows, open_done, opened = [], 0, time.monotonic()
	commit(open_rows)
	done += open_done
	if retry:
		batch = Batch(retry)
		for row in retry:
			try:
				outcome = escalate_one(row, batch, now)
			except Busy:
				continue  # the next sweep
			done += outcome or 0
			commit([] if outcome is None else [row])  # a complaint a user still holds is theirs
	return done


def commit(rows: list[frappe._dict]) -> None:
	"""The complaints' SLA summaries (their worst open milestone), once per transaction, then commit."""
	refresh_overall_status({row.parent for row in rows})
	frappe.db.commit()


def escalate_one(row: frappe._dict, batch: Batch, now: datetime) -> int | None:
	"""Levels applied for this row in the open transaction, or None when a user holds its
	complaint; raises Busy when the database undid the transaction."""
	frappe.db.savepoint("sla_row")
	try:
		if not batch.lock(row.parent):
			return None
		locked = lock_due_row(row.name, now)
		if locked is None:  # met or escalated since it was read
			return 0
		return escalate_row(locked, batch, now)
	except Exception as error:
		if busy(error):
			frappe.db.rollback()
			raise Busy from error
		frappe.db.rollback(save_point="sla_row")
		if not isinstance(error, frappe.DuplicateEntryError):  # another worker escalated it just now
			frappe.log_error(
				title=_("SLA escalation failed"), reference_doctype="Complaint", reference_name=row.parent
			)
		return 0


def escalate_row(row: frappe._dict, batch: Batch, now: datetime) -> int:
	"""Apply every level of this milestone that is due and not applied yet; returns how many."""
	complaint = batch.complaints[row.parent]
	if complaint.workflow_state in batch.terminal_states and row.milestone not in AFTER_CLOSURE:
		# put in a terminal state behind the form's back (a script, an import): stop, never escalate
		ms = frappe.qb.DocType("Complaint Milestone")
		(
			frappe.qb.update(ms)
			.set(ms.stopped_at, now)
			.set(ms.status, "Stopped")
			.set(ms.next_escalation_at, None)
			.where(ms.name == row.name)
			.run()
		)
		sla.mark(frappe.get_doc("Complaint", complaint.name), now)
		assignment.close_all(complaint.name)
		return 0
	rule, levels, rows_by_level = batch.rule(row.milestone, complaint.priority)
	chosen = batch.policies.get(row.policy)
	at_risk = chosen.at_risk_percent if chosen else 100
	cal, tz = sla_policy.calendar(chosen.calendar if chosen else None)
	clock = sla.Clock(row, cal, tz)
	applied = set(range(1, (row.escalation_level or 0) + 1))
	due = esc.due_levels(levels, applied, clock.engine_clock(), clock.local(now))
	for level in due:
		escalation_actions.apply_level(complaint, row, rule, rows_by_level[level.level], now, batch)
	reloaded = False
	if any(rows_by_level[level.level].raise_priority for level in due):
		# the complaint was re-saved with a higher priority and new targets: continue from the stored row
		row = frappe.get_all("Complaint Milestone", filters={"name": row.name}, fields=list(ROW_FIELDS))[0]
		complaint = frappe._dict(complaint, priority=frappe.db.get_value("Complaint", row.parent, "priority"))
		_, levels, _ = batch.rule(row.milestone, complaint.priority)
		reloaded = True
	if due:
		row.escalation_level = max(row.escalation_level or 0, due[-1].level)
	sla.evaluate(row, cal, tz, at_risk, levels, now)
	ms = frappe.qb.DocType("Complaint Milestone")
	(
		frappe.qb.update(ms)
		.set(ms.escalation_level, row.escalation_level)
		.set(ms.next_escalation_at, row.next_escalation_at)
		.set(ms.status, row.status)
		.set(ms.due_at, row.due_at)
		.set(ms.at_risk_at, row.at_risk_at)
		.where(ms.name == row.name)
		.run()
	)
	if reloaded:
		batch.complaints[row.parent] = complaint
	return len(due)
