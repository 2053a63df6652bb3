"""Closing a complaint only when SPEC §7 holds, read from the records (engine/closure.py): the
compensations, the lines recorded as done and the evidence rows. A supervisor may override the
derived criteria with a reason, which is logged."""

from __future__ import annotations

from decimal import Decimal

import frappe
from frappe import _
from frappe.utils import now_datetime

from complaint_mgmt.engine import closure as rules
from complaint_mgmt.services import policy

TRANSLATED_PARAMS = ("state", "status", "remedy", "item")


def _compensations(complaint: str) -> list[rules.Compensation]:
	from complaint_mgmt.services.compensation import REMEDY_CODES

	comps = frappe.get_all(
		"Compensation",
		filters={"complaint": complaint},
		fields=["name", "workflow_state", "total_amount"],
		order_by="creation asc",
	)
	lines = frappe.get_all(
		"Compensation Line",
		filters={"parenttype": "Compensation", "parent": ["in", [c.name for c in comps] or [""]]},
		fields=["parent", "remedy", "done"],
		order_by="idx asc",
	)
	return [
		rules.Compensation(
			name=c.name,
			state=c.workflow_state or "",
			total=Decimal(str(c.total_amount or 0)),
			lines=tuple(
				rules.Line(REMEDY_CODES.get(line.remedy, line.remedy), line.remedy, bool(line.done))
				for line in lines
				if line.parent == c.name
			),
		)
		for c in comps
	]


def _evidence(doc) -> list[rules.Evidence]:
	investigations = frappe.get_all("Complaint Investigation", filters={"complaint": doc.name}, pluck="name")
	rows = frappe.get_all(
		"Complaint Investigation Evidence",
		filters={"parenttype": "Complaint Investigation", "parent": ["in", investigations or [""]]},
		fields=["evidence_item", "status", "attachment"],
		order_by="parent asc, idx asc",
	)
	return [rules.Evidence(r.evidence_item, r.status, bool(r.attachment)) for r in rows] + [
		rules.Evidence(row.description or row.evidence_kind, "Collected", bool(row.file))
		for row in doc.evidence
	]


def _say(gaps: list[rules.Gap]) -> list[str]:
	said = []
	for template, params in gaps:
		params = {k: _(v) if k in TRANSLATED_PARAMS else v for k, v in params.items()}
		said.append(_(template).format(**params))
	return said


def derive(doc) -> tuple[list[rules.Gap], list[rules.Gap]]:
	"""Set "Solution Executed" and "Evidence Archived" from the records; returns what is missing."""
	if doc.is_new():
		solution, evidence = rules.solution_gaps([], doc.resolution_summary), []
	else:
		solution = rules.solution_gaps(_compensations(doc.name), doc.resolution_summary)
		evidence = rules.evidence_gaps(_evidence(doc))
	doc.solution_executed = 0 if solution else 1
	doc.evidence_archived = 0 if evidence else 1
	doc.closure_gaps = "\n".join(_say(solution + evidence))
	return solution, evidence


def refresh(complaint: str) -> None:
	"""A compensation or an investigation changed: show the complaint's criteria as they now are."""
	doc = frappe.get_doc("Complaint", complaint)
	derive(doc)
	doc.db_set(
		{
			"solution_executed": doc.solution_executed,
			"evidence_archived": doc.evidence_archived,
			"closure_gaps": doc.closure_gaps,
		},
		update_modified=False,
	)


def record_override(doc) -> None:
	"""Who overrode the derived criteria, when and why; only the settings' role may."""
	if not doc.has_value_changed("closure_override_reason"):
		return
	reason = (doc.closure_override_reason or "").strip()
	if not reason:
		doc.closure_overridden_by = doc.closure_overridden_at = None
		return
	role = policy.settings().closure_override_role
	if role not in frappe.get_roles():
		frappe.throw(
			_("Only a {0} may override the closure criteria").format(_(role)), title=_("Not allowed")
		)
	doc.closure_overridden_by, doc.closure_overridden_at = frappe.session.user, now_datetime()
	doc.add_comment("Info", _("Closure criteria overridden by {0}: {1}").format(frappe.session.user, reason))


def check(doc) -> None:
	settings = policy.settings()
	solution_gaps, evidence_gaps = derive(doc)
	record_override(doc)
	closing = doc.workflow_state == settings.closed_state and doc.has_value_changed("workflow_state")
	if not closing:
		if doc.workflow_state == settings.reopened_state and doc.closed_at:
			doc.closed_at = None
		return
	verdict = rules.closure_check(
		customer_accepted=doc.customer_accepted,
		no_further_demand=doc.no_further_demand,
		override_reason=doc.closure_override_reason,
		solution=solution_gaps,
		evidence=evidence_gaps,
		require_evidence=settings.require_evidence_archived,
	)
	if not verdict.allowed:
		problems = []
		if not verdict.customer_done:
			problems.append(
				_("The complaint cannot be closed until {0}").format(
					_("the customer accepted the solution or has no further demand")
				)
			)
		if verdict.gaps:
			problems.append(_("Not done yet: {0}").format("; ".join(_say(list(verdict.gaps)))))
		frappe.throw(" ".join(problems), title=_("Cannot close yet"))
	doc.closed_at = now_datetime()
