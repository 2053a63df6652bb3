"""Frappe's Workflow Action records of a new complaint, made by its background job.

Frappe keeps a *Workflow Action* (the "to approve" list of the roles that may take the next step)
for every document with a workflow, from a ``doc_events["*"]["on_update"]`` hook. For a new
complaint that bookkeeping cost more than everything else its save does (about 14 statements, most
of them repeated reads of the workflow's states), so while a new complaint's own ``on_update``
hooks run, that hook skips it, and the complaint's background job (``intake_effects``) makes the
records instead — for the state the complaint has reached by then. Every other document, and every
later save of a complaint, goes through Frappe's hook as usual.
"""

from __future__ import annotations

from contextlib import contextmanager

import frappe
from frappe.workflow.doctype.workflow_action.workflow_action import process_workflow_actions

FRAPPE_HOOK = "frappe.workflow.doctype.workflow_action.workflow_action.process_workflow_actions"
DEFERRING_HOOK = "complaint_mgmt.services.workflow_actions.unless_deferred"


@contextmanager
def deferred(doc):
	"""Frappe's hook skips ``doc`` (and only it) while the body runs."""
	handlers = frappe.get_doc_hooks().get("*", {}).get("on_update", [])
	if FRAPPE_HOOK not in handlers:
		yield
		return
	at = handlers.index(FRAPPE_HOOK)
	handlers[at] = DEFERRING_HOOK
	doc.flags.workflow_actions_later = True
	try:
		yield
	finally:
		handlers[at] = FRAPPE_HOOK
		doc.flags.workflow_actions_later = False


def unless_deferred(doc, method=None) -> None:
	if not doc.flags.workflow_actions_later:
		process_workflow_actions(doc, method)


def create(doc) -> None:
	"""Background step: the Workflow Action of the complaint's current state (once: Frappe checks)."""
	process_workflow_actions(doc, "on_update")
