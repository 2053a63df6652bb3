# Copyright (c) 2026, complaint_mgmt contributors
# License: MIT. See license.txt

from frappe.model.document import Document


class ComplaintMilestone(Document):
	pass


def on_doctype_update() -> None:
	"""Composite indexes for the SLA sweep's range scans."""
	import frappe

	frappe.db.add_index("Complaint Milestone", ["status", "due_at"], "status_due_at")
	frappe.db.add_index("Complaint Milestone", ["status", "at_risk_at"], "status_at_risk_at")
