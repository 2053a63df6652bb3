"""The SLA sweep: status changes and escalations for the milestones whose moment has come.

It never loads every open complaint. The status pass finds the milestones that cross to At Risk /
Breached through the indexed ``status`` and time columns; the escalation pass reads only rows whose
``next_escalation_at`` has passed. Each escalation level writes one Complaint Escalation whose
unique key (complaint, milestone, level, extension count) makes a repeat impossible; its actions
and the row's new state commit together, so a crash half-way loses nothing and repeats nothing.

Running beside users and other sweeps: one sweep runs at a time per site (a database lock; a
second one exits at once). Work commits a page at a time (50 complaints or due milestones, a few
statements; what goes row by row commits every few rows or half a second, whichever comes first),
and a complaint's row is locked before its milestones, the order a user's save takes them, so a
save waits at most about half a second plus one complaint's escalation, and the two do not
deadlock. A complaint a user is saving at that moment is skipped and tried again at the end of the
sweep (or by the next one); should the database still break a deadlock, the undone rows are too.
"""

from __future__ import annotations

from datetime import datetime

import frappe
from frappe import _
from frappe.utils import now_datetime

from complaint_mgmt.services import sla
from complaint_mgmt.tasks.sla_escalation import escalate_due
from complaint_mgmt.tasks.sla_status import update_statuses


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
