"""Complaint Recovery Settings: the numbers of customer recovery (issue 12), checked on save."""

from __future__ import annotations

import frappe
from frappe import _

DOCTYPE = "Complaint Recovery Settings"
# fieldname → the smallest value that works
MINIMUMS = {
	"retention_window_days": 1,
	"shipment_batch_limit": 1,
	"voucher_validity_days": 1,
	"voucher_approval_limit": 0,
	"measure_due_days": 0,
	"reminder_days": 0,
}


def get():
	return frappe.get_cached_doc(DOCTYPE)


def validate(doc) -> None:
	meta = frappe.get_meta(DOCTYPE)
	for fieldname, lowest in MINIMUMS.items():
		if meta.get_field(fieldname) and (doc.get(fieldname) or 0) < lowest:
			frappe.throw(
				_("{0} must be at least {1}").format(_(meta.get_label(fieldname)), lowest),
				title=_("Invalid setting"),
			)


def on_update(doc) -> None:
	"""A new retention window: the recovery rollup's counts before/after are taken anew (a
	background job; meanwhile the report counts them from the complaints)."""
	before = doc.get_doc_before_save()
	if before and before.retention_window_days != doc.retention_window_days:
		frappe.enqueue(
			"complaint_mgmt.services.recovery_stat.rebuild", queue="long", enqueue_after_commit=True
		)
