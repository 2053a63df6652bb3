"""What follows the recording of a complaint, in a background job (services/side_effects.py): the
notes on the duplicated complaint, the acknowledgement to the customer, the owners and the workflow
steps they bring, Frappe's Workflow Action of the state reached (services/workflow_actions.py), the
triage feedback (was the suggested type chosen), then the SLA clocks these meet (Acknowledge and
Assign count from receipt, so a job that runs late shows as a later acknowledgement, never as a
later start)."""

from __future__ import annotations

import frappe
from frappe import _

from complaint_mgmt.services import (
	assignment,
	customer_messages,
	policy,
	side_effects,
	sla,
	triage_suggest,
	workflow,
	workflow_actions,
)


def after_intake(doc) -> None:
	ran = [
		doc.duplicate_of and side_effects.step(doc, "duplicate", lambda: note_duplicate(doc)),
		side_effects.step(doc, "acknowledgement", lambda: acknowledge(doc)),
		side_effects.step(doc, "assignment", lambda: assign(doc)),
		side_effects.step(doc, "workflow actions", lambda: workflow_actions.create(doc)),
		doc.complaint_type and side_effects.step(doc, "triage feedback", lambda: triage_feedback(doc)),
	]
	if any(ran):
		sla.mark(doc)
	finished(doc)


def finished(doc) -> None:
	"""Attempts left (services/intake_queue.py): none once every step is done, one less otherwise."""
	left = (
		0
		if all(o == side_effects.DONE for o in side_effects.outcomes(doc).values())
		else doc.effects_pending - 1
	)
	if (doc.effects_pending or 0) != max(left, 0):
		doc.db_set("effects_pending", max(left, 0), update_modified=False)


def note_duplicate(doc) -> None:
	doc.add_comment("Info", _("Duplicate of {0} (same waybill)").format(doc.duplicate_of))
	frappe.get_doc("Complaint", doc.duplicate_of).add_comment(
		"Info", _("Duplicate complaint {0} received on the same waybill").format(doc.name)
	)


def acknowledge(doc) -> None:
	if doc.ack_status in (None, "", "Pending"):  # not acknowledged by hand meanwhile
		customer_messages.acknowledge(doc)


def triage_feedback(doc) -> None:
	"""Whether the type chosen is the one triage suggests (unless triage filled it in itself, which
	the save recorded)."""
	if not frappe.db.exists("Complaint Triage Feedback", {"complaint": doc.name}):
		triage_suggest.record_feedback(doc)


def assign(doc) -> None:
	if assignment.assign_new(doc):
		workflow.advance(doc, policy.settings().assigned_state)
