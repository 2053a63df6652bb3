"""What one escalation level does: record it (once) and carry out its actions, in the sweep's
transaction for that complaint (complaint_mgmt.tasks.sla)."""

from __future__ import annotations

from datetime import datetime

import frappe
from frappe import _

from complaint_mgmt.engine import priority as priority_rules
from complaint_mgmt.services import assignment, intake, notify, policy


def apply_level(complaint, row, rule: str, level, now: datetime, batch) -> None:
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
