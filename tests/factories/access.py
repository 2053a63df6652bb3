"""Complaints handled by a given person (record rules: an agent reaches only what they handle)."""

from __future__ import annotations

import json


def handled_by(user: str | None, department: str | None = None, complaint=None, **values):
	"""A complaint (new, or ``complaint``) that only ``user`` handles, in ``department``:
	whoever assignment picked is replaced."""
	import frappe

	from tests.factories.doctypes import ComplaintFactory

	complaint = complaint or ComplaintFactory(**values)
	frappe.db.set_value(
		"Complaint",
		complaint.name,
		{
			"lead_owner": user,
			"co_owner": None,
			"_assign": json.dumps([user] if user else []),
			"department": department,
		},
		update_modified=False,
	)
	return frappe.get_doc("Complaint", complaint.name)


def managed_department(manager: str) -> str:
	from tests.factories.doctypes import ComplaintDepartmentFactory

	return ComplaintDepartmentFactory(manager=manager).name
