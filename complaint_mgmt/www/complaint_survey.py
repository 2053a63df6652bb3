"""The customer's survey page, reached by the secret link sent at closure (api.portal.answer_survey)."""

import frappe
from frappe import _

from complaint_mgmt.services import policy, survey

no_cache = 1


def get_context(context):
	settings = policy.settings()
	context.title = _("How Did We Do?")
	context.key = (frappe.form_dict.key or "").strip()[:64]
	complaint = survey.by_key(context.key)
	context.complaint = complaint.name if complaint else None
	context.answered = bool(complaint) and bool(
		frappe.db.exists("Complaint Survey", {"complaint": complaint.name})
	)
	context.scores = list(range(settings.survey_highest_score, settings.survey_lowest_score - 1, -1))
	return context
