"""Endpoints for customers on the website, without an account: file and follow a complaint."""

from __future__ import annotations

import json

import frappe
from frappe import _
from frappe.rate_limiter import rate_limit
from frappe.utils import format_datetime
from frappe.website.doctype.web_form import web_form as frappe_web_form

from complaint_mgmt.services import input_check, notices, policy, survey
from complaint_mgmt.utils import field_input
from complaint_mgmt.utils.contact import same_customer

# longer than any complaint number; what a visitor types beyond it is not looked up
NUMBER_MAX_CHARS = 40


def lookups_per_minute() -> int:
	return policy.settings().portal_lookups_per_minute or 10


@frappe.whitelist(allow_guest=True, methods=["POST"])
@rate_limit(limit=lookups_per_minute, seconds=60)
def track(complaint, contact) -> dict:
	"""Where a complaint stands, for whoever knows its number and the customer's phone or email.
	A wrong contact and an unknown number get the same answer, so numbers cannot be probed."""
	complaint = input_check.text_argument(complaint, "Complaint Number")
	contact = input_check.text_argument(contact, "Phone or Email")
	name = (complaint or "").strip().upper()[:NUMBER_MAX_CHARS]
	row = (
		frappe.db.get_value(
			"Complaint",
			name,
			[
				"name",
				"workflow_state",
				"received_at",
				"complaint_type",
				"customer_phone",
				"customer_email",
				"closed_at",
			],
			as_dict=True,
		)
		if name
		else None
	)
	if not row or not same_customer(contact, row.customer_phone, row.customer_email):
		frappe.throw(_("No complaint matches this number and phone or email"), title=_("Not found"))
	expected = None
	if not row.closed_at:
		expected = frappe.db.get_value(
			"Complaint Milestone",
			{
				"parent": row.name,
				"parenttype": "Complaint",
				"milestone": "Resolution",
				"met_at": ["is", "not set"],
			},
			"due_at",
		)
	return {
		"complaint": row.name,
		"status": _(row.workflow_state),
		"complaint_type": _(row.complaint_type),
		"received_at": format_datetime(row.received_at, "yyyy-MM-dd HH:mm"),
		"expected_by": format_datetime(expected, "yyyy-MM-dd HH:mm") if expected else None,
		"closed_at": format_datetime(row.closed_at, "yyyy-MM-dd HH:mm") if row.closed_at else None,
	}


@frappe.whitelist(allow_guest=True, methods=["POST"])
@rate_limit(limit=lookups_per_minute, seconds=60)
def answer_survey(key, efficiency_score, solution_score, comment=None) -> str:
	"""The customer answers the survey of a closed complaint through the link we sent."""
	key = input_check.text_argument(key, _("Survey link"))
	comment = input_check.text_argument(comment, _("Comment"))
	scores = [
		input_check.whole_argument(value, label)
		for value, label in (
			(efficiency_score, _("Handling Efficiency")),
			(solution_score, _("Reasonableness of the Solution")),
		)
	]
	return survey.answer(key, *scores, comment)


@frappe.whitelist(allow_guest=True, methods=["GET"])
@rate_limit(limit=lookups_per_minute, seconds=60)
def handling_notice(key: str) -> None:
	"""The Complaint Handling Notice (PDF) behind the secret link we sent the customer by SMS."""
	found = notices.by_key(key)
	if not found:
		frappe.throw(_("This link is not valid any more"), frappe.DoesNotExistError, title=_("Not found"))
	frappe.local.response.filename, frappe.local.response.filecontent = found
	frappe.local.response.type = "pdf"


@frappe.whitelist(allow_guest=True, methods=["POST"])
def accept_web_form(web_form, data, **kwargs):
	"""Frappe's web form submission (hooks: override_whitelisted_methods). Frappe limits it per
	spelling of the form's name, so the name is made the stored one first. On the complaint form
	the values are checked before Frappe reads them, and the guest gets back only the number."""
	name = frappe.db.get_value("Web Form", web_form) if isinstance(web_form, str) else None
	if not name:
		frappe.throw(_("This form does not exist"), frappe.DoesNotExistError)
	frappe.form_dict.web_form = name
	form = frappe.get_cached_doc("Web Form", name)
	if form.doc_type != "Complaint":
		return frappe_web_form.accept(name, data)
	values = form_values(form, data)
	doc = frappe_web_form.accept(name, json.dumps(values))
	return {"doctype": doc.doctype, "name": doc.name}


def form_values(form, data) -> dict:
	"""The submitted values of the complaint form, each of its field's type; a file must have been
	uploaded first (Frappe would otherwise store a file sent inline as a public attachment)."""
	try:
		values = json.loads(data) if isinstance(data, str) else None
	except ValueError:
		values = None
	if not isinstance(values, dict):
		frappe.throw(_("The form could not be read: send its fields as a JSON object"))
	meta = frappe.get_meta("Complaint")
	for field in form.web_form_fields:
		df = meta.get_field(field.fieldname)
		if not df or field.fieldname not in values:
			continue
		try:
			values[field.fieldname] = field_input.clean(df.fieldtype, values[field.fieldname])
		except field_input.BadValue as error:
			input_check.refuse(error, df.label)
		if df.fieldtype in ("Attach", "Attach Image") and "base64" in (values[field.fieldname] or ""):
			frappe.throw(_("Attach the file with the upload button of the form"))
	return values
