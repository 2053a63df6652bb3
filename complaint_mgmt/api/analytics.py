"""Whitelisted actions of the analysis features (issue 13)."""

from __future__ import annotations

import frappe

from complaint_mgmt.services import improvement, input_check


@frappe.whitelist(methods=["POST"])
def raise_action(alert, owner=None) -> str:
	"""Turn an alert into an improvement action (one per alert); returns the action's name."""
	doc = input_check.document("Complaint Alert", alert)
	doc.check_permission("write")
	frappe.has_permission("Complaint Improvement Action", "create", throw=True)
	owner = input_check.text_argument(owner, "Owner")
	return improvement.from_alert(doc.name, owner or None)
