# Copyright (c) 2026, complaint_mgmt contributors
# License: MIT. See license.txt
"""Open SLA clocks by milestone and status: what is at risk or late right now, soonest first."""

from __future__ import annotations

import frappe
from frappe import _
from pypika.terms import PseudoColumn

from complaint_mgmt.permissions import reached_conditions

LIMIT = 1000


def execute(filters: dict | None = None):
	filters = frappe._dict(filters or {})
	return columns(), rows(filters)


def columns() -> list[dict]:
	return [
		{
			"fieldname": "complaint",
			"label": _("Complaint"),
			"fieldtype": "Link",
			"options": "Complaint",
			"width": 170,
		},
		{"fieldname": "subject", "label": _("Subject"), "fieldtype": "Data", "width": 200},
		{"fieldname": "priority", "label": _("Priority"), "fieldtype": "Data", "width": 90},
		{"fieldname": "milestone", "label": _("Milestone"), "fieldtype": "Data", "width": 150},
		{"fieldname": "status", "label": _("SLA Status"), "fieldtype": "Data", "width": 100},
		{"fieldname": "due_at", "label": _("Due"), "fieldtype": "Datetime", "width": 160},
		{"fieldname": "escalation_level", "label": _("Escalation Level"), "fieldtype": "Int", "width": 90},
		{
			"fieldname": "lead_owner",
			"label": _("Lead Owner"),
			"fieldtype": "Link",
			"options": "User",
			"width": 160,
		},
		{
			"fieldname": "department",
			"label": _("Department"),
			"fieldtype": "Link",
			"options": "Complaint Department",
			"width": 130,
		},
	]


def rows(filters) -> list[dict]:
	ms, complaint = frappe.qb.DocType("Complaint Milestone"), frappe.qb.DocType("Complaint")
	query = (
		frappe.qb.from_(ms)
		.join(complaint)
		.on(complaint.name == ms.parent)
		.select(
			complaint.name.as_("complaint"),
			complaint.subject,
			complaint.priority,
			ms.milestone,
			ms.status,
			ms.due_at,
			ms.escalation_level,
			complaint.lead_owner,
			complaint.department,
		)
		.where(ms.parenttype == "Complaint")
		.where(ms.met_at.isnull())
		.orderby(ms.due_at)
		.limit(LIMIT)
	)
	query = query.where(ms.status.isin([filters.status] if filters.status else ["At Risk", "Breached"]))
	for field in ("milestone",):
		if filters.get(field):
			query = query.where(ms[field] == filters.get(field))
	for field in ("priority", "department"):
		if filters.get(field):
			query = query.where(complaint[field] == filters.get(field))
	conditions = reached_conditions(frappe.session.user)
	if conditions:  # an agent or department manager sees the clocks of their own complaints only
		query = query.where(PseudoColumn(conditions))
	return query.run(as_dict=True)
