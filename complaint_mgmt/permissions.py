"""Record-level access to complaints (SPEC §1, §11).

Roles with read access other than the agent and department roles (supervisors, managers,
risk, quality…) see every complaint. An agent sees what they handle; a department manager
what belongs to their departments or what they handle. Personal fields sit on permlevel 1,
which only handling roles can read.
"""

from __future__ import annotations

import frappe

from complaint_mgmt.services import policy

BROAD_EXEMPT_FROM = ("Administrator",)


def _restricted_roles() -> tuple[str, str]:
	settings = policy.settings()
	return settings.agent_role, settings.department_role


def _has_broad_access(user: str) -> bool:
	if user in BROAD_EXEMPT_FROM:
		return True
	roles = set(frappe.get_roles(user))
	perms = frappe.get_meta("Complaint").permissions
	broad = {p.role for p in perms if p.read and not p.permlevel and not p.if_owner} - set(
		_restricted_roles()
	)
	return bool(roles & broad)


def _user_departments(user: str) -> list[str]:
	managed = frappe.get_all("Complaint Department", filters={"manager": user}, pluck="name")
	member = frappe.get_all(
		"Complaint Department Member",
		filters={"user": user, "active": 1, "parenttype": "Complaint Department"},
		pluck="parent",
	)
	return sorted(set(managed) | set(member))


def complaint_query_conditions(user: str | None = None) -> str:
	user = user or frappe.session.user
	if _has_broad_access(user):
		return ""
	esc = frappe.db.escape(user)
	# "_" and "%" in a user name are LIKE wildcards: "li_1@x.cn" must not match "lia1@x.cn"
	literal = user.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
	like = frappe.db.escape(f'%"{literal}"%')
	conditions = [
		f"`tabComplaint`.`lead_owner` = {esc}",
		f"`tabComplaint`.`co_owner` = {esc}",
		f"`tabComplaint`.`owner` = {esc}",
		f"`tabComplaint`.`_assign` like {like}",
	]
	if policy.settings().department_role in frappe.get_roles(user):
		departments = _user_departments(user)
		if departments:
			names = ", ".join(frappe.db.escape(d) for d in departments)
			conditions.append(f"`tabComplaint`.`department` in ({names})")
	return "(" + " or ".join(conditions) + ")"


def complaint_has_permission(doc, ptype: str = "read", user: str | None = None) -> bool | None:
	user = user or frappe.session.user
	if _has_broad_access(user):
		return None
	if user in (doc.lead_owner, doc.co_owner, doc.owner) or user in frappe.parse_json(doc._assign or "[]"):
		return None
	if doc.department and policy.settings().department_role in frappe.get_roles(user):
		if doc.department in _user_departments(user):
			return None
	if ptype == "create":
		return None
	return False
