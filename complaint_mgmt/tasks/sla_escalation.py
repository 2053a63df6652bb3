"""The escalation pass of the SLA sweep (tasks/sla.py): the milestone rows whose next escalation
moment has passed, each level recorded once with its actions (services/escalation_actions.py), a
page of rows per transaction. A page is escalated in a few statements (tasks/sla_escalation_batch.py);
what that leaves (a terminal state, a raised priority, a failure) goes row by row here, committed
every few rows or half a second."""

from __future__ import annotations

import time
from datetime import datetime

import frappe
from frappe import _

from complaint_mgmt.services import assignment, escalation_actions, sla
from complaint_mgmt.tasks.sla_escalation_batch import ROW_FIELDS, Batch, escalate_page, lock_due_rows
from complaint_mgmt.tasks.sla_status import (
	BATCH,
	COMMIT_AFTER_S,
	PAGE,
	Busy,
	at_savepoint,
	refresh_overall_status,
)


def due_rows(now: datetime, skip: set[str], limit: int = PAGE) -> list[frappe._dict]:
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
	rows = lock_due_rows([name], now)
	return rows[0] if rows else None


def escalate_due(now: datetime) -> int:
	"""Escalate the due rows a page at a time, one transaction a page (or, row by row, every few
	rows or half a second): each page's complaints, then its rows, are locked; a row whose complaint
	someone holds, or whose work a deadlock undid, is tried again once at the end."""
	done = 0
	skip: set[str] = set()
	processed: set[str] = set()
	retry: list[frappe._dict] = []
	while rows := due_rows(now, skip):
		# still due after its turn (it failed, or its level was recorded already): the next sweep
		skip.update(row.name for row in rows if row.name in processed)
		rows = [row for row in rows if row.name not in processed]
		processed.update(row.name for row in rows)
		if not rows:
			continue
		batch = Batch(rows)
		opened = time.monotonic()
		try:
			open_done, open_rows, one_by_one, held = escalate_page(rows, batch, now)
		except Busy:
			retry += rows
			skip.update(row.name for row in rows)
			continue
		retry += held
		skip.update(row.name for row in held)
		for row in one_by_one:
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

	def work() -> int | None:
		if not batch.lock(row.parent):
			return None
		locked = lock_due_row(row.name, now)
		if locked is None:  # met or escalated since it was read
			return 0
		return escalate_row(locked, batch, now)

	outcome, error = at_savepoint("sla_row", work)
	if error is None:
		return outcome
	if not isinstance(error, frappe.DuplicateEntryError):  # another worker escalated it just now
		frappe.log_error(
			title=_("SLA escalation failed"), reference_doctype="Complaint", reference_name=row.parent
		)
	return 0


def escalate_row(row: frappe._dict, batch: Batch, now: datetime) -> int:
	"""Apply every level of this milestone that is due and not applied yet; returns how many."""
	complaint = batch.complaints[row.parent]
	if batch.stops(row):
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
	plan = batch.plan(row, complaint.priority, now)
	rule, levels, rows_by_level, due = plan.rule, plan.levels, plan.rows_by_level, plan.due
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
	sla.evaluate(row, plan.cal, plan.tz, plan.at_risk, levels, now)
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
