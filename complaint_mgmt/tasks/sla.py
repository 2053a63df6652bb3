"""The SLA sweep: status changes and escalations for the milestones whose moment has come.

It never loads every open complaint. The status pass finds the milestones that cross to At Risk /
Breached through the indexed ``status`` and time columns; the escalation pass reads only rows whose
``next_escalation_at`` has passed. Each escalation level writes one Complaint Escalation whose
unique key (complaint, milestone, level, extension count) makes a repeat impossible; its actions
and the row's new state commit together, so a crash half-way loses nothing and repeats nothing.

Running beside users and other sweeps: one sweep runs at a time per site (a database lock; a
second one exits at once). Work commits every few complaints or half a second, whichever comes
first, and a complaint's row is locked before its milestones, the order a user's save takes them,
so a save waits at most about half a second plus one complaint's escalation, and the two do not
deadlock. A complaint a user is saving at that moment is skipped and tried again at the end of the
sweep (or by the next one); should the database still break a deadlock, the undone rows are too.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from datetime import datetime

import frappe
from frappe import _
from frappe.utils import now_datetime

from complaint_mgmt.engine import escalation as esc
from complaint_mgmt.engine.clocks import AFTER_CLOSURE
from complaint_mgmt.engine.sla_history import overall_status
from complaint_mgmt.services import assignment, escalation_actions, policy, sla, sla_policy

# complaints per transaction of the status pass; escalated rows per transaction, unless
# COMMIT_AFTER_S has passed first (slow side effects then do not keep rows locked for long)
BATCH = 20
COMMIT_AFTER_S = 0.5


class Busy(Exception):
	"""The database broke a deadlock or gave up waiting: this transaction is gone."""


def sweep(now: datetime | None = None) -> dict:
	"""Scheduler entry point; returns counts for logs and benchmarks."""
	now = now or now_datetime()
	if not take_sweep_lock():
		return {"status_changes": 0, "escalations": 0, "skipped": 1}
	try:
		changed = update_statuses(now)
		escalated = escalate_due(now)
	finally:
		release_sweep_lock()
	return {"status_changes": changed, "escalations": escalated, "skipped": 0}


def sweep_lock_name() -> str:
	return f"complaint_sla_sweep:{frappe.conf.db_name}"[:64]


def take_sweep_lock() -> bool:
	"""A named database lock held by this connection (released if the worker dies)."""
	return bool(frappe.db.sql("SELECT GET_LOCK(%s, 0)", sweep_lock_name())[0][0])


def release_sweep_lock() -> None:
	frappe.db.sql("SELECT RELEASE_LOCK(%s)", sweep_lock_name())


def lock_complaints(names: Iterable[str]) -> list[str]:
	"""Lock the complaints' rows for this transaction; those a user is saving are left out."""
	names = list(names)
	if not names:
		return []
	complaint = frappe.qb.DocType("Complaint")
	return (
		frappe.qb.from_(complaint)
		.select(complaint.name)
		.where(complaint.name.isin(names))
		.for_update(skip_locked=True)
		.run(pluck=True)
	)


def busy(error: Exception) -> bool:
	return frappe.db.is_deadlocked(error) or frappe.db.is_timedout(error)


def update_statuses(now: datetime) -> int:
	"""On Track → At Risk → Breached for unmet, running rows whose moment passed, a few
	complaints per transaction."""
	ms = frappe.qb.DocType("Complaint Milestone")
	open_rows = ms.met_at.isnull() & ms.stopped_at.isnull() & (ms.status != "Paused")
	breaching = ms.status.isin(["On Track", "At Risk"]) & (ms.due_at <= now) & open_rows
	at_risk = (ms.status == "On Track") & (ms.at_risk_at <= now) & (ms.due_at > now) & open_rows
	parents = frappe.qb.from_(ms).select(ms.parent).distinct().where(breaching | at_risk).run(pluck=True)
	changed = 0
	for start in range(0, len(parents), BATCH):
		try:
			locked = lock_complaints(parents[start : start + BATCH])
			mine = ms.parent.isin(locked or [""]) & (ms.parenttype == "Complaint")
			for status, condition in (("Breached", breaching), ("At Risk", at_risk)):
				rows = frappe.qb.from_(ms).select(ms.name).where(mine & condition).run(pluck=True)
				if rows:
					frappe.qb.update(ms).set(ms.status, status).where(ms.name.isin(rows)).run()
					changed += len(rows)
			refresh_overall_status(locked)
		except Exception as error:
			if not busy(error):
				raise
			frappe.db.rollback()  # the next sweep takes these complaints
		frappe.db.commit()
	return changed


def refresh_overall_status(parents: Iterable[str]) -> None:
	"""Set each complaint's SLA summary to its worst open milestone: one grouped read and at most
	one UPDATE per status."""
	parents = list(parents)
	if not parents:
		return
	ms, complaint = frappe.qb.DocType("Complaint Milestone"), frappe.qb.DocType("Complaint")
	rows = (
		frappe.qb.from_(ms)
		.select(ms.parent, ms.status)
		.distinct()
		.where(ms.parent.isin(parents))
		.where(ms.parenttype == "Complaint")
		.run()
	)
	statuses: dict[str, list[str]] = {}
	for parent, status in rows:
		statuses.setdefault(parent, []).append(status)
	by_summary: dict[str, list[str]] = {}
	for parent, found in statuses.items():
		by_summary.setdefault(overall_status(found), []).append(parent)
	for summary, names in by_summary.items():
		frappe.qb.update(complaint).set(complaint.sla_status, summary).where(complaint.name.isin(names)).run()


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

	def refresh(self, complaint: str) -> None:
		"""Read the complaint again under its lock (a user may have changed its priority or owners)."""
		self.complaints.update({c.name: c for c in self._load([complaint])})

	@staticmethod
	def _load(names: list[str]) -> list[frappe._dict]:
		return frappe.get_all(
			"Complaint",
			filters={"name": ["in", names]},
			fields=["name", "priority", "lead_owner", "co_owner", "department", "subject", "workflow_state"],
		)

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
				frappe.db.commit()
				done += open_done
				open_rows, open_done, opened = [], 0, time.monotonic()
	frappe.db.commit()
	done += open_done
	if retry:
		batch = Batch(retry)
		for row in retry:
			try:
				done += escalate_one(row, batch, now) or 0
			except Busy:
				continue  # the next sweep
			frappe.db.commit()
	return done


def escalate_one(row: frappe._dict, batch: Batch, now: datetime) -> int | None:
	"""Levels applied for this row in the open transaction, or None when a user holds its
	complaint; raises Busy when the database undid the transaction."""
	frappe.db.savepoint("sla_row")
	try:
		if not lock_complaints([row.parent]):
			return None
		locked = lock_due_row(row.name, now)
		if locked is None:  # met or escalated since it was read
			return 0
		batch.refresh(locked.parent)
		done = escalate_row(locked, batch, now)
		refresh_overall_status({locked.parent})
		return done
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


def recompute_policy(policy: str, chunk: int = 500) -> int:
	"""Re-time the open milestones of every open complaint on ``policy`` (after an admin edit)."""
	complaint = frappe.qb.DocType("Complaint")
	names = (
		frappe.qb.from_(complaint)
		.select(complaint.name)
		.where(complaint.sla_policy == policy)
		.where(complaint.closed_at.isnull())
		.where(complaint.sla_status.isin(["On Track", "At Risk", "Breached", "Paused"]))
		.run(pluck=True)
	)
	for done, name in enumerate(names, start=1):
		sla.mark(frappe.get_doc("Complaint", name))
		if done % chunk == 0:
			frappe.db.commit()
			frappe.publish_progress(
				done * 100 / len(names), title=_("Applying SLA policy {0}").format(policy)
			)
	frappe.db.commit()
	return len(names)
