"""Endpoints for customers on the website, without an account: follow a complaint."""

from __future__ import annotations

import frappe
from frappe import _
from frappe.rate_limiter import rate_limit
from frappe.utils import cint, format_datetime

from complaint_mgmt.services import notices, policy, survey
from complaint_mgmt.utils.contact import same_customer


def lookups_per_minute() -> int:
	return policy.settings().portal_lookups_per_minute or 10


@frappe.whitelist(allow_guest=True, methods=["POST"])
@rate_limit(limit=lookups_per_minute, seconds=60)
def track(complaint: str, contact: str) -> dict:
	"""Where a complaint stands, for whoever knows its number and the customer's phone or email.
	A wrong contact and an unknown number get the same answer, so numbers cannot be probed."""
	name = (complaint or "").strip().upper()
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
def answer_survey(key: str, efficiency_score: int, solution_score: int, comment: str | None = None) -> str:
	"""The customer answers the survey of a closed complaint through the link we sent."""
	return survey.answer(key, cint(efficiency_score), cint(solution_score), comment)


@frappe.whitelist(allow_guest=True, methods=["GET"])
@rate_limit(limit=lookups_per_minute, seconds=60)
def handling_notice(key: str) -> None:
	"""The Complaint Handling Notice (PDF) behind the secret link we sent the customer by SMS."""
	found = notices.by_key(key)
	if not found:
		frappe.throw(_("This link is not valid any more"), frappe.DoesNotExistError, title=_("Not found"))
	frappe.local.response.filename, frappe.local.response.filecontent = found
	frappe.local.response.type = "pdf"
