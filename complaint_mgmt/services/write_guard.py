"""What a person's save may change (issue 10): never the fields the server computes, and only in
a workflow state whose "Only Allow Edit For" roles they hold (Workflow Document State).

The desk enforces both in the browser only; a REST ``PUT`` goes around the browser. Server code
that sets computed fields itself marks the document: ``doc.flags.server_change`` (or saves with
``ignore_permissions``); an endpoint that decides itself who may act on a document in any state
(the customer's acceptance or objection) sets ``doc.flags.workflow_edit_checked``.
"""

from __future__ import annotations

import frappe
from frappe import _
from frappe.model import no_value_fields, table_fields
from frappe.model.workflow import get_workflow_name
from frappe.utils import cint, cstr, flt, get_datetime, getdate

# changing these in place would hide a decision: the save is refused instead of ignored
REFUSED = {"Complaint": {"priority": "Change the priority with the Change Priority action (role and reason)"}}
# read-only fields the controller sets in before_insert, before this check runs
SET_BEFORE_INSERT = {
	"Complaint": ("duplicate_of", "effects_pending"),
	"Complaint Investigation": ("evidence",),
}
SKIPPED_FIELDS = ("workflow_state",)


def _normal(df, value):
	if value in (None, ""):
		return None
	if df.fieldtype in ("Int", "Check"):
		return cint(value)
	if df.fieldtype in ("Float", "Currency", "Percent"):
		return flt(value, 6)
	if df.fieldtype == "Datetime":
		return get_datetime(value).replace(microsecond=0)
	if df.fieldtype == "Date":
		return getdate(value)
	return cstr(value)


def _rows(doc, df) -> list[tuple]:
	meta = frappe.get_meta(df.options)
	fields = [f for f in meta.fields if f.fieldtype not in no_value_fields]
	return [
		(row.name, *(_normal(f, row.get(f.fieldname)) for f in fields)) for row in doc.get(df.fieldname) or []
	]


def _guarded_fields(doc):
	for df in doc.meta.fields:
		if not df.read_only or df.fetch_from or df.fieldname in SKIPPED_FIELDS:
			continue
		if df.fieldtype in no_value_fields and df.fieldtype not in table_fields:
			continue
		yield df


def keep_computed_fields(doc) -> None:
	"""A person's save keeps the stored value of every read-only field (a new record: its default)."""
	if doc.flags.ignore_permissions or doc.flags.server_change:
		return
	before = None if doc.is_new() else doc.get_doc_before_save()
	if not doc.is_new() and not before:
		return
	set_on_insert = SET_BEFORE_INSERT.get(doc.doctype, ())
	for df in _guarded_fields(doc):
		if before is None and df.fieldname in set_on_insert:
			continue
		if df.fieldtype in table_fields:
			if before is None:
				doc.set(df.fieldname, [])
			elif _rows(doc, df) != _rows(before, df):
				doc.set(df.fieldname, [row.as_dict() for row in before.get(df.fieldname)])
			continue
		old = before.get(df.fieldname) if before else df.default
		if _normal(df, doc.get(df.fieldname)) == _normal(df, old):
			continue
		refusal = REFUSED.get(doc.doctype, {}).get(df.fieldname)
		if refusal and before is not None:
			frappe.throw(_(refusal), frappe.PermissionError, title=_("Not allowed"))
		doc.set(df.fieldname, old)


def check_workflow_edit(doc) -> None:
	"""Outside a transition, only the state's "Only Allow Edit For" roles change the record."""
	if doc.is_new() or doc.flags.ignore_permissions or doc.flags.workflow_edit_checked:
		return
	user = frappe.session.user
	workflow = get_workflow_name(doc.doctype)
	before = doc.get_doc_before_save()
	if user == "Administrator" or not workflow or not before:
		return
	field = frappe.get_cached_value("Workflow", workflow, "workflow_state_field") or "workflow_state"
	state = before.get(field)
	if not state or doc.get(field) != state:
		return  # a transition: Frappe checks who may take it
	allowed = frappe.get_all(
		"Workflow Document State", filters={"parent": workflow, "state": state}, pluck="allow_edit"
	)
	if allowed and not set(allowed) & set(frappe.get_roles(user)):
		frappe.throw(
			_("In state {0} only {1} may edit this {2}").format(
				_(state), ", ".join(_(role) for role in sorted(set(allowed))), _(doc.doctype)
			),
			frappe.PermissionError,
			title=_("Not allowed"),
		)


def before_validate(doc, method=None) -> None:
	"""doc_events: every record of the app, before its controller computes anything."""
	check_workflow_edit(doc)
	keep_computed_fields(doc)
