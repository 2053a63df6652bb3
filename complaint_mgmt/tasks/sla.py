"""The SLA sweep: status changes and escalations for the milestones whose moment has come.

It never loads every open complaint. Two set-based UPDATEs move rows to At Risk / Breached through
the indexed ``status`` and time columns; the escalation pass reads only rows whose
``next_escalation_at`` has passed, locking them with ``FOR UPDATE SKIP LOCKED`` so that a second
worker takes other rows. Each escalation level writes one Complaint Escalation whose unique key
(complaint, milestone, level, extension count) makes a repeat impossible; its actions and the row's
new state commit together, so a crash half-way loses nothing and repeats nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

import frappe
from frappe import _
from frappe.utils import now_datetime

from complaint_mgmt.engine import escalation as esc
from complaint_mgmt.engine import priority as priority_rules
from complaint_mgmt.services import assignment, intake, notify, policy, sla

BATCH = 200


def sweep(now: datetime | None = None) -> dict:
	"""Scheduler entry point; returns counts for logs and benchmarks."""
	now = now or now_datetime()
	changed = update_statuses(now)
	escalated = escalate_due(now)
	return {"status_changes": changed, "escalations": escalated}


def update_statuses(now: datetime) -> int:
	"""On Track → At Risk → Breached for unmet, running rows whose moment passed (set-based)."""
	ms = frappe.qb.DocType("Complaint Milestone")
	open_rows = ms.met_at.isnull() & (ms.status != "Paused")
	breached = (
		frappe.qb.from_(ms)
		.select(ms.parent)
		.where(ms.status.isin(["On Track", "At Risk"]))
		.where(ms.due_at <= now)
		.where(open_rows)
		.run(pluck=True)
	)
	at_risk = (
		frappe.qb.from_(ms)
		.select(ms.parent)
		.where(ms.status == "On Track")
		.where(ms.at_risk_at <= now)
		.where(ms.due_at > now)
		.where(open_rows)
		.run(pluck=True)
	)
	if breached:
		(
			frappe.qb.update(ms)
			.set(ms.status, "Breached")
			.where(ms.status.isin(["On Track", "At Risk"]))
			.where(ms.due_at <= now)
			.where(open_rows)
			.run()
		)
	if at_risk:
		(
			frappe.qb.update(ms)
			.set(ms.status, "At Risk")
			.where(ms.status == "On Track")
			.where(ms.at_risk_at <= now)
			.where(ms.due_at > now)
			.where(open_rows)
			.run()
		)
	parents = set(breached) | set(at_risk)
	refresh_overall_status(parents)
	frappe.db.commit()
	return len(breached) + len(at_risk)


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
		by_summary.setdefault(sla.overall_status(found), []).append(parent)
	for summary, names in by_summary.items():
		frappe.qb.update(complaint).set(complaint.sla_status, summary).where(complaint.name.isin(names)).run()


ROW_FIELDS = (
	"name", "parent", "milestone", "status", "started_at", "target_minutes", "due_at", "met_at",
	"pauses", "extensions", "escalation_level", "policy",
)  # fmt: skip


def due_rows(now: datetime, skip: set[str], limit: int = BATCH) -> list[frappe._dict]:
	"""Milestone rows whose next escalation moment has passed, locked for this worker only."""
	ms = frappe.qb.DocType("Complaint Milestone")
	query = (
		frappe.qb.from_(ms)
		.select(*(ms[field] for field in ROW_FIELDS))
		.where(ms.next_escalation_at <= now)
		.where(ms.met_at.isnull())
		.orderby(ms.next_escalation_at)
		.limit(limit)
		.for_update(skip_locked=True)
	)
	if skip:
		query = query.where(ms.name.notin(list(skip)))
	return query.run(as_dict=True)


class Batch:
	"""What the rows of one batch share, loaded once: their complaints, policies and rules."""

	def __init__(self, rows: list[frappe._dict]):
		self.complaints = {
			c.name: c
			for c in frappe.get_all(
				"Complaint",
				filters={"name": ["in", list({r.parent for r in rows})]},
				fields=["name", "priority", "lead_owner", "co_owner", "department", "subject"],
			)
		}
		self.policies = {
			p.name: p
			for p in frappe.get_all(
				"Complaint SLA Policy",
				filters={"name": ["in", list({r.policy for r in rows if r.policy})]},
				fields=["name", "calendar", "at_risk_percent"],
			)
		}
		self._rules: dict[tuple[str, str], tuple] = {}
		self._role_users: dict[str, list[str]] = {}

	def users_with_role(self, role: str) -> list[str]:
		if role not in self._role_users:
			self._role_users[role] = assignment.users_with_role(role)
		return self._role_users[role]

	def rule(self, milestone: str, priority: str):
		key = (milestone, priority)
		if key not in self._rules:
			self._rules[key] = sla.escalation_levels(milestone, priority)
		return self._rules[key]


def escalate_due(now: datetime) -> int:
	done = 0
	failed: set[str] = set()
	while True:
		rows = due_rows(now, failed)
		if not rows:
			frappe.db.commit()  # releases the locks of an empty pass
			return done
		batch = Batch(rows)
		for row in rows:
			frappe.db.savepoint("milestone")
			try:
				done += escalate_row(row, batch, now)
			except frappe.DuplicateEntryError:
				# another worker escalated this level a moment ago
				frappe.db.rollback(save_point="milestone")
				failed.add(row.name)
			except Exception:
				frappe.db.rollback(save_point="milestone")
				failed.add(row.name)
				frappe.log_error(
					title=_("SLA escalation failed"), reference_doctype="Complaint", reference_name=row.parent
				)
		refresh_overall_status({row.parent for row in rows})
		frappe.db.commit()


def escalate_row(row: frappe._dict, batch: Batch, now: datetime) -> int:
	"""Apply every level of this milestone that is due and not applied yet; returns how many."""
	complaint = batch.complaints[row.parent]
	rule, levels, rows_by_level = batch.rule(row.milestone, complaint.priority)
	chosen = batch.policies.get(row.policy)
	at_risk = chosen.at_risk_percent if chosen else 100
	cal, tz = sla.calendar(chosen.calendar if chosen else None)
	clock = sla.Clock(row, cal, tz)
	applied = set(range(1, (row.escalation_level or 0) + 1))
	due = esc.due_levels(levels, applied, clock.engine_clock(), clock.local(now))
	for level in due:
		apply_level(complaint, row, rule, rows_by_level[level.level], now, batch)
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


def apply_level(complaint, row, rule: str, level, now: datetime, batch: Batch) -> None:
	"""Record the escalation (once) and carry out its actions in the same transaction."""
	owners = [u for u in (complaint.lead_owner, complaint.co_owner) if u]
	recipients: list[str] = []
	actions: list[str] = []
	if level.notify_owners:
		recipients += owners
	if level.notify_manager and complaint.department:
		manager = frappe.db.get_value(
			"Complaint Department", complaint.department, ["manager", "escalation_manager"]
		)
		recipients += [u for u in (manager or ()) if u]
	if level.notify_role:
		recipients += batch.users_with_role(level.notify_role)
	if level.add_co_owner_role:
		added = assignment.choose(batch.users_with_role(level.add_co_owner_role), exclude=tuple(owners))
		if added:
			assignment.add_owner(complaint.name, added, complaint.subject, as_co_owner=not complaint.co_owner)
			recipients.append(added)
			actions.append(_("Added co-owner {0}").format(added))
	if level.reassign_to_role:
		new_lead = assignment.choose(batch.users_with_role(level.reassign_to_role), exclude=tuple(owners))
		if new_lead:
			assignment.reassign(complaint.name, complaint.lead_owner, new_lead, complaint.subject)
			recipients.append(new_lead)
			actions.append(_("Reassigned to {0}").format(new_lead))
	if level.raise_priority:
		raised = raise_priority(
			complaint.name, _("Escalation level {0} of {1}").format(level.level, _(row.milestone))
		)
		if raised:
			actions.append(_("Priority raised to {0}").format(_(raised)))
	recipients = list(dict.fromkeys(recipients))
	reason = _("{0} deadline {1}: {2}").format(_(row.milestone), row.due_at, _(row.status))
	record_escalation(
		{
			"doctype": "Complaint Escalation",
			"complaint": complaint.name,
			"milestone": row.milestone,
			"level": level.level,
			"rule": rule,
			"due_at": row.due_at,
			"escalated_at": now,
			"extensions": row.extensions or 0,
			"reason": reason,
			"actions_taken": "\n".join(actions),
			"notified_users": "\n".join(recipients),
		}
	)
	if recipients:
		notify.users(
			recipients,
			_("Escalation level {0}: {1} {2}").format(level.level, complaint.name, _(row.milestone)),
			"Complaint",
			complaint.name,
			reason,
		)


def record_escalation(values: dict) -> None:
	"""Insert a Complaint Escalation on the sweep's hot path.

	The record is written by the system from values it computed, so the form-level checks of a
	regular insert (permissions, links, mandatory fields) are skipped; the document events still
	run, so admins' Server Scripts, Notifications and Webhooks on this DocType fire as usual. The
	name is the dedupe key: a second insert of the same level fails on the primary key, and the
	caller rolls this milestone back to its savepoint.
	"""
	doc = frappe.get_doc({"doctype": "Complaint Escalation", **values})
	doc.flags.in_insert = True
	doc.autoname()
	doc.run_method("before_insert")
	doc.db_insert()
	doc.run_method("after_insert")
	doc.run_method("on_update")
	doc.flags.in_insert = False


def raise_priority(name: str, reason: str) -> str | None:
	doc = frappe.get_doc("Complaint", name)
	levels = policy.priority_levels()
	position = priority_rules.rank(doc.priority, levels)
	if position == 0:
		return None
	new = levels[position - 1]
	intake.log_priority_change(doc, doc.priority, new, automatic=True, reason=reason)
	doc.priority = new
	doc.flags.ignore_permissions = True
	doc.save()
	return new


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
