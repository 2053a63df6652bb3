# Copyright (c) 2026, complaint_mgmt contributors
# License: MIT. See license.txt

from frappe.model.document import Document

from complaint_mgmt.services.child_rows import StoredWithParent


class ComplaintMilestone(StoredWithParent, Document):
	"""Stored by the complaint's own insert (services/child_rows.py) when it is new."""


def on_doctype_update() -> None:
	"""Composite indexes for the SLA sweep's range scans."""
	import frappe

	frappe.db.add_index("Complaint Milestone", ["status", "due_at"], "status_due_at")
	frappe.db.add_index("Complaint Milestone", ["status", "at_risk_at"], "status_at_risk_at")
