"""Settings and policy records are checked when saved, with the engine's own validators: a bad
value is refused on the document being saved, never later on some complaint or compensation."""

from __future__ import annotations

import frappe
from frappe import _

from complaint_mgmt.engine import approval as approval_rules
from complaint_mgmt.engine import compensation as compensation_rules
from complaint_mgmt.engine import settings as settings_rules
from complaint_mgmt.engine.errors import PolicyViolation
from complaint_mgmt.services import compensation
from complaint_mgmt.services.errors import throw_policy

# each admin-edited message (English; the Chinese one is the same field with "_zh") and the
# placeholders the app fills in
TEXTS: dict[str, tuple[str, ...]] = {
	"ack_sms_text": ("name", "hours", "priority"),
	"extension_text": ("name", "due", "reason"),
	"compensation_approved_text": ("name", "amount", "date"),
	"compensation_paying_text": ("name", "amount", "date"),
	"compensation_paid_text": ("name", "amount", "date"),
	"compensation_delayed_text": ("name", "amount", "date", "reason"),
	"survey_invite_text": ("name", "link"),
	"force_majeure_text": ("name", "alternative"),
	"notice_text": ("name", "link"),
	"progress_feedback_text": ("name", "status", "link"),
}


def _refuse(fn, *args, **kwargs):
	try:
		return fn(*args, **kwargs)
	except PolicyViolation as error:
		throw_policy(error)


def settings(doc) -> None:
	labels = {df.fieldname: _(df.label) for df in doc.meta.fields if df.label}
	texts = {f"{field}{suffix}": allowed for field, allowed in TEXTS.items() for suffix in ("", "_zh")}
	present = {field: allowed for field, allowed in texts.items() if doc.meta.has_field(field)}
	_refuse(settings_rules.check, doc.as_dict(), labels, present)


def approval_level(doc) -> None:
	"""The whole matrix with this level in it."""
	rows = frappe.get_all(
		"Compensation Approval Level",
		filters={"name": ["!=", doc.name or ""]},
		fields=["level_name", "role", "rank", "max_amount", "required_for"],
	)
	matrix = [compensation.level_row(r) for r in [*rows, doc]]
	try:
		approval_rules.validate_matrix(matrix, known_flags=compensation.APPROVAL_FLAGS)
	except PolicyViolation as error:
		if "allowed" in error.params:
			error.params["allowed"] = ", ".join(compensation.APPROVAL_FLAGS)
		throw_policy(error)


def scenario(doc) -> None:
	"""The whole matrix with this row in its place (an "equal to" row refers to rows before it)."""
	rows = frappe.get_all("Compensation Scenario", fields=["*"], order_by="scenario asc, creation asc")
	rows = [doc if r.name == doc.name else r for r in rows]
	if doc not in rows:
		rows.append(doc)
	_refuse(compensation_rules.validate_matrix, [compensation.scenario_row(r) for r in rows])


def cap(doc) -> None:
	_refuse(compensation_rules.validate_caps, [compensation.cap_row(doc)])
