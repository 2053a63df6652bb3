"""Improvement actions (CAPA, issue 13): raised from an alert, a complaint, an incident or a
monthly report's finding; owners reminded when overdue; effectiveness computed from the rollup
(complaints of the action's key in the window before it was done against the window after)."""

from __future__ import annotations

import frappe
from frappe import _
from frappe.share import add_docshare
from frappe.utils import add_days, getdate, now_datetime, today

from complaint_mgmt.engine import analytics as figures
from complaint_mgmt.services import analytics_query, early_warning, notify

SOURCES = ("Complaint", "Complaint Incident", "Complaint Alert", "Complaint Analysis Report")
DONE_STATES = ("Done", "Verified")


def validate(doc) -> None:
	"""Controller hook: the source is one of the four; done and verified moments; the effect."""
	if doc.source_doctype and doc.source_doctype not in SOURCES:
		frappe.throw(
			_("An improvement action comes from a complaint, an incident, an alert or a report finding")
		)
	if bool(doc.key_dimension) != bool(doc.key_value):
		frappe.throw(_("Give both the key and its value (e.g. Route and 上海-北京), or neither"))
	if doc.has_value_changed("workflow_state"):
		if doc.workflow_state == "Done":
			doc.done_at = now_datetime()
		elif doc.workflow_state == "Verified":
			doc.verified_by = frappe.session.user
		elif doc.workflow_state not in DONE_STATES:
			doc.done_at = doc.verified_by = None
	measure(doc)


def measure(doc) -> None:
	"""Before/after counts of the action's key around the moment it was done."""
	if not (doc.done_at and doc.key_dimension and doc.key_value):
		doc.before_count = doc.after_count = doc.after_days = doc.change_percent = None
		doc.effective = ""
		return
	days = analytics_query.settings().effect_days or 30
	done = getdate(doc.done_at)
	last = min(add_days(done, days - 1), add_days(getdate(today()), -1))
	doc.before_count = early_warning.key_count(
		doc.key_dimension, doc.key_value, add_days(done, -days), add_days(done, -1)
	)
	doc.after_count = early_warning.key_count(doc.key_dimension, doc.key_value, done, last)
	doc.after_days = max(0, (getdate(last) - done).days + 1)
	result = figures.effectiveness(doc.before_count, doc.after_count, days, doc.after_days)
	doc.change_percent, doc.effective = result["change_percent"], result["effective"]


def share_with_owner(doc) -> None:
	"""The owner works on the action even without a CAPA role (a department manager, say)."""
	if doc.action_owner and not frappe.has_permission(doc.doctype, "write", doc, user=doc.action_owner):
		add_docshare(
			doc.doctype, doc.name, doc.action_owner, read=1, write=1, flags={"ignore_share_permission": True}
		)


def from_alert(alert_name: str, owner: str | None = None) -> str:
	"""A new action for an alert's key; the alert then points at it."""
	alert = frappe.get_doc("Complaint Alert", alert_name)
	if alert.improvement_action:
		return alert.improvement_action
	settings = analytics_query.settings()
	action = frappe.get_doc(
		{
			"doctype": "Complaint Improvement Action",
			"title": _("{0} {1}: {2}").format(_(alert.dimension), alert.key_value, _(alert.rule)),
			"source_doctype": "Complaint Alert",
			"source_name": alert.name,
			"problem": early_warning.describe(alert),
			"action": _("To be decided by the owner"),
			"action_owner": owner or frappe.session.user,
			"due_date": add_days(today(), settings.action_days or 30),
			"key_dimension": alert.dimension,
			"key_value": alert.key_value,
		}
	).insert()
	alert.db_set({"improvement_action": action.name, "status": "Action Raised"})
	return action.name


def daily() -> dict:
	"""Scheduled: remind owners of overdue actions; refresh the effect of actions done lately."""
	settings = analytics_query.settings()
	every = settings.reminder_days or 1
	action = frappe.qb.DocType("Complaint Improvement Action")
	overdue = (
		frappe.qb.from_(action)
		.select(action.name, action.title, action.action_owner, action.due_date, action.last_reminder_on)
		.where(action.workflow_state.notin(DONE_STATES))
		.where(action.due_date < getdate(today()))
		.run(as_dict=True)
	)
	reminded = 0
	for row in overdue:
		if row.last_reminder_on and getdate(row.last_reminder_on) > add_days(getdate(today()), -every):
			continue
		notify.users(
			[row.action_owner],
			_("Improvement action {0} was due on {1}: {2}").format(row.name, row.due_date, row.title),
			"Complaint Improvement Action",
			row.name,
		)
		frappe.db.set_value(
			"Complaint Improvement Action", row.name, "last_reminder_on", today(), update_modified=False
		)
		reminded += 1
	pending = frappe.get_all(
		"Complaint Improvement Action",
		filters={"workflow_state": ["in", DONE_STATES], "effective": "Too Early"},
		pluck="name",
	)
	for name in pending:
		doc = frappe.get_doc("Complaint Improvement Action", name)
		measure(doc)
		doc.db_update()
	frappe.db.commit()
	return {"reminded": reminded, "measured": len(pending)}
