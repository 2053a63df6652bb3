"""What triage suggests for a complaint's words: type, priority, signals and anger, each with its
confidence and the words behind it; applied at intake when the customer gave no type; and the
agent's acceptance or override recorded for the live accuracy report."""

from __future__ import annotations

import frappe
from frappe import _
from frappe.query_builder.functions import Coalesce, Count
from frappe.utils import now_datetime

from complaint_mgmt.engine import triage as triage_rules
from complaint_mgmt.engine.triage_text import features, normalise
from complaint_mgmt.services import policy, triage, triage_model


def labelled_count() -> int:
	c = frappe.qb.DocType("Complaint")
	return (
		frappe.qb.from_(c)
		.select(Count("*"))
		.where(c.closed_at.isnotnull())
		.where(Coalesce(c.complaint_type, "") != "")
		.run()[0][0]
	)


def mode_note(record, type_model) -> str:
	"""Said plainly: whether the suggestions are learned or come from the rules alone, and why."""
	s = triage.settings()
	if type_model:
		return _("Learned from {0} closed complaints ({1} % right on held-out complaints)").format(
			record.labelled_complaints, record.type_accuracy
		)
	if record:
		return _("Rules only: the latest model ({0}) was not more accurate than the rules").format(
			record.name
		)
	return _("Rules only: the site has {0} closed complaints with a type; learning starts at {1}").format(
		labelled_count(), s.min_labelled_complaints
	)


def type_suggestion(rules, type_model, grams, text: str, norm: str) -> dict | None:
	if type_model:
		guess = type_model.predict(grams, text=norm)
		if guess.confidence * 100 >= triage.settings().min_confidence:
			return {
				"value": guess.label,
				"confidence": round(guess.confidence * 100),
				"words": list(guess.words),
				"source": "Model",
			}
	hint = rules.type(text)
	if not hint:
		return None
	# the rules' confidence: the share of all type-hint words found that point to this type
	found = triage_rules.matches(norm, rules.lexicons, "Type Hint")
	total = sum(len(w) for m in found for w in m.words) or 1
	return {
		"value": hint.lexicon.complaint_type,
		"confidence": round(100 * sum(len(w) for w in hint.words) / total),
		"words": list(hint.words),
		"source": "Rules",
	}


def suggest(
	subject: str | None, description: str | None, channel: str | None, with_note: bool = True
) -> dict:
	text = triage.text_of(subject, description)
	norm = normalise(text)
	record, type_model, priority_model = triage_model.current()
	rules = triage_model.Rules()
	found, anger = triage.read_text(text)
	decision, sources = rules.priority(text, channel, found)
	grams = features(subject, description, channel)
	kind = type_suggestion(rules, type_model, grams, text, norm)
	if kind:
		kind["label"] = _(kind["value"])
	result = {
		"mode": "model" if type_model else "rules",
		"note": mode_note(record, type_model) if with_note else "",
		"type": kind,
		"priority": {
			"value": decision.priority,
			"label": _(decision.priority),
			"reasons": triage.reasons(decision, sources),
			"source": "Rules",
		},
		"expected_priority": None,
		"signals": [{"signal": _(m.lexicon.name), "words": list(m.words)} for m in found],
		"anger": {"level": anger.level, "words": list(anger.words)},
	}
	if priority_model:
		guess = priority_model.predict(grams, text=norm)
		result["expected_priority"] = {
			"value": guess.label,
			"label": _(guess.label),
			"confidence": round(guess.confidence * 100),
			"words": list(guess.words),
			"source": "Model",
		}
	return result


def apply_at_intake(doc) -> None:
	"""A complaint that arrives without a type (portal, API) gets the suggested one."""
	s = triage.settings()
	if doc.complaint_type or not doc.is_new() or not s.apply_at_intake:
		return
	channel = doc.channel or (policy.settings().portal_channel if frappe.flags.in_web_form else None)
	kind = suggest(doc.subject, doc.description, channel, with_note=False)["type"]
	if not (kind and frappe.db.get_value("Complaint Type", kind["value"], "enabled")):
		if not s.fallback_type:
			return
		kind = {"value": s.fallback_type, "source": "None", "confidence": 0}
	doc.complaint_type = kind["value"]
	doc.flags.triage_applied = kind


def record_feedback(doc) -> None:
	"""After insert: whether the type chosen is the one suggested (accepted) or not (overridden),
	or was filled in by triage itself. Later changes of an applied type count as overrides."""
	if not doc.complaint_type:
		return
	if doc.flags.triage_applied:
		_record(doc, doc.flags.triage_applied, "Applied at Intake")
		return
	kind = suggest(doc.subject, doc.description, doc.channel, with_note=False)["type"]
	if kind:
		_record(doc, kind, "Accepted" if kind["value"] == doc.complaint_type else "Overridden")


def record_change(doc) -> None:
	"""On update: an agent replacing a type that triage applied overrides the suggestion."""
	before = doc.get_doc_before_save()
	if not before or before.complaint_type == doc.complaint_type:
		return
	applied = frappe.db.get_value(
		"Complaint Triage Feedback",
		{"complaint": doc.name, "outcome": "Applied at Intake", "suggested_type": before.complaint_type},
		["source", "confidence"],
		as_dict=True,
	)
	if applied:
		kind = {"value": before.complaint_type, "source": applied.source, "confidence": applied.confidence}
		_record(doc, kind, "Overridden")


def _record(doc, kind: dict, outcome: str) -> None:
	frappe.get_doc(
		{
			"doctype": "Complaint Triage Feedback",
			"complaint": doc.name,
			"outcome": outcome,
			"source": kind["source"],
			"suggested_type": kind["value"],
			"confidence": kind["confidence"],
			"chosen_type": doc.complaint_type,
			"recorded_by": frappe.session.user,
			"recorded_at": now_datetime(),
		}
	).insert(ignore_permissions=True)
