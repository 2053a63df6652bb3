"""The low-score items of the Complaint Satisfaction report (SPEC §7, §9): each survey marked low
(a score under Complaint Settings → Survey: Low Score Below, flagged when it was recorded) of a
complaint received in the period, with the complaint's type and owner, both scores and the
customer's comment. The same surveys the report's *Low Scores* count, listed one by one, within
the complaints the reader may see (the complaint's record rule)."""

from __future__ import annotations

import frappe
from frappe.utils import add_days, get_datetime
from pypika.terms import PseudoColumn

from complaint_mgmt.permissions import reached_conditions
from complaint_mgmt.services import analytics_query as q

# the list shows the newest items; a longer period is better read by type first
MAX_ITEMS = 1000
COMPLAINT_FILTERS = {
	"channel": "channel",
	"priority": "priority",
	"department": "department",
	"route": "route",
	"branch": "origin_branch",
	"region": "region",
}


def items(filters, user: str | None = None) -> list[dict]:
	filters = frappe._dict(filters or {})
	start, end = q.period(filters)
	survey, complaint = frappe.qb.DocType("Complaint Survey"), frappe.qb.DocType("Complaint")
	query = (
		frappe.qb.from_(survey)
		.join(complaint)
		.on(complaint.name == survey.complaint)
		.select(
			survey.complaint,
			complaint.received_at,
			complaint.complaint_type,
			complaint.lead_owner,
			survey.efficiency_score,
			survey.solution_score,
			survey.low_score_items,
			survey.comment,
			survey.surveyed_at,
		)
		.where(survey.low_score == 1)
		.where(complaint.received_at >= get_datetime(start))
		.where(complaint.received_at < get_datetime(add_days(end, 1)))
		.orderby(survey.surveyed_at, order=frappe.qb.desc)
		.orderby(survey.complaint)
		.limit(MAX_ITEMS)
	)
	if filters.get("complaint_type"):
		query = query.where(complaint.complaint_type.isin(q.with_subtypes(filters.complaint_type)))
	for given, field in COMPLAINT_FILTERS.items():
		if filters.get(given):
			query = query.where(complaint[field] == filters.get(given))
	reach = reached_conditions(user)
	if reach:
		query = query.where(PseudoColumn(reach))
	return query.run(as_dict=True)
