"""What one escalation level does: record it (once) and carry out its actions, in the sweep's
transaction for that complaint (complaint_mgmt.tasks.sla). The people to tell are written on the
record; a background job notifies them once the sweep's transaction has committed (outside its
locks), and stamps the record, so that a job run twice notifies nobody twice."""

from __future__ import annotations

from datetime import datetime

import frappe
from frappe import _
from frappe.utils import now_datetime

from complaint_mgmt.engine import priority as priority_rules
from complaint_mgmt.services import assignment, notify, policy, priority
from complaint_mgmt.services.importing import insert_many

# the complaint's receipt, passed along with an escalation's values (not a field of the record)
RECEIVED = "complaint_received_at"


def apply_level(complaint, row, rule: str, level, now: datetime, batch) -> None:
	"""Record the escalation (once) and carry out its actions in the same transaction."""
	values = escalation_values(complaint, row, rule, level, now, batch)
	escalation = record_escalation(values)
	if values["notified_users"]:
		notify_after_commit(escalation)


def escalation_values(complaint, row, rule: str, level, now: datetime, batch) -> dict:
	"""Carry out the level's actions (owners, priority) and return its Complaint Escalation's values."""
	owners = [u for u in (complaint.lead_owner, complaint.co_owner) if u]
	recipients: list[str] = []
	actions: list[str] = []
	if level.notify_owners:
		recipients += owners
	if level.notify_manager and complaint.department:
		recipients += batch.managers(complaint.department)
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
	return {
		"doctype": "Complaint Escalation",
		"complaint": complaint.name,
		"milestone": row.milestone,
		"level": level.level,
		"rule": rule,
		"due_at": row.due_at,
		"escalated_at": now,
		"extensions": row.extensions or 0,
		"clock_round": row.get("clock_round") or 0,
		"reason": reason,
		"actions_taken": "\n".join(actions),
		"notified_users": "\n".join(recipients),
		RECEIVED: complaint.get("received_at"),  # for the analysis rollup's mark: no read of it
	}


def notify_after_commit(escalation: str) -> None:
	"""Queue the escalation's notices for the job that follows the sweep's commit (one job per
	transaction); tests send them at once."""
	if frappe.flags.in_test:
		send_notices([escalation])
		return
	pending = getattr(frappe.local, "complaint_escalation_notices", None)
	if not pending:
		pending = frappe.local.complaint_escalation_notices = []
		frappe.db.after_commit.add(_enqueue_notices)
		frappe.db.after_rollback.add(pending.clear)
	pending.append(escalation)


def _enqueue_notices() -> None:
	pending = getattr(frappe.local, "complaint_escalation_notices", None)
	frappe.local.complaint_escalation_notices = None
	if pending:
		frappe.enqueue(
			"complaint_mgmt.services.escalation_actions.send_notices", queue="short", escalations=pending
		)


def send_notices(escalations: list[str]) -> None:
	"""Background job: notify the people each escalation names, unless already done (the record
	is locked and stamped)."""
	for name in escalations:
		record = frappe.db.get_value(
			"Complaint Escalation",
			{"name": name, "notified_at": ["is", "not set"]},
			["name", "complaint", "milestone", "level", "reason", "notified_users"],
			as_dict=True,
			for_update=True,
		)
		if not record:
			continue  # notified already, or rolled back with its sweep's transaction
		notify.users(
			(record.notified_users or "").split("\n"),
			_("Escalation level {0}: {1} {2}").format(record.level, record.complaint, _(record.milestone)),
			"Complaint",
			record.complaint,
			record.reason,
		)
		frappe.db.set_value(
			"Complaint Escalation", name, "notified_at", now_datetime(), update_modified=False
		)


def record_escalation(values: dict) -> str:
	"""Insert a Complaint Escalation on the sweep's hot path.

	The record is written by the system from values it computed, so the form-level checks of a
	regular insert (permissions, links, mandatory fields) are skipped; the document events still
	run, so admins' Server Scripts, Notifications and Webhooks on this DocType fire as usual. The
	name is the dedupe key: a second insert of the same level fails on the primary key, and the
	caller rolls this milestone back to its savepoint.
	"""
	doc = _new(values)
	doc.run_method("before_insert")
	doc.db_insert()
	_inserted(doc)
	return doc.name


def record_escalations(records: list[dict]) -> list[str]:
	"""record_escalation for a page of escalations with one INSERT, their notices queued.

	The document events run as for one record, in this order: every record's ``before_insert``,
	the INSERT of all of them, then each record's ``after_insert``, ``on_update`` and
	``on_change``. A level recorded already fails the whole INSERT on its primary key
	(DuplicateEntryError); the caller rolls the page back to its savepoint.
	"""
	docs = []
	for values in records:
		doc = _new(values)
		doc.run_method("before_insert")
		docs.append(doc)
	if not docs:
		return []
	insert_all(docs)
	for doc in docs:
		_inserted(doc)
		if doc.notified_users:
			notify_after_commit(doc.name)
	return [doc.name for doc in docs]


def _new(values: dict):
	values = dict(values)
	received = values.pop(RECEIVED, None)
	doc = frappe.get_doc({"doctype": "Complaint Escalation", **values})
	doc.flags.complaint_received_at = received
	doc.flags.in_insert = True
	doc.autoname()
	return doc


def _inserted(doc) -> None:
	"""The document events that follow an insert, in Frappe's order."""
	doc.run_method("after_insert")
	doc.run_method("on_update")
	doc.run_method("on_change")
	doc.flags.in_insert = False


def insert_all(docs: list) -> None:
	"""Their rows in one INSERT, as ``db_insert`` writes one (same columns, stamps and values)."""
	now, user = now_datetime(), frappe.session.user
	rows = []
	for doc in docs:
		if not doc.creation:
			doc.creation = doc.modified = now
			doc.owner = doc.modified_by = user
		rows.append(doc.get_valid_dict(convert_dates_to_str=True, ignore_virtual=True))
	fields = list(rows[0])
	try:
		insert_many("Complaint Escalation", fields, [tuple(row[f] for f in fields) for row in rows])
	except Exception as error:
		if frappe.db.is_primary_key_violation(error):
			raise frappe.DuplicateEntryError("Complaint Escalation", None, error) from error
		raise


def raise_priority(name: str, reason: str) -> str | None:
	doc = frappe.get_doc("Complaint", name)
	levels = policy.priority_levels()
	position = priority_rules.rank(doc.priority, levels)
	if position == 0:
		return None
	new = levels[position - 1]
	priority.log_priority_change(doc, doc.priority, new, automatic=True, reason=reason)
	doc.priority = new
	doc.flags.ignore_permissions = True
	doc.save()
	return new
