"""The satisfaction survey after closure (SPEC §7): one per closed complaint, scored on the
settings' scale; it meets the complaint's Survey milestone, and a low score reaches quality."""

from __future__ import annotations

import frappe
from frappe import _
from frappe.utils import now_datetime

from complaint_mgmt.engine import survey as survey_rules
from complaint_mgmt.engine.errors import PolicyViolation
from complaint_mgmt.services import intake, notify, policy, sla
from complaint_mgmt.services.assignment import users_with_role


def survey_policy() -> survey_rules.SurveyPolicy:
	settings = policy.settings()
	return survey_rules.SurveyPolicy(
		lowest=settings.survey_lowest_score,
		highest=settings.survey_highest_score,
		low_below=settings.survey_low_score_below,
	)


def validate(doc) -> None:
	settings = policy.settings()
	state = frappe.db.get_value("Complaint", doc.complaint, "workflow_state")
	if state != settings.closed_state:
		frappe.throw(
			_("Only a closed complaint is surveyed: {0} is {1}").format(doc.complaint, _(state)),
			title=_("Not closed yet"),
		)
	earlier = frappe.db.get_value("Complaint Survey", {"complaint": doc.complaint, "name": ["!=", doc.name]})
	if earlier:
		frappe.throw(
			_("Complaint {0} has been surveyed already ({1})").format(doc.complaint, earlier),
			frappe.UniqueValidationError,
			title=_("Surveyed already"),
		)
	scores = {
		_("Handling Efficiency"): doc.efficiency_score,
		_("Reasonableness of the Solution"): doc.solution_score,
	}
	try:
		low = survey_rules.low_score_items(scores, survey_policy())
	except PolicyViolation as error:
		intake.throw_policy(error)
	doc.low_score = 1 if low else 0
	doc.low_score_items = "\n".join(low)
	doc.surveyed_at = doc.surveyed_at or now_datetime()
	doc.surveyed_by = doc.surveyed_by or frappe.session.user


def after_insert(doc) -> None:
	complaint = frappe.get_doc("Complaint", doc.complaint)
	sla.mark(complaint)  # the Survey milestone is met now
	if not doc.low_score:
		return
	subject = _("Low survey score on {0}: {1}").format(doc.complaint, doc.low_score_items.replace("\n", ", "))
	role = policy.settings().survey_low_score_role
	notify.users([*users_with_role(role), complaint.lead_owner], subject, "Complaint Survey", doc.name)
	complaint.add_comment("Info", subject)
