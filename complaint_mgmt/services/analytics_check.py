"""The rollup's rows computed the slow way, from the raw records (get_all + Python), and a check
that the stored rollup equals them.

``bench --site S execute complaint_mgmt.services.analytics_check.verify --kwargs
"{'from_date': '2026-03-01', 'to_date': '2026-03-31'}"`` lists the rows that differ (none: []).
The benchmark times the same computation as the baseline the reports are compared with.
"""

from __future__ import annotations

from datetime import datetime

import frappe
from frappe.utils import add_days, get_datetime, getdate, now_datetime

from complaint_mgmt.engine.analytics import MEASURES, MILESTONE_KEYS
from complaint_mgmt.services.analytics import (
	COUNTED_COMPENSATION_STATES,
	DIMENSIONS,
	GRAINS,
	STAT,
	reopen_names,
)


def _by_complaint(doctype: str, field: str, names: list[str], fields: list[str], **filters) -> dict:
	found: dict[str, list] = {}
	for start in range(0, len(names), 1000):
		for row in frappe.get_all(
			doctype, filters={field: ["in", names[start : start + 1000]], **filters}, fields=[field, *fields]
		):
			found.setdefault(row[field], []).append(row)
	return found


def _clock_outcomes(row, now: datetime) -> tuple[bool, bool]:
	due = row.due_at and get_datetime(row.due_at)
	if not due:
		return False, False
	met_at = row.met_at and get_datetime(row.met_at)
	ended = met_at or (row.stopped_at and get_datetime(row.stopped_at))
	met = bool(met_at and met_at <= due)
	late = bool(ended and ended > due) or (not ended and row.status != "Paused" and due <= now)
	return met, late


def complaint_facts(start, end, now: datetime | None = None) -> list[dict]:
	"""One dict per complaint received in [start, end): its dimensions and its measures."""
	now = now or now_datetime()
	complaints = frappe.get_all(
		"Complaint",
		filters=[["received_at", ">=", get_datetime(start)], ["received_at", "<", get_datetime(end)]],
		fields=[
			"name", "received_at", "complaint_type", "channel", "priority", "department", "lead_owner",
			"route", "origin_branch", "region", "closed_at", "acknowledged_at",
		],
	)  # fmt: skip
	names = [c.name for c in complaints]
	clocks = _by_complaint(
		"Complaint Milestone", "parent", names, ["milestone", "met_at", "stopped_at", "due_at", "status"],
		parenttype="Complaint",
	)  # fmt: skip
	surveys = _by_complaint(
		"Complaint Survey", "complaint", names, ["efficiency_score", "solution_score", "low_score"]
	)
	compensations = _by_complaint(
		"Compensation",
		"complaint",
		names,
		["total_amount"],
		workflow_state=["in", COUNTED_COMPENSATION_STATES],
	)
	escalations = _by_complaint("Complaint Escalation", "complaint", names, ["name"])
	investigations = _by_complaint(
		"Complaint Investigation", "complaint", names, ["liability", "responsible_node"]
	)
	reopens = _by_complaint(
		"Comment", "reference_name", names, ["name"], reference_doctype="Complaint", comment_type="Workflow",
		content=["in", reopen_names()],
	)  # fmt: skip
	keys = {name: key for key, name in MILESTONE_KEYS}
	facts = []
	for c in complaints:
		received = get_datetime(c.received_at)
		fact = dict.fromkeys(MEASURES, 0)
		fact.update(received=1, day=getdate(received))
		if c.closed_at:
			fact["closed"] = 1
			fact["handling_minutes"] = int((get_datetime(c.closed_at) - received).total_seconds()) / 60
		if c.acknowledged_at:
			fact["responded"] = 1
			fact["response_minutes"] = int((get_datetime(c.acknowledged_at) - received).total_seconds()) / 60
		for clock in clocks.get(c.name, []):
			met, late = _clock_outcomes(clock, now)
			fact[f"{keys[clock.milestone]}_met"] += met
			fact[f"{keys[clock.milestone]}_breached"] += late
		for survey in surveys.get(c.name, []):
			fact["surveyed"] += 1
			fact["efficiency_score"] += survey.efficiency_score or 0
			fact["solution_score"] += survey.solution_score or 0
			fact["low_scores"] += survey.low_score or 0
		for paid in compensations.get(c.name, []):
			fact["compensations"] += 1
			fact["compensation_amount"] += paid.total_amount or 0
		fact["escalations"] = len(escalations.get(c.name, []))
		fact["reopened"] = len(reopens.get(c.name, []))
		found = investigations.get(c.name, [])
		fact["i.liability"] = max((i.liability or "" for i in found), default="")
		fact["i.responsible_node"] = max((i.responsible_node or "" for i in found), default="")
		for field in (
			"complaint_type",
			"channel",
			"priority",
			"department",
			"lead_owner",
			"route",
			"origin_branch",
			"region",
		):
			fact[f"c.{field}"] = c.get(field) or ""
		facts.append(fact)
	return facts


def raw_rows(start, end, now: datetime | None = None) -> dict[tuple, dict]:
	"""What the rollup should hold for [start, end), keyed by (day, grain, dimensions…)."""
	rows: dict[tuple, dict] = {}
	for fact in complaint_facts(start, end, now):
		for grain, dims in GRAINS.items():
			values = {dim: fact[expr] for dim, expr in dims.items()}
			key = (str(fact["day"]), grain, *(values.get(dim, "") for dim in DIMENSIONS))
			row = rows.setdefault(key, dict.fromkeys(MEASURES, 0))
			for measure in MEASURES:
				row[measure] += fact[measure]
	return rows


def stored_rows(start, end) -> dict[tuple, dict]:
	stat = frappe.qb.DocType(STAT)
	found = (
		frappe.qb.from_(stat)
		.select(stat.day, stat.grain, *(stat[d] for d in DIMENSIONS), *(stat[m] for m in MEASURES))
		.where(stat.grain.isin(list(GRAINS)))
		.where(stat.day >= getdate(start))
		.where(stat.day < getdate(end))
		.run(as_dict=True)
	)
	return {
		(str(r.day), r.grain, *(r[d] or "" for d in DIMENSIONS)): {m: r[m] for m in MEASURES} for r in found
	}


def verify(from_date: str, to_date: str, now: datetime | None = None) -> list[dict]:
	"""Rows where the rollup and the raw records disagree, for the days from_date…to_date."""
	end = add_days(getdate(to_date), 1)
	expected, stored = raw_rows(getdate(from_date), end, now), stored_rows(getdate(from_date), end)
	differences = []
	for key in sorted(set(expected) | set(stored)):
		want, have = expected.get(key), stored.get(key)
		if want is None or have is None or any(abs((want[m] or 0) - (have[m] or 0)) > 0.02 for m in MEASURES):
			differences.append({"key": key, "expected": want, "stored": have})
	return differences
