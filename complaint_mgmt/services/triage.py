"""Triage by the lexicons on a complaint: the signals its words give the priority rules, and anger."""

from __future__ import annotations

import frappe
from frappe import _

from complaint_mgmt.engine import triage as triage_rules

CACHE_KEY = "complaint_triage_lexicons"


def settings():
	return frappe.get_cached_doc("Complaint Triage Settings")


def lexicons() -> list[triage_rules.Lexicon]:
	"""The enabled lexicons, cached (parsed: their words split and normalised once) until one is
	saved or deleted."""
	known = frappe.cache().get_value(CACHE_KEY)
	if known is None:
		rows = frappe.get_all(
			"Complaint Triage Lexicon",
			filters={"enabled": 1},
			fields=["lexicon_name", "kind", "words", "fact", "value", "complaint_type", "weight"],
			order_by="creation asc",
		)
		known = triage_rules.coerce(rows)
		frappe.cache().set_value(CACHE_KEY, known)
	return triage_rules.coerce(known)


def forget_lexicons() -> None:
	frappe.cache().delete_value(CACHE_KEY)


def anger_thresholds() -> tuple[float, float, float]:
	s = settings()
	return (s.anger_level_1_points, s.anger_level_2_points, s.anger_level_3_points)


def text_of(subject: str | None, description: str | None) -> str:
	return f"{subject or ''}\n{description or ''}"


def read_text(text: str) -> tuple[list[triage_rules.Match], triage_rules.Anger]:
	"""The signals and the anger in a complaint's words."""
	known = lexicons()
	return triage_rules.signals(text, known), triage_rules.anger(text, known, anger_thresholds())


def describe(found: list[triage_rules.Match], anger: triage_rules.Anger) -> str:
	"""One line per signal, with the words that gave it: what the form shows."""
	lines = [f"{_(match.lexicon.name)}: {'、'.join(match.words)}" for match in found]
	if anger.level:
		lines.append(_("Anger {0}: {1}").format(anger.level, "、".join(anger.words)))
	return "\n".join(lines)


def text_facts(doc, facts: dict) -> dict:
	"""The complaint's priority facts with what its words say added (never taken away); records the
	anger level and the signals on the complaint, and which fact came from which words."""
	found, anger = read_text(text_of(doc.subject, doc.description))
	doc.anger_level = anger.level
	doc.triage_signals = describe(found, anger)
	merged, sources = triage_rules.merge_facts(facts, found)
	merged["anger_level"] = anger.level
	doc.flags.triage_sources = sources
	return merged


def reasons(decision, sources: dict | None) -> list[str]:
	"""The decision's reasons, each followed by the words of the text it came from, if any."""
	result = []
	for rule in decision.matched:
		reason = _(rule.describe())
		match = (sources or {}).get(rule.field)
		if match:
			reason = _("{0} (the customer wrote: {1})").format(reason, "、".join(match.words))
		if reason not in result:
			result.append(reason)
	return result
