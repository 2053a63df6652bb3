"""Whitelisted actions of the analysis features (issue 13)."""

from __future__ import annotations

import frappe

from complaint_mgmt.services import analysis_report, improvement, input_check


@frappe.whitelist(methods=["POST"])
def raise_action(alert, owner=None) -> str:
	"""Turn an alert into an improvement action (one per alert); returns the action's name."""
	doc = input_check.document("Complaint Alert", alert)
	doc.check_permission("write")
	frappe.has_permission("Complaint Improvement Action", "create", throw=True)
	owner = input_check.text_argument(owner, "Owner")
	return improvement.from_alert(doc.name, owner or None)


@frappe.whitelist(methods=["POST"])
def generate_report(month=None) -> str:
	"""Generate (or bring up to date) a month's analysis report; returns its name."""
	frappe.has_permission("Complaint Analysis Report", "create", throw=True)
	month = input_check.text_argument(month, "Month")
	return analysis_report.generate(month or None)
