"""SLA milestones on a complaint: load the policy, ask the engine, store the answer.

Each milestone is a row of the complaint's ``milestones`` table with its due time, status and
the moment its next escalation level fires (``next_escalation_at``), all in indexed columns, so
the sweep job reads only the rows whose moment has come.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta

import frappe
from frappe.utils import get_datetime, get_system_timezone, now_datetime

from complaint_mgmt.engine import clocks as clock_states
from complaint_mgmt.engine import escalation as esc
from complaint_mgmt.engine import sla as clock_rules
from complaint_mgmt.engine.calendar import BusinessCalendar, from_calendar_time, to_calendar_time
from complaint_mgmt.engine.errors import PolicyViolation
from complaint_mgmt.engine.sla_history import overall_status
from complaint_mgmt.services import policy, sla_policy

OPEN_FROM_RECEIPT = ("Acknowledge", "Assign", "Investigation Report", "Resolution")


# ------------------------------------------------------------------ clocks
def _pauses(row) -> list[clock_rules.Pause]:
	return [
		clock_rules.Pause(get_datetime(start), get_datetime(end) if end else None)
		for start, end in json.loads(row.pauses or "[]")
	]


class Clock:
	"""A milestone row seen through its calendar (converting to and from the calendar's zone)."""

	def __init__(self, row, cal: BusinessCalendar, tz: str | None):
		self.row, self.cal = row, cal
		self.system_tz = get_system_timezone()
		self.tz = tz if tz and tz != self.system_tz else None

	def local(self, dt: datetime | None) -> datetime | None:
		if dt is None:
			return None
		dt = get_datetime(dt)
		return to_calendar_time(dt, self.system_tz, self.tz) if self.tz else dt

	def system(self, dt: datetime | None) -> datetime | None:
		if dt is None:
			return None
		return from_calendar_time(dt, self.system_tz, self.tz) if self.tz else dt

	def engine_clock(self) -> clock_rules.MilestoneClock:
		pauses = [clock_rules.Pause(self.local(p.start), self.local(p.end)) for p in _pauses(self.row)]
		return clock_rules.MilestoneClock(
			self.cal,
			self.local(self.row.started_at),
			timedelta(minutes=self.row.target_minutes or 0),
			tuple(pauses),
			self.local(self.row.met_at),
			self.local(self.row.get("stopped_at")),
		)


def evaluate(row, cal, tz, at_risk_percent: float, levels, now: datetime) -> None:
	"""Recompute a row's due time, status and next escalation moment in place."""
	clock = Clock(row, cal, tz)
	engine_clock = clock.engine_clock()
	local_now = clock.local(now)
	state = engine_clock.evaluate(local_now, at_risk_percent=at_risk_percent or 100)
	row.status = state.status
	row.due_at = clock.system(state.due_at)
	row.at_risk_at = clock.system(state.at_risk_at)
	row.paused_minutes = round(state.paused.total_seconds() / 60, 2)
	applied = set(range(1, (row.escalation_level or 0) + 1))
	upcoming = (
		esc.next_trigger(levels, applied, engine_clock, local_now)
		if levels and not (row.met_at or row.get("stopped_at"))
		else None
	)
	row.next_escalation_at = clock.system(upcoming[1]) if upcoming else None


def _met_at(doc, milestone: str, settings, now: datetime) -> datetime | None:
	state = doc.workflow_state
	done = {settings.resolution_met_state, settings.closed_state}
	reached = (doc.closed_at or now) if state == settings.closed_state else now
	if milestone == "Acknowledge":
		return doc.acknowledged_at
	if milestone == "Assign":
		return doc.assigned_at
	if milestone == "Investigation Report":
		# a complaint being recorded has no investigation yet
		submitted = not doc.is_new() and frappe.db.get_value(
			"Complaint Investigation", {"complaint": doc.name}, "report_submitted_at"
		)
		return submitted or (reached if state in done | {settings.investigation_met_state} else None)
	if milestone == "Resolution":
		return reached if state in done else None
	if milestone == "Survey" and not doc.is_new():
		return frappe.db.get_value("Complaint Survey", {"complaint": doc.name}, "surveyed_at")
	return None


def sync(doc, now: datetime | None = None) -> None:
	"""Bring the complaint's milestone rows in line with its state, priority and policy."""
	now = now or now_datetime()
	settings = policy.settings()
	chosen = sla_policy.select_policy(doc)
	if not chosen:
		doc.sla_status = ""
		return
	doc.sla_policy = chosen.name
	wanted = sla_policy.targets(chosen.name, doc.priority)
	cal, tz = sla_policy.calendar(chosen.calendar)
	paused_now = doc.workflow_state in sla_policy.pause_states(chosen.name)
	terminal = doc.workflow_state in policy.terminal_states()
	rows = {row.milestone: row for row in doc.milestones}

	for milestone in OPEN_FROM_RECEIPT:
		if milestone in wanted and milestone not in rows:
			rows[milestone] = doc.append(
				"milestones", {"milestone": milestone, "started_at": doc.received_at, "escalation_level": 0}
			)
	if (
		"Survey" in wanted
		and "Survey" not in rows
		and doc.closed_at
		and doc.workflow_state == settings.closed_state
	):
		# the customer is asked within N days of closure (SPEC §7)
		rows["Survey"] = doc.append(
			"milestones", {"milestone": "Survey", "started_at": doc.closed_at, "escalation_level": 0}
		)
	before = doc.get_doc_before_save()
	if "Objection Re-evaluation" in wanted and before and before.workflow_state != doc.workflow_state:
		objection = rows.get("Objection Re-evaluation")
		if (
			doc.workflow_state == settings.objection_state
			and before.workflow_state == settings.awaiting_customer_state
			and not running(objection)
		):
			# the workflow's "customer objected" step: the same single clock as an objection on a compensation
			rows["Objection Re-evaluation"] = restart(doc, "Objection Re-evaluation", now)
		elif doc.workflow_state == settings.investigation_met_state and running(objection):
			objection.met_at = now  # a solution proposed again after the objection

	for milestone, row in rows.items():
		if milestone in wanted:
			row.target_minutes = int(wanted[milestone].total_seconds() // 60) + _extension_minutes(row)
		row.policy = chosen.name
		if not row.met_at:
			met = _met_at(doc, milestone, settings, now)
			if met:
				row.met_at = met
		apply_state(row, terminal, now)
		pause = clock_states.should_pause(milestone, state_pauses=paused_now)
		_update_pause(row, pause and not (row.met_at or row.stopped_at), now)
		_, levels, _ = sla_policy.escalation_levels(milestone, doc.priority)
		evaluate(row, cal, tz, chosen.at_risk_percent, levels, now)
	doc.sla_status = overall_status([r.status for r in doc.milestones])


def apply_state(row, terminal: bool, now: datetime) -> None:
	"""Stop the row's clock in a terminal state, resume it when the complaint leaves one."""
	before = clock_states.ClockState(
		get_datetime(row.met_at) if row.met_at else None,
		get_datetime(row.stopped_at) if row.stopped_at else None,
		tuple(_pauses(row)),
	)
	after = clock_states.apply_state(row.milestone, before, terminal=terminal, now=now)
	if after != before:
		row.stopped_at = after.stopped_at
		row.pauses = json.dumps([[str(p.start), str(p.end) if p.end else None] for p in after.pauses])


def _extension_minutes(row) -> int:
	return int(row.extended_minutes or 0)


def _update_pause(row, should_pause: bool, now: datetime) -> None:
	pauses = json.loads(row.pauses or "[]")
	is_paused = bool(pauses) and pauses[-1][1] is None
	if should_pause and not is_paused:
		pauses.append([str(now), None])
	elif not should_pause and is_paused:
		pauses[-1][1] = str(now)
	row.pauses = json.dumps(pauses)


def mark(doc, now: datetime | None = None) -> None:
	"""After code changed the complaint behind the ORM's back (db_set): recompute and store rows."""
	sync(doc, now)
	for row in doc.milestones:
		if row.is_new() or not frappe.db.exists("Complaint Milestone", row.name):
			row.parent, row.parenttype, row.parentfield = doc.name, "Complaint", "milestones"
			row.db_insert()
		else:
			row.db_update()
	doc.db_set({"sla_status": doc.sla_status, "sla_policy": doc.sla_policy}, update_modified=False)


def grant_extension(doc, milestone: str, hours: float, reason: str, now: datetime | None = None) -> datetime:
	"""Extensions up to the settings' limit (one by default), only before the deadline; returns the
	new due time."""
	now = now or now_datetime()
	row = next((r for r in doc.milestones if r.milestone == milestone), None)
	if row is None:
		raise PolicyViolation("The complaint has no {milestone} deadline to extend", milestone=milestone)
	if row.stopped_at:
		raise PolicyViolation(
			"The {milestone} clock is stopped: the complaint is finished", milestone=milestone
		)
	chosen = sla_policy.select_policy(doc)
	cal, tz = sla_policy.calendar(chosen.calendar if chosen else None)
	clock = Clock(row, cal, tz)
	new_target = clock_rules.extend_deadline(
		cal=cal,
		started_at=clock.local(row.started_at),
		target=timedelta(minutes=row.target_minutes),
		now=clock.local(now),
		extension=timedelta(hours=hours),
		pauses=tuple(clock_rules.Pause(clock.local(p.start), clock.local(p.end)) for p in _pauses(row)),
		extensions_granted=row.extensions or 0,
		met_at=clock.local(row.met_at),
		max_extensions=policy.settings().max_extensions or 0,
		longest=timedelta(hours=policy.settings().max_extension_hours or 0) or None,
	)
	added = int(new_target.total_seconds() // 60) - (row.target_minutes or 0)
	row.extended_minutes = (row.extended_minutes or 0) + added
	row.extensions = (row.extensions or 0) + 1
	row.target_minutes = (row.target_minutes or 0) + added
	_, levels, _ = sla_policy.escalation_levels(milestone, doc.priority)
	evaluate(row, cal, tz, chosen.at_risk_percent if chosen else 100, levels, now)
	return row.due_at


def restart(doc, milestone: str, at: datetime):
	"""A fresh clock for ``milestone`` from ``at`` (the row is added when missing); a clock that ran
	before starts its next round, whose escalations are recorded anew."""
	row = next((r for r in doc.milestones if r.milestone == milestone), None)
	if row is None:
		row = doc.append("milestones", {"milestone": milestone})
	ran_before = bool(row.started_at)
	row.update(
		{
			"clock_round": (row.clock_round or 0) + 1 if ran_before else row.clock_round or 0,
			"started_at": at,
			"met_at": None,
			"stopped_at": None,
			"escalation_level": 0,
			"pauses": "[]",
			"extensions": 0,
			"extended_minutes": 0,
		}
	)
	return row


def running(row) -> bool:
	"""Whether a milestone row's clock is started and neither met nor stopped."""
	return bool(row and row.started_at and not row.met_at and not row.stopped_at)


def start_if_idle(doc, milestone: str, at: datetime) -> bool:
	"""Start a milestone's clock unless it is already running (a second objection starts no second
	clock); returns whether it started."""
	if running(next((r for r in doc.milestones if r.milestone == milestone), None)):
		return False
	restart(doc, milestone, at)
	mark(doc, at)
	return True


def meet(doc, milestone: str, at: datetime) -> None:
	"""A person's action meets a running milestone (an objection re-evaluated)."""
	row = next((r for r in doc.milestones if r.milestone == milestone), None)
	if running(row):
		row.met_at = at
		mark(doc, at)
