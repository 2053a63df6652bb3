"""Approval limits that cannot be slipped under (issue 10): one compensation currency, the
complaint's running total, the case flags frozen while a compensation waits or is approved, and
the approved terms (complaint, currency, remedies, amounts) frozen afterwards."""

from __future__ import annotations

from decimal import Decimal

import frappe
from frappe import _
from frappe.query_builder.functions import Sum
from frappe.utils import flt

from complaint_mgmt.services import policy


def check_currency(doc) -> None:
	currency = policy.settings().compensation_currency
	doc.currency = doc.currency or currency
	if currency and doc.currency != currency:
		# the approval limits are amounts in one currency: another one would slip under them
		frappe.throw(
			_("Compensations are paid in {0}: the approval limits are amounts in {0}").format(currency),
			title=_("Wrong currency"),
		)


def running_total(doc) -> Decimal:
	"""This compensation plus those of the same complaint already approved."""
	from complaint_mgmt.services.compensation import LOCKED_STATES

	table = frappe.qb.DocType("Compensation")
	approved = (
		frappe.qb.from_(table)
		.select(Sum(table.total_amount))
		.where(table.complaint == doc.complaint)
		.where(table.name != (doc.name or ""))
		.where(table.workflow_state.isin(LOCKED_STATES))
		.run()
	)[0][0]
	return Decimal(str(flt(approved) + flt(doc.total_amount)))


def approved_terms_changed(before, doc) -> bool:
	def terms(d):
		return (d.complaint, d.currency, flt(d.total_amount), [(r.remedy, flt(r.amount)) for r in d.lines])

	return terms(before) != terms(doc)


def freeze_case_flags(complaint) -> None:
	"""Complaint validate: the case flags that decide the approval level (media, regulator…) do
	not change while a compensation of the complaint waits for approval or has been approved."""
	from complaint_mgmt.services.compensation import APPROVAL_FLAGS, LOCKED_STATES, PENDING

	before = complaint.get_doc_before_save()
	changed = [f for f in APPROVAL_FLAGS if before and bool(before.get(f)) != bool(complaint.get(f))]
	if not changed:
		return
	if frappe.db.exists(
		"Compensation", {"complaint": complaint.name, "workflow_state": ["in", (PENDING, *LOCKED_STATES)]}
	):
		meta = frappe.get_meta("Complaint")
		frappe.throw(
			_(
				"{0} cannot change while a compensation of this complaint is pending approval or approved"
			).format(", ".join(_(meta.get_label(f)) for f in changed)),
			title=_("Not allowed"),
		)
