"""The satisfaction survey after closure (SPEC §7): one per closed complaint, scored on the
settings' scale; it meets the complaint's Survey milestone, and a low score reaches quality."""

from __future__ import annotations

from contextlib import suppress

import frappe
from frappe import _
from frappe.utils import get_url, now_datetime

from complaint_mgmt.engine import survey as survey_rules
from complaint_mgmt.engine import templates
from complaint_mgmt.engine.errors import PolicyViolation
from complaint_mgmt.services import customer_messages, notify, policy, sla
from complaint_mgmt.services.assignment import users_with_role
from complaint_mgmt.services.errors import throw_policy


def survey_policy() -> survey_rules.SurveyPolicy:
	settings = policy.settings()
	return survey_rules.SurveyPolicy(
		lowest=settings.survey_lowest_score,
		highest=settings.survey_highest_score,
		low_below=settings.survey_low_score_below,
	)


PORTAL_METHOD = "Portal"


def validate(doc) -> None:
	settings = policy.settings()
	if doc.method == PORTAL_METHOD and not doc.flags.answered_by_customer and doc.has_value_changed("method"):
		# a survey recorded as the customer's own answer comes only from their personal link
		frappe.throw(
			_("Only the customer answers a Portal survey, through the link sent to them"),
			frappe.PermissionError,
			title=_("Not allowed"),
		)
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
		throw_policy(error)
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


# ------------------------------------------------------------------ the customer's own survey link
def invite(complaint) -> None:
	"""On closure: give the complaint a secret survey link and send it on the customer's channel."""
	settings = policy.settings()
	if not settings.survey_invite or frappe.db.exists("Complaint Survey", {"complaint": complaint.name}):
		return
	key = complaint.survey_key or frappe.generate_hash(length=24)
	complaint.db_set("survey_key", key, update_modified=False)
	template = (
		settings.survey_invite_text_zh
		if customer_messages.language(complaint) == "zh"
		else settings.survey_invite_text
	)
	text = templates.render(
		template or "", {"name": complaint.name, "link": get_url(f"/complaint-survey?key={key}")}
	)
	with customer_messages.speaking(complaint):
		subject = _("How did we handle complaint {0}?").format(complaint.name)
	with suppress(customer_messages.NotSent):  # the timeline's Communication says why
		customer_messages.send(complaint, subject=subject, text=text)


def by_key(key: str | None) -> str | None:
	"""The closed complaint a survey link belongs to, or None."""
	if not key or len(key) < 16:
		return None
	return frappe.db.get_value(
		"Complaint", {"survey_key": key, "workflow_state": policy.settings().closed_state}
	)


# the longest comment a customer's survey page takes (its text box stops there too)
COMMENT_MAX_CHARS = 2000


def answer(key: str, efficiency: int, solution: int, comment: str | None) -> str:
	complaint = by_key(key)
	if not complaint:
		frappe.throw(_("This survey link is not valid any more"), title=_("Survey not found"))
	survey = frappe.get_doc(
		{
			"doctype": "Complaint Survey",
			"complaint": complaint,
			"method": PORTAL_METHOD,
			"efficiency_score": efficiency,
			"solution_score": solution,
			"comment": (comment or "").strip()[:COMMENT_MAX_CHARS],
		}
	)
	survey.flags.answered_by_customer = True
	survey.insert(ignore_permissions=True)
	return survey.name
