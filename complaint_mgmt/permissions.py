"""Record-level access to complaints and to every record that belongs to one (SPEC §1, §11).

Roles with read access other than the agent and department roles (supervisors, managers,
risk, quality…) see every complaint. An agent sees what they handle; a department manager
what belongs to their departments or what they handle. Compensations, investigations,
surveys and escalations follow their complaint's rule; an incident is visible to whoever sees
one of its complaints. Personal fields sit on permlevel 1, which only handling roles can read.
"""

from __future__ import annotations

import re

import frappe
from frappe import _
from frappe.model import table_fields

from complaint_mgmt.services import policy

BROAD_EXEMPT_FROM = ("Administrator",)
# DocTypes whose records belong to one complaint, through their `complaint` link
COMPLAINT_RECORDS = ("Compensation", "Complaint Investigation", "Complaint Survey", "Complaint Escalation")
REACH_FIELDS = ("name", "lead_owner", "co_owner", "owner", "_assign", "department")


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


def hidden_fields(doctype: str, user: str) -> set[str]:
	"""Fields on a permission level the user cannot read (personal data, the survey secret)."""
	if user == "Administrator":
		return set()
	meta = frappe.get_meta(doctype)
	levels = set(meta.get_permlevel_access("read", user=user))
	return {df.fieldname for df in meta.fields if df.permlevel and df.permlevel not in levels}


# request parameters of Frappe's list, report, count, group-by and chart endpoints that choose rows
ROW_PARAMS = ("filters", "or_filters", "order_by", "group_by", "field", "aggregate_on_field", "chart")
# endpoints that take a whole card as `doc` (its filters and aggregate field choose rows)
CARD_ENDPOINTS = ("number_card.get_result", "number_card.get_percentage_difference")
# saved definitions a request names instead of sending them: what in them chooses rows
SAVED = {
	"chart_name": (
		"Dashboard Chart",
		(
			"filters_json",
			"dynamic_filters_json",
			"based_on",
			"group_by_based_on",
			"value_based_on",
			"aggregate_function_based_on",
		),
	),
	"report_name": ("Report", ("json",)),
}


def _row_choices() -> str:
	"""Everything in the request that chooses, orders or groups rows, saved definitions included
	(a Dashboard Chart or Report Builder report filtering or grouping by a field)."""
	form = frappe.local.form_dict
	parts = [str(form.get(k) or "") for k in ROW_PARAMS]
	if str(form.get("cmd") or "").endswith(CARD_ENDPOINTS):
		parts.append(str(form.get("doc") or ""))
	for param, (doctype, fields) in SAVED.items():
		name = form.get(param)
		if isinstance(name, str) and name:
			saved = frappe.db.get_value(doctype, name, fields, as_dict=True) or {}
			parts.extend(str(value or "") for value in saved.values())
	return " ".join(parts)


def refuse_queries_on_hidden_fields(doctype: str, user: str) -> None:
	"""A list, report, count or group-by request cannot filter, sort or group on a field the user
	cannot read: the rows it returns would tell the value (a phone number, digit by digit)."""
	hidden = hidden_fields(doctype, user)
	if not hidden or not getattr(frappe.local, "form_dict", None):
		return
	asked = _row_choices()
	named = sorted(f for f in hidden if re.search(rf"\b{re.escape(f)}\b", asked))
	if named:
		frappe.throw(
			_("You cannot filter, sort or group by {0}").format(
				", ".join(_(frappe.get_meta(doctype).get_label(f)) for f in named)
			),
			frappe.PermissionError,
			title=_("Not allowed"),
		)


def blank_hidden_fields_for_print(doc) -> None:
	"""before_print: the print view and its PDF leave out what the reader cannot read. The
	system's own renders (the notice sent to the customer) set ignore_print_permissions."""
	if frappe.flags.ignore_print_permissions:
		return
	meta = frappe.get_meta(doc.doctype)
	for fieldname in hidden_fields(doc.doctype, frappe.session.user):
		doc.set(fieldname, [] if meta.get_field(fieldname).fieldtype in table_fields else None)


def complaint_query_conditions(user: str | None = None) -> str:
	"""permission_query_conditions hook of Complaint."""
	user = user or frappe.session.user
	refuse_queries_on_hidden_fields("Complaint", user)
	return reached_conditions(user)


def reached_conditions(user: str | None = None) -> str:
	"""SQL condition on `tabComplaint` for the complaints ``user`` reaches ('' for all)."""
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


def reaches(complaint, user: str) -> bool:
	"""Whether ``user`` handles ``complaint`` (a document or a row of REACH_FIELDS) or may see it all."""
	if _has_broad_access(user):
		return True
	if user in (complaint.lead_owner, complaint.co_owner, complaint.owner):
		return True
	if user in frappe.parse_json(complaint._assign or "[]"):
		return True
	return bool(
		complaint.department
		and policy.settings().department_role in frappe.get_roles(user)
		and complaint.department in _user_departments(user)
	)


def complaint_has_permission(doc, ptype: str = "read", user: str | None = None) -> bool | None:
	user = user or frappe.session.user
	if ptype == "create" or reaches(doc, user):
		return None
	return False


# ------------------------------------------------------------------ records of a complaint
def related_query_conditions(user: str | None = None, doctype: str | None = None) -> str:
	condition = reached_conditions(user)
	if not condition:
		return ""
	return (
		f"`tab{doctype}`.`complaint` in (select `tabComplaint`.`name` from `tabComplaint` where {condition})"
	)


def complaint_reached(name: str | None, user: str) -> bool:
	if _has_broad_access(user):
		return True
	row = frappe.db.get_value("Complaint", name, REACH_FIELDS, as_dict=True) if name else None
	return bool(row) and reaches(row, user)


def related_has_permission(doc, ptype: str = "read", user: str | None = None) -> bool | None:
	"""A compensation, investigation, survey or escalation is reached through its complaint."""
	user = user or frappe.session.user
	if not doc.get("complaint") and ptype == "create":
		return None  # the link is mandatory: the save stops there
	return None if complaint_reached(doc.get("complaint"), user) else False


def incident_query_conditions(user: str | None = None) -> str:
	condition = reached_conditions(user)
	if not condition:
		return ""
	return (
		"`tabComplaint Incident`.`name` in "
		f"(select `tabComplaint`.`incident` from `tabComplaint` where {condition})"
	)


def incident_has_permission(doc, ptype: str = "read", user: str | None = None) -> bool | None:
	user = user or frappe.session.user
	if ptype == "create" or _has_broad_access(user):
		return None
	members = frappe.get_all("Complaint", filters={"incident": doc.name}, fields=list(REACH_FIELDS))
	return None if any(reaches(row, user) for row in members) else False


# ------------------------------------------------------------------ records of a customer (issue 12)
# DocType → the field naming its Complaint Customer: a user reaches the record when they reach one
# of that customer's complaints (or see every complaint)
CUSTOMER_FIELD = {
	"Complaint Customer": "name",
	"Customer Shipment": "customer",
	"Complaint Voucher": "customer",
	"Voucher Redemption": "customer",
	"Recovery Plan": "customer",
}


def customer_query_conditions(user: str | None = None, doctype: str | None = None) -> str:
	condition = reached_conditions(user)
	if not condition:
		return ""
	field = CUSTOMER_FIELD[doctype]
	return (
		f"`tab{doctype}`.`{field}` in "
		f"(select `tabComplaint`.`customer` from `tabComplaint` where {condition})"
	)


def customer_reached(customer: str | None, user: str) -> bool:
	if _has_broad_access(user):
		return True
	if not customer:
		return False
	rows = frappe.get_all("Complaint", filters={"customer": customer}, fields=list(REACH_FIELDS))
	return any(reaches(row, user) for row in rows)


def customer_has_permission(doc, ptype: str = "read", user: str | None = None) -> bool | None:
	user = user or frappe.session.user
	customer = doc.get(CUSTOMER_FIELD[doc.doctype])
	if ptype == "create" and (doc.doctype == "Complaint Customer" or not customer):
		return None  # a new customer, or a record whose mandatory customer the save asks for
	return None if customer_reached(customer, user) else False
