"""Milestone clock: statuses, pauses, deadlines and the one-time extension."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from complaint_mgmt.engine.calendar import business_time_between
from complaint_mgmt.engine.errors import PolicyViolation
from complaint_mgmt.engine.sla import (
	STATUS_AT_RISK,
	STATUS_BREACHED,
	STATUS_MET,
	STATUS_ON_TRACK,
	STATUS_PAUSED,
	STATUSES,
	Pause,
	evaluate_milestone,
	extend_deadline,
	time_when_elapsed,
)
from tests.factories.sla import (
	BusinessCalendarFactory,
	MilestoneClockFactory,
	PauseFactory,
	calendars,
	moments,
)

H = timedelta(hours=1)
M = timedelta(minutes=1)
PROPS = settings(max_examples=200, deadline=None)
AT_RISK = 80


def dt(*args: int) -> datetime:
	return datetime(*args)


@pytest.fixture
def always():
	return BusinessCalendarFactory(always=True)


@pytest.fixture
def office():
	return BusinessCalendarFactory()


def four_hours(cal, now, **kwargs):
	"""A 4-hour milestone started Monday 3 March 2025 09:00."""
	return evaluate_milestone(
		cal=cal, started_at=dt(2025, 3, 3, 9), target=4 * H, now=now, at_risk_percent=AT_RISK, **kwargs
	)


# -- statuses --------------------------------------------------------------------------------------


def test_statuses_are_the_six_known_labels():
	assert set(STATUSES) == {"On Track", "At Risk", "Breached", "Met", "Paused", "Stopped"}


def test_on_track(always):
	state = four_hours(always, dt(2025, 3, 3, 10))
	assert state.status == STATUS_ON_TRACK
	assert state.due_at == dt(2025, 3, 3, 13)
	assert state.at_risk_at == dt(2025, 3, 3, 12, 12)
	assert (state.elapsed, state.remaining, state.overdue) == (H, 3 * H, timedelta(0))
	assert state.percent_used == 25.0
	assert not state.breached and not state.is_paused


def test_at_risk_from_the_threshold_until_the_deadline_itself(always):
	assert four_hours(always, dt(2025, 3, 3, 12, 11)).status == STATUS_ON_TRACK
	assert four_hours(always, dt(2025, 3, 3, 12, 12)).status == STATUS_AT_RISK
	at_due = four_hours(always, dt(2025, 3, 3, 13))
	assert at_due.status == STATUS_AT_RISK
	assert not at_due.breached


def test_breached_after_the_deadline(always):
	state = four_hours(always, dt(2025, 3, 3, 13, 0, 1))
	assert state.status == STATUS_BREACHED
	assert state.breached
	assert state.overdue == timedelta(seconds=1)
	assert state.remaining == timedelta(0)
	assert state.percent_used > 100


def test_met_on_time_freezes_the_clock(always):
	state = four_hours(always, dt(2025, 3, 5, 9), met_at=dt(2025, 3, 3, 12, 30))
	assert state.status == STATUS_MET
	assert state.elapsed == 3 * H + 30 * M
	assert state.percent_used == 87.5
	assert not state.met_late and not state.breached


def test_met_exactly_at_the_deadline_is_on_time(always):
	state = four_hours(always, dt(2025, 3, 5, 9), met_at=dt(2025, 3, 3, 13))
	assert state.status == STATUS_MET
	assert not state.met_late


def test_met_late_is_met_but_breached(always):
	state = four_hours(always, dt(2025, 3, 5, 9), met_at=dt(2025, 3, 3, 13, 30))
	assert state.status == STATUS_MET
	assert state.met_late and state.breached
	assert state.overdue == 30 * M


def test_deadline_at_closing_time_is_breached_overnight(office):
	# Nine business hours from Friday 09:00 end at Friday 18:00; on Saturday morning that is breached
	# although no further business time has passed.
	friday = evaluate_milestone(
		cal=office,
		started_at=dt(2025, 3, 7, 9),
		target=9 * H,
		now=dt(2025, 3, 7, 18),
		at_risk_percent=AT_RISK,
	)
	saturday = evaluate_milestone(
		cal=office,
		started_at=dt(2025, 3, 7, 9),
		target=9 * H,
		now=dt(2025, 3, 8, 10),
		at_risk_percent=AT_RISK,
	)
	assert friday.due_at == dt(2025, 3, 7, 18)
	assert friday.status == STATUS_AT_RISK
	assert saturday.status == STATUS_BREACHED
	assert (saturday.elapsed, saturday.overdue, saturday.percent_used) == (9 * H, timedelta(0), 100.0)


def test_office_hours_deadline_spans_the_weekend(office):
	state = evaluate_milestone(
		cal=office,
		started_at=dt(2025, 3, 7, 16),
		target=8 * H,
		now=dt(2025, 3, 8, 12),
		at_risk_percent=AT_RISK,
	)
	assert state.due_at == dt(2025, 3, 10, 15)
	assert state.at_risk_at == dt(2025, 3, 10, 13, 24)
	assert state.elapsed == 2 * H
	assert state.status == STATUS_ON_TRACK


# -- pauses ----------------------------------------------------------------------------------------


def test_open_pause_shows_paused_and_pushes_the_deadline_while_it_lasts(always):
	pause = PauseFactory(start=dt(2025, 3, 3, 10), end=None)
	at_11 = four_hours(always, dt(2025, 3, 3, 11), pauses=[pause])
	at_12 = four_hours(always, dt(2025, 3, 3, 12), pauses=[pause])
	assert at_11.status == STATUS_PAUSED and at_11.is_paused
	assert (at_11.elapsed, at_11.paused) == (H, H)
	assert at_11.due_at == dt(2025, 3, 3, 14)
	assert at_12.due_at == dt(2025, 3, 3, 15)
	assert at_12.elapsed == H


def test_resumed_clock_runs_again_with_the_paused_time_added(always):
	state = four_hours(always, dt(2025, 3, 3, 12), pauses=[PauseFactory(start=dt(2025, 3, 3, 10))])
	assert state.status == STATUS_ON_TRACK
	assert (state.elapsed, state.paused) == (2 * H, H)
	assert state.due_at == dt(2025, 3, 3, 14)


def test_pause_across_days_counts_only_business_time(office):
	state = evaluate_milestone(
		cal=office,
		started_at=dt(2025, 3, 3, 10),
		target=16 * H,
		now=dt(2025, 3, 5, 12),
		pauses=[Pause(dt(2025, 3, 3, 15), dt(2025, 3, 5, 11))],
		at_risk_percent=AT_RISK,
	)
	# Paused: Monday 15-18, all Tuesday, Wednesday 9-11. Used: Monday 10-15 and Wednesday 11-12.
	assert state.paused == 14 * H
	assert state.elapsed == 6 * H
	# 10 hours left from Wednesday 12:00: 6 on Wednesday, 4 on Thursday.
	assert state.due_at == dt(2025, 3, 6, 13)
	assert state.status == STATUS_ON_TRACK


def test_pause_over_the_weekend_changes_nothing_but_the_status(office):
	start, now = dt(2025, 3, 7, 10), dt(2025, 3, 8, 12)
	plain = evaluate_milestone(cal=office, started_at=start, target=18 * H, now=now, at_risk_percent=AT_RISK)
	paused = evaluate_milestone(
		cal=office,
		started_at=start,
		target=18 * H,
		now=now,
		pauses=[Pause(dt(2025, 3, 8, 10), None)],
		at_risk_percent=AT_RISK,
	)
	assert paused.paused == timedelta(0)
	assert paused.due_at == plain.due_at == dt(2025, 3, 11, 10)
	assert (plain.status, paused.status) == (STATUS_ON_TRACK, STATUS_PAUSED)


def test_breach_before_the_pause_stays_breached(always):
	state = four_hours(always, dt(2025, 3, 3, 15), pauses=[Pause(dt(2025, 3, 3, 14), None)])
	assert state.status == STATUS_BREACHED
	assert state.is_paused
	assert state.due_at == dt(2025, 3, 3, 13)
	assert state.overdue == H


def test_overlapping_pauses_count_once(always):
	pauses = [
		Pause(dt(2025, 3, 3, 10), dt(2025, 3, 3, 11)),
		Pause(dt(2025, 3, 3, 10, 30), dt(2025, 3, 3, 11, 30)),
	]
	state = four_hours(always, dt(2025, 3, 3, 12), pauses=pauses)
	assert state.paused == 90 * M
	assert state.elapsed == 90 * M
	assert state.due_at == dt(2025, 3, 3, 14, 30)


def test_future_pause_and_pause_before_start_are_clipped(always):
	pauses = [Pause(dt(2025, 3, 3, 8), dt(2025, 3, 3, 9, 30)), Pause(dt(2025, 3, 3, 13), dt(2025, 3, 3, 14))]
	state = four_hours(always, dt(2025, 3, 3, 12), pauses=pauses)
	assert state.paused == 30 * M
	assert state.due_at == dt(2025, 3, 3, 13, 30)
	assert not state.is_paused


def test_pause_starting_right_at_the_deadline_does_not_move_it(always):
	state = four_hours(always, dt(2025, 3, 3, 15), pauses=[Pause(dt(2025, 3, 3, 13), dt(2025, 3, 3, 14))])
	assert state.due_at == dt(2025, 3, 3, 13)
	assert state.status == STATUS_BREACHED


def test_pause_after_met_is_ignored(always):
	pauses = [Pause(dt(2025, 3, 3, 12), None)]
	state = four_hours(always, dt(2025, 3, 3, 18), met_at=dt(2025, 3, 3, 11), pauses=pauses)
	assert state.status == STATUS_MET
	assert (state.elapsed, state.paused) == (2 * H, timedelta(0))
	assert not state.is_paused


def test_time_when_elapsed_skips_pauses(office):
	moment = time_when_elapsed(
		cal=office,
		started_at=dt(2025, 3, 3, 9),
		amount=10 * H,
		now=dt(2025, 3, 5, 9),
		pauses=[Pause(dt(2025, 3, 3, 17), dt(2025, 3, 4, 12))],
	)
	# 8 h on Monday before the pause, then 2 h from Tuesday 12:00.
	assert moment == dt(2025, 3, 4, 14)


def test_clock_object_evaluates_like_the_function():
	clock = MilestoneClockFactory(pauses=[PauseFactory()])
	now = dt(2025, 3, 3, 13, 30)
	assert clock.evaluate(now, at_risk_percent=AT_RISK) == evaluate_milestone(
		cal=clock.cal,
		started_at=clock.started_at,
		target=clock.target,
		now=now,
		pauses=clock.pauses,
		at_risk_percent=AT_RISK,
	)
	# The one-hour pause at noon moves the 13:00 deadline to 14:00; 3.5 of 4 hours are used.
	state = clock.evaluate(now, at_risk_percent=AT_RISK)
	assert (state.due_at, state.status) == (dt(2025, 3, 3, 14), STATUS_AT_RISK)


# -- refused inputs --------------------------------------------------------------------------------


def test_pause_ending_before_it_starts_is_refused(always):
	with pytest.raises(PolicyViolation) as exc:
		four_hours(always, dt(2025, 3, 3, 12), pauses=[Pause(dt(2025, 3, 3, 11), dt(2025, 3, 3, 10))])
	assert exc.value.message == "A pause cannot end before it starts ({start} to {end})"


@pytest.mark.parametrize("target", [timedelta(0), -H])
def test_target_must_be_positive(always, target):
	with pytest.raises(PolicyViolation):
		evaluate_milestone(
			cal=always, started_at=dt(2025, 3, 3, 9), target=target, now=dt(2025, 3, 3, 9), at_risk_percent=80
		)


@pytest.mark.parametrize("percent", [0, -5, 100.5])
def test_at_risk_percent_must_be_a_percentage(always, percent):
	with pytest.raises(PolicyViolation) as exc:
		evaluate_milestone(
			cal=always, started_at=dt(2025, 3, 3, 9), target=H, now=dt(2025, 3, 3, 9), at_risk_percent=percent
		)
	assert exc.value.params == {"value": percent}


def test_at_risk_at_100_percent_means_at_the_deadline(always):
	state = evaluate_milestone(
		cal=always, started_at=dt(2025, 3, 3, 9), target=H, now=dt(2025, 3, 3, 9, 59), at_risk_percent=100
	)
	assert state.at_risk_at == state.due_at
	assert state.status == STATUS_ON_TRACK


# -- extension -------------------------------------------------------------------------------------


def day_deadline(cal, now, **kwargs):
	return dict(cal=cal, started_at=dt(2025, 3, 3, 9), target=24 * H, now=now, **kwargs)


def test_extension_before_the_deadline_returns_the_longer_target(always):
	new_target = extend_deadline(**day_deadline(always, dt(2025, 3, 3, 20)), extension=24 * H)
	assert new_target == 48 * H
	state = evaluate_milestone(
		cal=always,
		started_at=dt(2025, 3, 3, 9),
		target=new_target,
		now=dt(2025, 3, 4, 10),
		at_risk_percent=80,
	)
	assert state.due_at == dt(2025, 3, 5, 9)
	assert state.status == STATUS_ON_TRACK


def test_extension_at_the_deadline_itself_is_still_allowed(always):
	assert extend_deadline(**day_deadline(always, dt(2025, 3, 4, 9)), extension=H) == 25 * H


def test_an_extension_longer_than_the_settings_allow_is_refused(always):
	with pytest.raises(PolicyViolation) as exc:
		extend_deadline(**day_deadline(always, dt(2025, 3, 3, 20)), extension=100_000 * H, longest=72 * H)
	assert exc.value.message == "An extension can be at most {hours} hours"
	assert exc.value.params == {"hours": "72"}
	assert (
		extend_deadline(**day_deadline(always, dt(2025, 3, 3, 20)), extension=72 * H, longest=72 * H)
		== 96 * H
	)


def test_extension_after_the_deadline_is_refused(always):
	with pytest.raises(PolicyViolation) as exc:
		extend_deadline(**day_deadline(always, dt(2025, 3, 4, 9, 30)), extension=24 * H)
	assert exc.value.message == "An extension can only be granted before the deadline ({due})"
	assert exc.value.params == {"due": dt(2025, 3, 4, 9)}


def test_paused_time_keeps_the_deadline_open_for_an_extension(always):
	pauses = [Pause(dt(2025, 3, 3, 10), dt(2025, 3, 3, 12))]
	assert extend_deadline(**day_deadline(always, dt(2025, 3, 4, 10), pauses=pauses), extension=H) == 25 * H


def test_second_extension_is_refused(always):
	with pytest.raises(PolicyViolation) as exc:
		extend_deadline(**day_deadline(always, dt(2025, 3, 3, 20)), extension=24 * H, extensions_granted=1)
	assert exc.value.message == "Only one extension may be granted for this deadline"


def test_the_extension_limit_is_data(always):
	deadline = day_deadline(always, dt(2025, 3, 3, 20))
	assert extend_deadline(**deadline, extension=H, extensions_granted=1, max_extensions=2) == 25 * H
	with pytest.raises(PolicyViolation) as exc:
		extend_deadline(**deadline, extension=H, extensions_granted=2, max_extensions=2)
	assert str(exc.value) == "Only 2 extensions may be granted for this deadline"


@pytest.mark.parametrize(
	("kwargs", "message"),
	[
		({"extension": timedelta(0)}, "The extension must be longer than zero"),
		(
			{"extension": H, "met_at": dt(2025, 3, 3, 15)},
			"This deadline has already been met, so it cannot be extended",
		),
	],
)
def test_pointless_extensions_are_refused(always, kwargs, message):
	with pytest.raises(PolicyViolation) as exc:
		extend_deadline(**day_deadline(always, dt(2025, 3, 3, 20)), **kwargs)
	assert exc.value.message == message


# -- properties ------------------------------------------------------------------------------------

pause_lists = st.lists(
	st.tuples(
		st.timedeltas(timedelta(0), timedelta(days=10)), st.timedeltas(timedelta(0), timedelta(days=3))
	),
	max_size=4,
)
targets = st.timedeltas(timedelta(minutes=1), timedelta(days=5))


def make_pauses(start, offsets):
	return [Pause(start + offset, start + offset + length) for offset, length in offsets]


@PROPS
@given(cal=calendars(), start=moments, target=targets, offsets=pause_lists)
def test_exactly_the_target_is_used_at_the_deadline(cal, start, target, offsets):
	pauses = make_pauses(start, offsets)
	far = start + timedelta(days=3650)
	due = evaluate_milestone(
		cal=cal, started_at=start, target=target, now=far, pauses=pauses, at_risk_percent=AT_RISK
	).due_at
	at_due = evaluate_milestone(
		cal=cal, started_at=start, target=target, now=due, pauses=pauses, at_risk_percent=80
	)
	assert at_due.due_at == due
	assert at_due.elapsed == target
	assert at_due.elapsed + at_due.paused == business_time_between(cal, start, due)
	assert at_due.status != STATUS_BREACHED
	after = evaluate_milestone(
		cal=cal,
		started_at=start,
		target=target,
		now=due + timedelta.resolution,
		pauses=pauses,
		at_risk_percent=80,
	)
	assert after.status == STATUS_BREACHED


@PROPS
@given(
	cal=calendars(), start=moments, target=targets, offsets=pause_lists, steps=st.lists(targets, max_size=5)
)
def test_elapsed_never_goes_back_and_status_follows_it(cal, start, target, offsets, steps):
	pauses = make_pauses(start, offsets)
	now, previous = start, timedelta(0)
	for step in steps:
		now += step
		state = evaluate_milestone(
			cal=cal, started_at=start, target=target, now=now, pauses=pauses, at_risk_percent=AT_RISK
		)
		assert state.elapsed >= previous
		previous = state.elapsed
		assert state.elapsed <= business_time_between(cal, start, now)
		if state.elapsed > target:
			assert state.status == STATUS_BREACHED
		elif state.elapsed < target * AT_RISK / 100:
			assert state.status in (STATUS_ON_TRACK, STATUS_PAUSED)
