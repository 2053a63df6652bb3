"""The status pass of the SLA sweep (tasks/sla.py): On Track → At Risk → Breached for the
milestones whose moment has passed, found through the indexed status and time columns, a few
complaints per transaction; and what both passes share (the complaint locks, the batch size)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any

import frappe
from frappe.query_builder import Case

from complaint_mgmt.engine.sla_history import overall_status

# complaints per transaction of the status pass, and due rows per page of the escalation pass
# (a page takes a few statements, ~50 ms); rows escalated one by one commit every BATCH rows unless
# COMMIT_AFTER_S has passed first (slow side effects then do not keep rows locked for long)
PAGE = 50
BATCH = 20
COMMIT_AFTER_S = 0.5


class Busy(Exception):
	"""The database broke a deadlock or gave up waiting: this transaction is gone."""


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


def at_savepoint(name: str, work: Callable[[], Any]) -> tuple[Any, Exception | None]:
	"""(what ``work`` returned, None), or (None, its error) once the transaction is back at the
	savepoint; raises Busy when the database undid the whole transaction."""
	frappe.db.savepoint(name)
	try:
		return work(), None
	except Exception as error:
		if busy(error):
			frappe.db.rollback()
			raise Busy from error
		frappe.db.rollback(save_point=name)
		return None, error


def update_statuses(now: datetime) -> int:
	"""On Track → At Risk → Breached for unmet, running rows whose moment passed, a page of
	complaints per transaction (one read and one UPDATE for its rows)."""
	ms = frappe.qb.DocType("Complaint Milestone")
	open_rows = ms.met_at.isnull() & ms.stopped_at.isnull() & (ms.status != "Paused")
	breaching = ms.status.isin(["On Track", "At Risk"]) & (ms.due_at <= now) & open_rows
	at_risk = (ms.status == "On Track") & (ms.at_risk_at <= now) & (ms.due_at > now) & open_rows
	parents = frappe.qb.from_(ms).select(ms.parent).distinct().where(breaching | at_risk).run(pluck=True)
	changed = 0
	for start in range(0, len(parents), PAGE):
		try:
			locked = lock_complaints(parents[start : start + PAGE])
			mine = ms.parent.isin(locked or [""]) & (ms.parenttype == "Complaint")
			rows = frappe.qb.from_(ms).select(ms.name).where(mine & (breaching | at_risk)).run(pluck=True)
			if rows:
				new_status = Case().when(breaching, "Breached").else_("At Risk")
				frappe.qb.update(ms).set(ms.status, new_status).where(ms.name.isin(rows)).run()
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
