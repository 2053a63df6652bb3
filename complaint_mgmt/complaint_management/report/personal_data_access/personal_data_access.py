# Copyright (c) 2026, complaint_mgmt contributors
# License: MIT. See license.txt
"""Who opened a customer's complaints (form, REST, print, PDF) or their evidence files, and when."""

from __future__ import annotations

import frappe
from frappe import _

from complaint_mgmt.services import access_log


def execute(filters: dict | None = None):
	filters = frappe._dict(filters or {})
	access_log.require_auditor()
	complaints = access_log.matching_complaints(
		filters.complaint, filters.customer_phone, filters.customer_email
	)
	return columns(), access_log.accesses(complaints, filters.from_date, filters.to_date)


def columns() -> list[dict]:
	return [
		{"fieldname": "accessed_at", "label": _("Accessed At"), "fieldtype": "Datetime", "width": 170},
		{"fieldname": "user", "label": _("User"), "fieldtype": "Link", "options": "User", "width": 200},
		{"fieldname": "full_name", "label": _("Full Name"), "fieldtype": "Data", "width": 140},
		{
			"fieldname": "complaint",
			"label": _("Complaint"),
			"fieldtype": "Link",
			"options": "Complaint",
			"width": 170,
		},
		{"fieldname": "access", "label": _("Access"), "fieldtype": "Data", "width": 90},
		{"fieldname": "detail", "label": _("File"), "fieldtype": "Data", "width": 220},
	]
