"""Who owns a complaint: Urgent → two co-leads, Important → the type's department, General → an agent.

Owners are Frappe assignments made through Frappe's assignment API (``frappe.desk.form.assign_to``),
so they appear in the sidebar, the timeline, the "Assigned To" filter and each user's to-do list;
``lead_owner`` / ``co_owner`` keep them in indexed columns. Any assignment counts, whoever makes it:
the desk's "Assign To", a bulk assignment from the list, an Assignment Rule — a ToDo hook
(:func:`on_todo_change`) keeps the owners and the Assign clock in step. Frappe's Assignment Rule
cannot choose from a pool that depends on the complaint (its department's members, else its manager,
else the agents), so that rule stays here, making its assignments through the same API.
"""

from __future__ import annotations

import frappe
from frappe.desk.form.assign_to import add as add_assignment
from frappe.desk.form.assign_to import remove as remove_assignment
from frappe.desk.form.assign_to import set_status as set_assignment_status
from frappe.query_builder.functions import Count
from frappe.utils import now_datetime

from complaint_mgmt.engine.assignment import first_pool, pick_assignee
from complaint_mgmt.services import policy, sla, workflow

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
	if doc.lead_owner:
		# the person recording it chose the owner
		doc.db_set("assigned_at", doc.assigned_at or now_datetime(), update_modified=False)
		_assign(doc.name, doc.lead_owner, doc.subject)
		return [doc.lead_owner]
	details = policy.type_details(doc.complaint_type)
	if not doc.department and details.get("department"):
		doc.db_set("department", details.department, update_modified=False)
	agents = users_with_role(settings.agent_role)
	if len(levels) > 1 and doc.priority == levels[1]:
		pool = first_pool(department_members(doc.department), agents)
	else:
		pool = agents
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
	"""The sweep adds an owner: the field now (it gives access), the to-do after the commit."""
	if as_co_owner:
		frappe.db.set_value("Complaint", name, "co_owner", user, update_modified=False)
	todos_after_commit(name, subject, add=user)


def reassign(name: str, old_lead: str | None, new_lead: str, subject: str) -> None:
	"""The sweep hands the lead to ``new_lead``: the field now, the to-dos after the commit (the
	previous lead's assignment is removed there, on the timeline; their access ends with the field)."""
	frappe.db.set_value("Complaint", name, "lead_owner", new_lead, update_modified=False)
	todos_after_commit(name, subject, add=new_lead, remove=old_lead)


def todos_after_commit(name: str, subject: str, add: str, remove: str | None = None) -> None:
	"""Assignments (ToDo, its comment, the assignee's notification) of an owner change made inside
	the SLA sweep's locked batch, written by a job once the batch has committed; in tests at once."""
	if frappe.flags.in_test:
		update_todos(name, subject, add, remove)
		return
	frappe.enqueue(
		"complaint_mgmt.services.assignment.update_todos",
		queue="short",
		enqueue_after_commit=True,
		name=name,
		subject=subject,
		add=add,
		remove=remove,
	)


def update_todos(name: str, subject: str, add: str, remove: str | None = None) -> None:
	"""The to-dos that follow the owner fields as they are now: ``add`` gets one while they own the
	complaint, ``remove`` loses theirs unless they still own it (a lead who became co-owner). Does
	nothing twice (an open to-do is kept, a removed one stays removed)."""
	owners = frappe.db.get_value("Complaint", name, ["lead_owner", "co_owner"])
	if not owners:
		return  # deleted since
	if add in owners:
		_assign(name, add, subject)
	if remove and remove not in owners:
		remove_assignment("Complaint", name, remove, ignore_permissions=True)


def follow_owner_field(doc) -> None:
	"""A person changed the Lead Owner on the form or through the REST API: the assignments follow."""
	before = doc.get_doc_before_save()
	if not before or before.lead_owner == doc.lead_owner:
		return
	if doc.lead_owner:
		update_todos(doc.name, doc.subject, add=doc.lead_owner, remove=before.lead_owner)
	elif before.lead_owner:
		remove_assignment("Complaint", doc.name, before.lead_owner, ignore_permissions=True)


def follow_state(doc) -> None:
	"""Entering a terminal state closes the assignments; leaving one (reopening) restores them."""
	before = doc.get_doc_before_save()
	terminal = policy.terminal_states()
	was_terminal = bool(before) and before.workflow_state in terminal
	if doc.workflow_state in terminal and not was_terminal:
		close_all(doc.name)
	elif was_terminal and doc.workflow_state not in terminal:
		restore_owners(doc.name)


def open_assignees(name: str) -> list[str]:
	return frappe.get_all(
		"ToDo",
		filters={"reference_type": "Complaint", "reference_name": name, "status": "Open"},
		pluck="allocated_to",
		order_by="creation asc",
	)


def close_all(name: str) -> None:
	"""The work is over (closed, rejected, …): every open assignment is closed, on the timeline."""
	todos = frappe.get_all(
		"ToDo",
		filters={"reference_type": "Complaint", "reference_name": name, "status": "Open"},
		fields=["name", "allocated_to"],
	)
	for todo in todos:
		set_assignment_status(
			"Complaint",
			name,
			todo=todo.name,
			assign_to=todo.allocated_to,
			status="Closed",
			ignore_permissions=True,
		)


def restore_owners(name: str) -> None:
	"""A finished complaint is reopened: its owners get their assignments back."""
	current = frappe.db.get_value("Complaint", name, ["lead_owner", "co_owner", "subject"], as_dict=True)
	for user in (current.lead_owner, current.co_owner):
		if user:
			_assign(name, user, current.subject)


def on_todo_change(todo, method=None) -> None:
	"""ToDo hook: any assignment of a complaint, however made, gives it an owner and meets its
	Assign clock; removing the lead's assignment hands the lead to another assignee."""
	if todo.reference_type != "Complaint" or not (todo.reference_name and todo.allocated_to):
		return
	if frappe.flags.complaint_side_task:  # a liaison's PR / explanation task is not an assignment
		return
	current = frappe.db.get_value(
		"Complaint", todo.reference_name, ["lead_owner", "co_owner", "assigned_at"], as_dict=True
	)
	if not current:
		return
	if todo.status == "Open":
		values = {}
		if not current.lead_owner:
			values["lead_owner"] = todo.allocated_to
		if not current.assigned_at:
			values["assigned_at"] = now_datetime()
		if values:
			_record_owners(todo.reference_name, values, assigned=bool(values.get("assigned_at")))
	elif todo.status == "Cancelled" and todo.allocated_to in (current.lead_owner, current.co_owner):
		others = [u for u in open_assignees(todo.reference_name) if u != todo.allocated_to]
		if todo.allocated_to == current.lead_owner:
			successors = [u for u in others if u != current.co_owner] or others
			values = {"lead_owner": successors[0] if successors else None}
		else:
			values = {"co_owner": None}
		_record_owners(todo.reference_name, values, assigned=False)


def _record_owners(name: str, values: dict, *, assigned: bool) -> None:
	frappe.db.set_value("Complaint", name, values, update_modified=False)
	if assigned:
		doc = frappe.get_doc("Complaint", name)
		workflow.advance(doc, policy.settings().assigned_state)
		sla.mark(doc)
