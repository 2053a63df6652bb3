"""A complaint's priority: the rules' answer with its reasons, automatic raises, and changes by hand."""

from __future__ import annotations

import frappe
from frappe import _
from frappe.utils import now_datetime

from complaint_mgmt.engine import priority as priority_rules
from complaint_mgmt.engine.errors import PolicyViolation
from complaint_mgmt.services import policy, triage
from complaint_mgmt.services.errors import throw_policy

PRIORITY_FACTS = (
	"goods_category",
	"group_size",
	"media_involved",
	"regulator_involved",
	"regulator_intent",
	"complaint_category",
	"complaint_type",
	"insured_value",
	"declared_value",
	"goods_value",
	"channel",
	"customer_tier",
	"force_majeure",
	"service_type",
	"legal_threat",
	"repeat_complaint",
	"priority_service",
)


def priority_facts(doc) -> dict:
	"""The complaint's fields the rules read, with what the customer's words say added."""
	return triage.text_facts(doc, {field: doc.get(field) for field in PRIORITY_FACTS})


def apply_priority(doc) -> None:
	"""Set the priority the rules give; automatic changes only ever raise it."""
	levels = policy.priority_levels()
	decision = priority_rules.evaluate_priority(priority_facts(doc), policy.priority_rules(), levels)
	computed, reasons = decision.priority, triage.reasons(decision, doc.flags.triage_sources)
	type_priority = policy.type_details(doc.complaint_type).get("default_priority")
	if type_priority and priority_rules.rank(type_priority, levels) < priority_rules.rank(computed, levels):
		computed, reasons = type_priority, [_("Default priority of type {0}").format(_(doc.complaint_type))]
	elif type_priority == computed:
		reasons.append(_("Default priority of type {0}").format(_(doc.complaint_type)))

	previous_computed = doc.auto_priority
	doc.auto_priority = computed
	doc.priority_reason = "\n".join(_(r) for r in reasons) or _("No rule matched: default priority")
	current = None if doc.is_new() else doc.priority  # a new complaint takes the rules' answer
	if current is None:
		new = computed
	elif previous_computed == computed:
		return  # facts did not change the rules' answer: keep a supervisor's decision
	else:
		new = priority_rules.apply_automatic(current, computed, levels)
	if new != current:
		if current:
			log_priority_change(doc, current, new, automatic=True, reason=doc.priority_reason)
		doc.priority = new


def log_priority_change(doc, old: str, new: str, *, automatic: bool, reason: str) -> None:
	doc.append(
		"priority_changes",
		{
			"from_priority": old,
			"to_priority": new,
			"automatic": 1 if automatic else 0,
			"reason": reason,
			"changed_by": frappe.session.user,
			"changed_at": now_datetime(),
		},
	)


def change_priority(doc, new: str, reason: str | None) -> None:
	"""A person changes the priority: raising is always allowed, lowering needs the role and a reason."""
	levels = policy.priority_levels()
	if new not in levels:
		frappe.throw(_("Unknown priority {0}").format(new))
	lowering_role = policy.settings().priority_lowering_role
	try:
		priority_rules.check_manual_change(
			doc.priority,
			new,
			may_lower=lowering_role in frappe.get_roles(),
			reason=reason,
			levels=levels,
			lowering_role=_(lowering_role),
		)
	except PolicyViolation as error:
		throw_policy(error)
	if new == doc.priority:
		return
	log_priority_change(doc, doc.priority, new, automatic=False, reason=reason or "")
	doc.priority = new


def raise_for_incident(doc, incident: str) -> None:
	"""A new complaint that makes or joins a group incident takes the top priority (logged)."""
	top = policy.priority_levels()[0]
	if doc.priority and doc.priority != top:
		reason = _("Part of group incident {0}").format(incident)
		log_priority_change(doc, doc.priority, top, automatic=True, reason=reason)
	doc.priority = doc.auto_priority = top
