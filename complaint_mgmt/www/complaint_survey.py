"""The customer's survey page, reached by the secret link sent at closure (api.portal.answer_survey)."""

import frappe
from frappe import _

from complaint_mgmt.services import policy, survey

no_cache = 1


def get_context(context):
	settings = policy.settings()
	context.title = _("How Did We Do?")
	context.key = (frappe.form_dict.key or "").strip()[:64]
	context.complaint = survey.by_key(context.key)
	context.answered = bool(context.complaint) and bool(
		frappe.db.exists("Complaint Survey", {"complaint": context.complaint})
	)
	context.comment_max_chars = survey.COMMENT_MAX_CHARS
	context.scores = list(range(settings.survey_highest_score, settings.survey_lowest_score - 1, -1))
	return context
