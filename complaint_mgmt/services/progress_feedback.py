"""Progress feedback (SPEC §4): a General complaint's customer hears from us within 8 working hours.

When the complaint is saved it gets the moment its customer is owed news (the settings' hours on
the calendar of its SLA policy); a scheduled job sends the settings' message once that moment has
passed, exactly once, unless the complaint is resolved, closed or rejected by then.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import frappe
from frappe import _
from frappe.utils import get_url, now_datetime

from complaint_mgmt.engine import templates
from complaint_mgmt.engine.calendar import add_business_time
from complaint_mgmt.services import customer_messages, notify, policy, sla, sla_policy

BATCH = 200


def finished_states() -> set[str]:
	settings = policy.settings()
	return {*policy.terminal_states(), *(s for s in [settings.resolution_met_state] if s)}


def sync(doc) -> None:
	"""Set (or clear) the moment the customer is owed news; once given, it stays as it is."""
	if doc.progress_feedback_at:
		return
	settings = policy.settings()
	owed = (
		(settings.progress_feedback_hours or 0) > 0
		and doc.priority == settings.progress_feedback_priority
		and doc.workflow_state not in finished_states()
	)
	if not owed:
		doc.progress_feedback_due_at = None
	elif not doc.progress_feedback_due_at and doc.received_at:
		doc.progress_feedback_due_at = due_at(doc, settings.progress_feedback_hours)


def due_at(doc, hours: float) -> datetime:
	"""``hours`` working hours after receipt on the calendar of the complaint's SLA policy."""
	chosen = sla_policy.select_policy(doc)
	cal, tz = sla_policy.calendar(chosen.calendar if chosen else None)
	clock = sla.Clock(None, cal, tz)
	return clock.system(add_business_time(cal, clock.local(doc.received_at), timedelta(hours=hours)))


def send_due(now: datetime | None = None) -> int:
	"""Scheduler: send every progress feedback whose moment has passed; returns how many."""
	now = now or now_datetime()
	complaint = frappe.qb.DocType("Complaint")
	names = (
		frappe.qb.from_(complaint)
		.select(complaint.name)
		.where(complaint.progress_feedback_due_at <= now)
		.where(complaint.progress_feedback_at.isnull())
		.where(complaint.priority == policy.settings().progress_feedback_priority)
		.where(complaint.workflow_state.notin(list(finished_states())))
		.orderby(complaint.progress_feedback_due_at)
		.limit(BATCH)
		.for_update(skip_locked=True)  # a second worker takes other complaints
		.run(pluck=True)
	)
	for name in names:
		give(frappe.get_doc("Complaint", name), now)
	frappe.db.commit()
	return len(names)


def give(doc, now: datetime) -> None:
	"""Tell the customer where their complaint stands; the lead owner hears when that fails."""
	doc.db_set("progress_feedback_at", now, update_modified=False)
	settings = policy.settings()
	zh = customer_messages.language(doc) == "zh"
	template = (settings.progress_feedback_text_zh if zh else settings.progress_feedback_text) or ""
	with customer_messages.speaking(doc):
		text = templates.render(
			template,
			{
				"name": doc.name,
				"status": _(doc.workflow_state),
				"link": get_url(f"/complaint-status?complaint={doc.name}"),
			},
		)
		subject = _("Complaint {0}: progress").format(doc.name)
	try:
		customer_messages.send(doc, subject=subject, text=text)
	except customer_messages.NotSent as why:
		notify.users(
			[doc.lead_owner],
			_("Progress feedback on {0} could not be sent: {1}").format(doc.name, why),
			"Complaint",
			doc.name,
		)
