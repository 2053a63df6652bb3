"""Clocks of a complaint recorded after the fact: judged by their recorded times."""

from __future__ import annotations

from datetime import datetime, timedelta

from complaint_mgmt.engine.calendar import BusinessCalendar
from complaint_mgmt.engine.escalation import TRIGGER_AFTER_BREACH, TRIGGER_PERCENT, EscalationLevel
from complaint_mgmt.engine.sla_history import clocks_of, overall_status

H = timedelta(hours=1)
RECEIVED = datetime(2026, 3, 2, 10, 0)
NOW = datetime(2026, 3, 31, 12, 0)
TARGETS = {"Acknowledge": 2 * H, "Assign": 8 * H, "Investigation Report": 72 * H, "Resolution": 120 * H}
LEVELS = (
	EscalationLevel(1, TRIGGER_PERCENT, 75, ("notify",)),
	EscalationLevel(2, TRIGGER_AFTER_BREACH, 0, ("notify",)),
	EscalationLevel(3, TRIGGER_AFTER_BREACH, 60, ("notify",)),
)


def clocks(now=NOW, **record):
	record = {"received_at": RECEIVED, "workflow_state": "Investigating", **record}
	found = clocks_of(
		record,
		TARGETS,
		cal=BusinessCalendar.always(),
		at_risk_percent=75,
		levels={m: LEVELS for m in TARGETS},
		closed_state="Closed",
		rejected_state="Rejected",
		now=now,
	)
	return {c.milestone: c for c in found}


def test_a_clock_met_in_time_is_met_and_a_late_one_breached():
	found = clocks(acknowledged_at=RECEIVED + H, assigned_at=RECEIVED + 9 * H)
	assert found["Acknowledge"].status == "Met"
	assert found["Acknowledge"].due_at == RECEIVED + 2 * H
	assert found["Assign"].status == "Breached"
	assert found["Assign"].met_at == RECEIVED + 9 * H
	assert found["Assign"].next_escalation_at is None


def test_a_closed_complaint_meets_investigation_and_resolution_at_its_closing():
	closed = RECEIVED + 30 * H
	found = clocks(workflow_state="Closed", closed_at=closed, acknowledged_at=RECEIVED, assigned_at=RECEIVED)
	assert {c.status for c in found.values()} == {"Met"}
	assert found["Resolution"].met_at == closed
	assert overall_status([c.status for c in found.values()]) == "Met"


def test_open_clocks_are_judged_now_and_keep_escalating():
	now = RECEIVED + 60 * H  # investigation: 72 h target, at risk from 54 h
	found = clocks(now=now, acknowledged_at=RECEIVED, assigned_at=RECEIVED)
	report = found["Investigation Report"]
	assert report.status == "At Risk"
	assert report.escalation_level == 1
	assert report.fired == ((1, RECEIVED + 54 * H),)
	assert report.next_escalation_at == RECEIVED + 72 * H  # level 2 at the breach, still to come
	assert overall_status([c.status for c in found.values()]) == "At Risk"


def test_a_late_clock_counts_the_levels_reached_before_it_was_met():
	found = clocks(acknowledged_at=RECEIVED + 4 * H)  # 2 h target: 75 %, breach and breach + 1 h passed
	assert found["Acknowledge"].escalation_level == 3
	assert [level for level, _ in found["Acknowledge"].fired] == [1, 2, 3]


def test_a_rejected_complaint_stops_its_open_clocks_at_the_rejection():
	rejected = RECEIVED + 5 * H
	found = clocks(
		workflow_state="Rejected", rejected_at=rejected, acknowledged_at=RECEIVED + H, assigned_at=None
	)
	assert found["Acknowledge"].status == "Met"
	assert found["Assign"].status == "Paused"  # 8 h target, stopped after 5 h: never breaches
	assert found["Assign"].next_escalation_at is None
	assert found["Resolution"].status == "Paused"
	late = clocks(workflow_state="Rejected", rejected_at=RECEIVED + 9 * H, acknowledged_at=RECEIVED)
	assert late["Assign"].status == "Breached"  # the deadline had passed before the rejection


def test_the_complaints_sla_summary_is_its_worst_open_clock():
	assert overall_status(["Met", "On Track", "At Risk", "Paused"]) == "At Risk"
	assert overall_status(["Breached", "At Risk"]) == "Breached"
	assert overall_status(["Met", "Paused", "On Track"]) == "Paused"
	# a stopped or met clock is not open: it only counts when nothing is
	assert overall_status(["Stopped", "On Track"]) == "On Track"
	assert overall_status(["Stopped", "Met"]) == "Stopped"
	assert overall_status(["Met", "Met"]) == "Met"
	assert overall_status([]) == ""
