"""Who owns a complaint: Urgent → two co-leads, Important → the type's department, General → an agent.

Owners are Frappe assignments (ToDo), so they appear in the sidebar, the "Assigned To" filter
and each user's to-do list; ``lead_owner`` / ``co_owner`` keep them in indexed columns.
"""

from __future__ import annotations

import frappe
from frappe.desk.form.assign_to import add as add_assignment
from frappe.query_builder.functions import Count
from frappe.utils import now_datetime

from complaint_mgmt.engine.assignment import pick_assignee
from complaint_mgmt.services import policy

EXCLUDED_USERS = ("Administrator", "Guest")


def users_with_role(role: str) -> list[str]:
	if not role:
		return []
	user, has_role = frappe.qb.DocType("User"), frappe.qb.DocType("Has Role")
	rows = (
		frappe.qb.from_(has_role)
		.join(user)
		.on(user.name == has_role.parent)
		.select(user.name)
		.distinct()
		.where(has_role.role == role)
		.where(has_role.parenttype == "User")
		.where(user.enabled == 1)
		.where(user.user_type == "System User")
		.where(user.name.notin(EXCLUDED_USERS))
		.orderby(user.name)
		.run()
	)
	return [r[0] for r in rows]


def department_members(department: str) -> list[str]:
	if not department:
		return []
	members = frappe.get_all(
		"Complaint Department Member",
		filters={"parent": department, "parenttype": "Complaint Department", "active": 1},
		pluck="user",
		order_by="idx asc",
	)
	manager = frappe.db.get_value("Complaint Department", department, "manager")
	return members or ([manager] if manager else [])


def open_load(users: list[str]) -> dict[str, int]:
	if not users:
		return {}
	todo = frappe.qb.DocType("ToDo")
	rows = (
		frappe.qb.from_(todo)
		.select(todo.allocated_to, Count("*"))
		.where(todo.status == "Open")
		.where(todo.reference_type == "Complaint")
		.where(todo.allocated_to.isin(users))
		.groupby(todo.allocated_to)
		.run()
	)
	return dict(rows)


def last_assigned(users: list[str]) -> str | None:
	if not users:
		return None
	rows = frappe.get_all(
		"ToDo",
		filters={"reference_type": "Complaint", "allocated_to": ["in", users]},
		pluck="allocated_to",
		order_by="creation desc",
		limit=1,
	)
	return rows[0] if rows else None


def choose(users: list[str], exclude: tuple[str, ...] = ()) -> str | None:
	strategy = policy.settings().assignment_strategy
	return pick_assignee(
		users,
		strategy=strategy,
		open_load=open_load(users),
		last_assigned=last_assigned(users),
		exclude=exclude,
	)


def _assign(doc_name: str, user: str, description: str) -> None:
	if frappe.db.exists(
		"ToDo",
		{"reference_type": "Complaint", "reference_name": doc_name, "allocated_to": user, "status": "Open"},
	):
		return
	add_assignment(
		{"assign_to": [user], "doctype": "Complaint", "name": doc_name, "description": description},
		ignore_permissions=True,
	)


def assign_new(doc) -> list[str]:
	"""Give a new complaint its owners by priority; returns who was assigned."""
	settings = policy.settings()
	levels = policy.priority_levels()
	if doc.priority == levels[0]:
		return ensure_urgent_owners(doc.name, doc=doc)
	details = policy.type_details(doc.complaint_type)
	if not doc.department and details.get("department"):
		doc.db_set("department", details.department, update_modified=False)
	if len(levels) > 1 and doc.priority == levels[1]:
		pool = department_members(doc.department)
	else:
		pool = users_with_role(settings.agent_role)
	user = choose(pool)
	if not user:
		return []
	doc.db_set({"lead_owner": user, "assigned_at": doc.assigned_at or now_datetime()}, update_modified=False)
	_assign(doc.name, user, doc.subject)
	return [user]


def ensure_urgent_owners(name: str, doc=None) -> list[str]:
	"""Urgent complaints are co-led by the lead role and the co-lead role (SPEC §4)."""
	settings = policy.settings()
	current = frappe.db.get_value(
		"Complaint", name, ["lead_owner", "co_owner", "subject", "assigned_at"], as_dict=True
	)
	lead_pool = users_with_role(settings.urgent_lead_role)
	co_pool = users_with_role(settings.urgent_co_lead_role)
	lead = current.lead_owner if current.lead_owner in lead_pool else choose(lead_pool)
	co = current.co_owner if current.co_owner in co_pool else choose(co_pool, exclude=(lead,))
	values = {"lead_owner": lead, "co_owner": co}
	if lead and not current.assigned_at:
		values["assigned_at"] = now_datetime()
	if doc is not None:
		doc.db_set(values, update_modified=False)
	else:
		frappe.db.set_value("Complaint", name, values, update_modified=False)
	assigned = [u for u in (lead, co) if u]
	for user in assigned:
		_assign(name, user, current.subject)
	return assigned


def add_owner(name: str, user: str, subject: str, *, as_co_owner: bool) -> None:
	if as_co_owner:
		frappe.db.set_value("Complaint", name, "co_owner", user, update_modified=False)
	_assign(name, user, subject)


def reassign(name: str, old_lead: str | None, new_lead: str, subject: str) -> None:
	"""Hand the lead to ``new_lead``; the previous lead's open assignment is closed."""
	if old_lead:
		todo = frappe.qb.DocType("ToDo")
		(
			frappe.qb.update(todo)
			.set(todo.status, "Cancelled")
			.where(todo.reference_type == "Complaint")
			.where(todo.reference_name == name)
			.where(todo.allocated_to == old_lead)
			.where(todo.status == "Open")
			.run()
		)
	frappe.db.set_value("Complaint", name, "lead_owner", new_lead, update_modified=False)
	_assign(name, new_lead, subject)
