"""Closing a complaint only when SPEC §7 holds."""

from __future__ import annotations

import frappe
from frappe import _
from frappe.utils import now_datetime

from complaint_mgmt.services import policy


def check(doc) -> None:
	settings = policy.settings()
	closing = doc.workflow_state == settings.closed_state and doc.has_value_changed("workflow_state")
	if not closing:
		if doc.workflow_state == settings.reopened_state and doc.closed_at:
			doc.closed_at = None
		return
	missing = []
	if not (doc.customer_accepted or doc.no_further_demand):
		missing.append(_("the customer accepted the solution or has no further demand"))
	if not doc.solution_executed:
		missing.append(_("the solution is executed (paid, reshipment signed)"))
	if settings.require_evidence_archived and not doc.evidence_archived:
		missing.append(_("the evidence is archived"))
	if missing:
		frappe.throw(
			_("The complaint cannot be closed until {0}").format("; ".join(missing)),
			title=_("Cannot close yet"),
		)
	doc.closed_at = now_datetime()
