"""Learning the type and the expected priority from the site's closed complaints, and keeping the
model in the site (a *Complaint Triage Model* record), never in the code."""

from __future__ import annotations

import json
from collections.abc import Callable

import frappe
from frappe import _
from frappe.query_builder.functions import Coalesce
from frappe.utils import now_datetime

from complaint_mgmt.engine import priority as priority_rules
from complaint_mgmt.engine import triage as triage_rules
from complaint_mgmt.engine import triage_model
from complaint_mgmt.engine.triage_text import features
from complaint_mgmt.services import policy, triage

_LOADED: dict[str, tuple] = {}  # site → (record name, modified, type model, priority model)
KEEP_MODELS = 5  # older model records are deleted after a training (each holds up to a few MB)


def labelled_complaints() -> list[dict]:
	"""Closed complaints with a type: what the agents finally decided, to learn from."""
	c = frappe.qb.DocType("Complaint")
	return (
		frappe.qb.from_(c)
		.select(c.name, c.subject, c.description, c.channel, c.complaint_type, c.priority)
		.where(c.closed_at.isnotnull())
		.where(Coalesce(c.complaint_type, "") != "")
		.where(Coalesce(c.duplicate_of, "") == "")
		.orderby(c.creation)
		.run(as_dict=True)
	)


class Rules:
	"""The rules' own answers, from the words (and channel) alone: the baseline of the model and
	the suggestion when no model is in use. The records are read once."""

	def __init__(self) -> None:
		self.lexicons = triage.lexicons()
		self.rules = policy.priority_rules()
		self.levels = policy.priority_levels()

	def priority(self, text: str, channel: str | None, found=None):
		found = triage_rules.signals(text, self.lexicons) if found is None else found
		facts, sources = triage_rules.merge_facts({"channel": channel}, found)
		return priority_rules.evaluate_priority(facts, self.rules, self.levels), sources

	def type(self, text: str) -> triage_rules.Match | None:
		return triage_rules.type_hint(text, self.lexicons)


def evaluation_rows(rows: list[dict]) -> tuple[list, list]:
	"""(key, n-grams, true answer, the rules' answer) for the type and for the priority."""
	rules = Rules()
	types, priorities = [], []
	for row in rows:
		text = triage.text_of(row.subject, row.description)
		grams = features(row.subject, row.description, row.channel)
		hint = rules.type(text)
		types.append((row.name, grams, row.complaint_type, hint.lexicon.complaint_type if hint else None))
		priorities.append((row.name, grams, row.priority, rules.priority(text, row.channel)[0].priority))
	return types, priorities


def evaluate(echo: Callable[[str], None] | None = None):
	"""Held-out evaluation of the type and the priority models on the site's closed complaints,
	with the rules' accuracy on the same complaints; None when there are too few."""
	echo = echo or (lambda message: None)
	s = triage.settings()
	rows = labelled_complaints()
	if len(rows) < s.min_labelled_complaints:
		echo(
			_("Rules only: the site has {0} closed complaints with a type; learning starts at {1}").format(
				len(rows), s.min_labelled_complaints
			)
		)
		return None
	echo(f"reading {len(rows)} closed complaints")
	type_rows, priority_rows = evaluation_rows(rows)
	options = {"percent": s.holdout_percent, "min_count": s.min_ngram_count, "max_grams": s.max_ngrams}
	types = triage_model.evaluate(type_rows, on_progress=echo, **options)
	priorities = triage_model.evaluate(priority_rows, on_progress=echo, **options)
	return len(rows), types, priorities


def train(echo: Callable[[str], None] | None = None) -> dict:
	"""Train and evaluate on the site's closed complaints and store the model (`bench --site S
	execute complaint_mgmt.services.triage_model.train`, and weekly). Returns what happened."""
	result = evaluate(echo)
	if result is None:
		return {"trained": False, "labelled": len(labelled_complaints())}
	labelled, types, priorities = result
	data = json.dumps(
		{"type": types.model.to_dict(), "priority": priorities.model.to_dict()},
		ensure_ascii=False,
		separators=(",", ":"),
	)
	type_in_use = types.accuracy > types.baseline_accuracy
	priority_in_use = priorities.accuracy > priorities.baseline_accuracy
	doc = frappe.get_doc(
		{
			"doctype": "Complaint Triage Model",
			"trained_at": now_datetime(),
			"labelled_complaints": labelled,
			"trained_on": types.trained_on,
			"tested_on": types.tested_on,
			"type_accuracy": round(types.accuracy * 100, 1),
			"type_baseline": round(types.baseline_accuracy * 100, 1),
			"type_in_use": type_in_use,
			"priority_accuracy": round(priorities.accuracy * 100, 1),
			"priority_baseline": round(priorities.baseline_accuracy * 100, 1),
			"priority_in_use": priority_in_use,
			"note": use_note(type_in_use, priority_in_use),
			"confusion": "\n".join("\t".join(row) for row in triage_model.confusion_table(types.confusion)),
			"n_grams": len(types.model.grams),
			"model_kb": len(data.encode("utf-8")) // 1024,
			"model_data": data,
		}
	).insert(ignore_permissions=True)
	for old in frappe.get_all("Complaint Triage Model", order_by="creation desc", pluck="name")[KEEP_MODELS:]:
		frappe.delete_doc("Complaint Triage Model", old, ignore_permissions=True)
	message = _(
		"Model {0}: type accuracy {1} % (rules alone {2} %), priority {3} % (rules alone {4} %)"
	).format(doc.name, doc.type_accuracy, doc.type_baseline, doc.priority_accuracy, doc.priority_baseline)
	if echo:
		echo(message)
	return {
		"trained": True,
		"message": message,
		"model": doc.name,
		"type_in_use": type_in_use,
		"priority_in_use": priority_in_use,
	}


def use_note(type_in_use: bool, priority_in_use: bool) -> str:
	parts = [
		_("Type suggestions: learned (beats the rules)")
		if type_in_use
		else _("Type suggestions: rules only (the model did not beat them)"),
		_("Priority suggestions: learned (beats the rules)")
		if priority_in_use
		else _("Priority suggestions: rules only (the model did not beat them)"),
	]
	return "\n".join(parts)


def current() -> tuple[frappe._dict | None, triage_model.Model | None, triage_model.Model | None]:
	"""The latest model record and its type and priority models when in use (None when not),
	parsed once per process until a newer record is stored."""
	latest = frappe.db.get_value(
		"Complaint Triage Model",
		{},
		["name", "modified", "type_in_use", "priority_in_use", "labelled_complaints", "type_accuracy"],
		order_by="creation desc",
		as_dict=True,
	)
	if not latest:
		return None, None, None
	cached = _LOADED.get(frappe.local.site)
	if not cached or cached[:2] != (latest.name, latest.modified):
		data = json.loads(frappe.db.get_value("Complaint Triage Model", latest.name, "model_data"))
		cached = (
			latest.name,
			latest.modified,
			triage_model.Model.from_dict(data["type"]),
			triage_model.Model.from_dict(data["priority"]),
		)
		_LOADED[frappe.local.site] = cached
	return (
		latest,
		cached[2] if latest.type_in_use else None,
		cached[3] if latest.priority_in_use else None,
	)


def train_weekly() -> None:
	"""The weekly job: retrain when the settings say so."""
	if triage.settings().weekly_training:
		train()
