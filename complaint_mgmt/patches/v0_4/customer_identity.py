"""Issue 12: every existing complaint joins its Complaint Customer (set-based, runs again without
harm), and the priority rule of priority-service customers exists."""

import frappe

from complaint_mgmt.engine.priority import PRIORITY_SERVICE_RULE
from complaint_mgmt.services import customers


def execute():
	customers.backfill()
	if not frappe.db.exists("Complaint Priority Rule", {"field": PRIORITY_SERVICE_RULE["field"]}):
		frappe.get_doc({"doctype": "Complaint Priority Rule", **PRIORITY_SERVICE_RULE}).insert(
			ignore_permissions=True
		)
