"""What terminal states, reopening, pauses and objections do to a milestone clock."""

from __future__ import annotations

from datetime import timedelta

from complaint_mgmt.engine.clocks import ClockState, apply_state, objection_allowed, should_pause
from complaint_mgmt.engine.escalation import next_trigger
from complaint_mgmt.engine.sla import STATUS_MET, STATUS_STOPPED, Pause
from tests.factories.sla import MONDAY, EscalationLevelFactory, MilestoneClockFactory

H = timedelta(hours=1)
NINE = MONDAY.replace(hour=9)


def test_a_terminal_state_stops_an_unmet_clock_at_that_moment():
	stopped = apply_state("Resolution", ClockState(), terminal=True, now=NINE + 3 * H)
	assert stopped.stopped_at == NINE + 3 * H and stopped.met_at is None


def test_a_met_clock_and_the_survey_clock_keep_running_past_closure():
	met = ClockState(met_at=NINE)
	assert apply_state("Acknowledge", met, terminal=True, now=NINE + H) == met
	assert apply_state("Survey", ClockState(), terminal=True, now=NINE + H) == ClockState()


def test_staying_terminal_keeps_the_first_stop_time():
	stopped = ClockState(stopped_at=NINE)
	assert apply_state("Resolution", stopped, terminal=True, now=NINE + 5 * H) == stopped


def test_reopening_resumes_the_clock_with_the_terminal_time_as_a_pause():
	earlier = Pause(NINE - 2 * H, NINE - H)
	resumed = apply_state(
		"Resolution", ClockState(stopped_at=NINE, pauses=(earlier,)), terminal=False, now=NINE + 10 * H
	)
	assert resumed == ClockState(None, None, (earlier, Pause(NINE, NINE + 10 * H)))


def test_a_stopped_clock_is_stopped_not_breached_and_never_escalates():
	clock = MilestoneClockFactory(started_at=NINE, target=4 * H, stopped_at=NINE + H)
	state = clock.evaluate(NINE + 10 * H, at_risk_percent=75)
	assert state.status == STATUS_STOPPED and not state.breached
	assert state.elapsed == H  # no time counts after the stop
	assert next_trigger([EscalationLevelFactory(level=1)], set(), clock, NINE + 10 * H) is None


def test_a_clock_stopped_after_its_deadline_stays_recorded_as_breached():
	clock = MilestoneClockFactory(started_at=NINE, target=4 * H, stopped_at=NINE + 5 * H)
	state = clock.evaluate(NINE + 10 * H, at_risk_percent=75)
	assert state.status == STATUS_STOPPED and state.breached


def test_a_met_clock_stays_met_even_if_a_stop_time_is_recorded():
	clock = MilestoneClockFactory(started_at=NINE, target=4 * H, met_at=NINE + H, stopped_at=NINE + 2 * H)
	assert clock.evaluate(NINE + 10 * H, at_risk_percent=75).status == STATUS_MET


def test_the_objection_clock_is_never_paused_by_the_complaint_state():
	assert should_pause("Investigation Report", state_pauses=True)
	assert not should_pause("Objection Re-evaluation", state_pauses=True)
	assert not should_pause("Investigation Report", state_pauses=False)


def test_no_objection_once_the_compensation_is_paid_or_abandoned():
	for state in ("Paying", "Paid", "Rejected", "Cancelled"):
		assert not objection_allowed(state), state
	for state in ("Draft", "Pending Approval", "Approved", None):
		assert objection_allowed(state), state
