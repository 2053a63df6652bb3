"""The customer objects to a compensation: one running re-evaluation clock until it is re-evaluated.

An objection is recorded on the compensation (what, when) and starts the complaint's Objection
Re-evaluation clock (its hours are the SLA policy's target) unless one is already running; the clock
is never paused by the complaint's state. The complaint moves to the workflow's objection state when
its workflow has that step, and back to the solution state when the objection is re-evaluated.

Re-evaluated means one of: a person records the re-evaluation decision (offer revised or upheld,
with a note); the objected compensation's remedies are changed; a new compensation is raised for
the complaint; the complaint's workflow proposes a solution again after the objection.
"""

from __future__ import annotations

import frappe
from frappe import _
from frappe.utils import flt, now_datetime

from complaint_mgmt.engine.clocks import objection_allowed
from complaint_mgmt.services import policy, sla, workflow

MILESTONE = "Objection Re-evaluation"
OBJECTED, PENDING = "Objected", "Pending"
OUTCOMES = ("Offer Revised", "Offer Upheld")


def record_objection(doc, reason: str) -> None:
	if not objection_allowed(doc.workflow_state):
		frappe.throw(
			_("The customer cannot object to a compensation that is {0}").format(_(doc.workflow_state)),
			title=_("No objection possible"),
		)
	reason = (reason or "").strip()
	if not reason:
		frappe.throw(_("Record what the customer objects to"))
	already_open = doc.customer_response == OBJECTED
	doc.customer_response = OBJECTED
	if already_open:
		doc.objection_reason = f"{doc.objection_reason}\n{reason}"
	else:
		doc.objection_reason = reason
		doc.objection_at = now_datetime()
		doc.update({"reevaluated_at": None, "reevaluated_by": None, "reevaluation_outcome": None})
	doc.flags.server_change = doc.flags.workflow_edit_checked = True
	doc.save()
	doc.add_comment("Info", _("The customer objects: {0}").format(reason))
	complaint = frappe.get_doc("Complaint", doc.complaint)
	workflow.advance(complaint, policy.settings().objection_state)
	sla.start_if_idle(complaint, MILESTONE, doc.objection_at)


def record_reevaluation(doc, outcome: str, note: str) -> None:
	"""A person records the re-evaluation decision: the clock is met, the customer's answer is awaited."""
	if doc.customer_response != OBJECTED:
		frappe.throw(_("There is no open objection to re-evaluate"))
	if outcome not in OUTCOMES:
		frappe.throw(_("Choose the outcome: {0}").format(", ".join(_(o) for o in OUTCOMES)))
	if not (note or "").strip():
		frappe.throw(_("Say what was re-evaluated and why"))
	_reevaluated(doc, outcome, note.strip())
	doc.flags.server_change = doc.flags.workflow_edit_checked = True
	doc.save()


def on_validate(doc) -> None:
	"""Compensation hook: changing the remedies of an objected offer re-evaluates the objection."""
	before = doc.get_doc_before_save()
	if before and doc.customer_response == OBJECTED and _offer(before) != _offer(doc):
		_reevaluated(doc, OUTCOMES[0], _("Remedies revised to a total of {0}").format(doc.total_amount))


def on_new_offer(doc) -> None:
	"""Compensation hook: a new compensation for the complaint re-evaluates its open objections."""
	for name in frappe.get_all(
		"Compensation",
		filters={"complaint": doc.complaint, "customer_response": OBJECTED, "name": ["!=", doc.name]},
		pluck="name",
	):
		objected = frappe.get_doc("Compensation", name)
		_reevaluated(objected, OUTCOMES[0], _("New compensation {0} raised").format(doc.name))
		objected.save(ignore_permissions=True)


def _offer(doc) -> list[tuple]:
	return [(row.remedy, flt(row.amount)) for row in doc.lines]


def _reevaluated(doc, outcome: str, note: str) -> None:
	now = now_datetime()
	doc.update(
		{
			"customer_response": PENDING,
			"reevaluated_at": now,
			"reevaluated_by": frappe.session.user,
			"reevaluation_outcome": outcome,
			"reevaluation_note": note,
		}
	)
	doc.add_comment("Info", _("Objection re-evaluated ({0}): {1}").format(_(outcome), note))
	others = {"complaint": doc.complaint, "customer_response": OBJECTED, "name": ["!=", doc.name]}
	if not frappe.db.count("Compensation", others):
		complaint = frappe.get_doc("Complaint", doc.complaint)
		workflow.advance(complaint, policy.settings().investigation_met_state)
		sla.meet(complaint, MILESTONE, now)
