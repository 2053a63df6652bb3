"""Escalation ladder: when each level fires, once, and what a late sweep does."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from complaint_mgmt.engine.errors import PolicyViolation
from complaint_mgmt.engine.escalation import (
	TRIGGER_AFTER_BREACH,
	TRIGGER_PERCENT,
	due_levels,
	next_trigger,
	trigger_at,
	validate_levels,
)
from complaint_mgmt.engine.sla import Pause
from tests.factories.sla import (
	BusinessCalendarFactory,
	EscalationLevelFactory,
	MilestoneClockFactory,
	calendars,
	escalation_ladder,
	moments,
)

M = timedelta(minutes=1)
PROPS = settings(max_examples=200, deadline=None)


def dt(*args: int) -> datetime:
	return datetime(*args)


@pytest.fixture
def ladder():
	return escalation_ladder()


@pytest.fixture
def clock():
	"""24x7, started Monday 3 March 2025 09:00, 4-hour target: due 13:00."""
	return MilestoneClockFactory()


def numbers(levels):
	return [lvl.level for lvl in levels]


# -- when levels fire ------------------------------------------------------------------------------


def test_trigger_moments_of_the_four_levels(ladder, clock):
	now = dt(2025, 3, 3, 9)
	moments_by_level = {lvl.level: trigger_at(lvl, clock, now) for lvl in ladder}
	assert moments_by_level == {
		1: dt(2025, 3, 3, 11),  # 50 % of 4 h
		2: dt(2025, 3, 3, 12, 12),  # 80 %
		3: dt(2025, 3, 3, 13),  # the deadline
		4: dt(2025, 3, 3, 14),  # 60 minutes after it
	}


def test_regular_sweep_fires_levels_one_to_four_once_each(ladder, clock):
	applied: set[int] = set()
	fired: list[tuple[int, datetime]] = []
	now = dt(2025, 3, 3, 9)
	while now <= dt(2025, 3, 3, 16):
		nxt = next_trigger(ladder, applied, clock, now)
		for lvl in due_levels(ladder, applied, clock, now):
			assert nxt is not None and nxt[1] <= now
			fired.append((lvl.level, now))
			applied.add(lvl.level)
		now += 5 * M
	assert fired == [
		(1, dt(2025, 3, 3, 11)),
		(2, dt(2025, 3, 3, 12, 15)),
		(3, dt(2025, 3, 3, 13)),
		(4, dt(2025, 3, 3, 14)),
	]
	assert next_trigger(ladder, applied, clock, now) is None


def test_late_sweep_applies_every_crossed_level_in_order(ladder, clock):
	late = dt(2025, 3, 3, 13, 30)
	assert numbers(due_levels(ladder, set(), clock, late)) == [1, 2, 3]
	assert numbers(due_levels(ladder, {1, 2, 3}, clock, dt(2025, 3, 3, 13, 45))) == []
	assert next_trigger(ladder, {1, 2, 3}, clock, late) == (ladder[3], dt(2025, 3, 3, 14))
	assert numbers(due_levels(ladder, {1, 2, 3}, clock, dt(2025, 3, 3, 14))) == [4]
	assert due_levels(ladder, {1, 2, 3, 4}, clock, dt(2025, 3, 4)) == []


def test_next_trigger_reports_an_overdue_level_so_the_sweep_picks_it_up(ladder, clock):
	first, at = next_trigger(ladder, set(), clock, dt(2025, 3, 3, 13, 30))
	assert (first.level, at) == (1, dt(2025, 3, 3, 11))


def test_a_skipped_lower_level_comes_first(ladder, clock):
	assert next_trigger(ladder, {2}, clock, dt(2025, 3, 3, 9)) == (ladder[0], dt(2025, 3, 3, 11))
	assert numbers(due_levels(ladder, {2}, clock, dt(2025, 3, 3, 12, 30))) == [1]


def test_minutes_after_breach_are_business_minutes(ladder):
	# Friday 14:00 + 4 business hours = Friday 18:00; 60 minutes later is Monday 10:00.
	clock = MilestoneClockFactory(cal=BusinessCalendarFactory(), started_at=dt(2025, 3, 7, 14))
	friday = dt(2025, 3, 7, 14)
	assert [trigger_at(lvl, clock, friday) for lvl in ladder] == [
		dt(2025, 3, 7, 16),
		dt(2025, 3, 7, 17, 12),
		dt(2025, 3, 7, 18),
		dt(2025, 3, 10, 10),
	]
	assert numbers(due_levels(ladder, set(), clock, dt(2025, 3, 8, 12))) == [1, 2, 3]
	assert numbers(due_levels(ladder, {1, 2, 3}, clock, dt(2025, 3, 10, 9, 59))) == []
	assert numbers(due_levels(ladder, {1, 2, 3}, clock, dt(2025, 3, 10, 10))) == [4]


def test_extended_target_moves_the_levels(ladder):
	clock = MilestoneClockFactory(target=timedelta(hours=6))
	assert trigger_at(ladder[2], clock, dt(2025, 3, 3, 9)) == dt(2025, 3, 3, 15)


# -- paused and met milestones ---------------------------------------------------------------------


def test_paused_milestone_fires_nothing_and_resumes_later(ladder):
	paused = MilestoneClockFactory(pauses=[Pause(dt(2025, 3, 3, 11, 30), None)])
	now = dt(2025, 3, 3, 12)
	assert all(trigger_at(lvl, paused, now) is None for lvl in ladder)
	assert next_trigger(ladder, set(), paused, now) is None
	assert due_levels(ladder, set(), paused, dt(2025, 3, 3, 23)) == []

	resumed = MilestoneClockFactory(pauses=[Pause(dt(2025, 3, 3, 11, 30), dt(2025, 3, 3, 12, 30))])
	now = dt(2025, 3, 3, 12, 30)
	# Level 1 was crossed at 11:00 before the pause and fires now; level 2 moved by the paused hour.
	assert numbers(due_levels(ladder, set(), resumed, now)) == [1]
	assert next_trigger(ladder, {1}, resumed, now) == (ladder[1], dt(2025, 3, 3, 13, 12))


def test_met_milestone_fires_nothing(ladder):
	met = MilestoneClockFactory(met_at=dt(2025, 3, 3, 12))
	assert due_levels(ladder, set(), met, dt(2025, 3, 3, 15)) == []
	assert next_trigger(ladder, set(), met, dt(2025, 3, 3, 15)) is None


# -- validation ------------------------------------------------------------------------------------


def test_valid_ladder_is_returned_in_level_order(ladder):
	assert numbers(validate_levels(reversed(ladder))) == [1, 2, 3, 4]
	assert validate_levels([]) == ()


def level(number, trigger=TRIGGER_PERCENT, threshold=50, actions=("notify",)):
	return EscalationLevelFactory(level=number, trigger=trigger, threshold=threshold, actions=actions)


@pytest.mark.parametrize(
	("levels", "message"),
	[
		([level(1), level(1, threshold=60)], "Escalation level {level} is defined twice"),
		([level(0)], "Escalation level must be 1 or higher, got {level}"),
		([level(1, trigger="eventually")], "Escalation level {level}: unknown trigger {trigger}"),
		(
			[level(1, threshold=0)],
			"Escalation level {level}: the percentage of the target must be above 0 and at most 100, "
			"got {threshold}",
		),
		(
			[level(1, threshold=120)],
			"Escalation level {level}: the percentage of the target must be above 0 and at most 100, "
			"got {threshold}",
		),
		(
			[level(1, TRIGGER_AFTER_BREACH, -5)],
			"Escalation level {level}: the minutes after the breach cannot be negative, got {threshold}",
		),
		(
			[level(1, threshold=float("nan"))],
			"Escalation level {level}: threshold {threshold} is not a number",
		),
		([level(1, actions=())], "Escalation level {level} needs at least one action"),
		(
			[level(1, TRIGGER_AFTER_BREACH, 0), level(2, TRIGGER_PERCENT, 80)],
			"Escalation level {level} fires on a percentage of the target but comes after "
			"level {previous}, which fires after the breach; percentage levels come first",
		),
		(
			[level(1, threshold=80), level(2, threshold=50)],
			"Escalation level {level} must fire later than level {previous}: "
			"its threshold {threshold} is not above {previous_threshold}",
		),
		(
			[level(1, TRIGGER_AFTER_BREACH, 30), level(2, TRIGGER_AFTER_BREACH, 30)],
			"Escalation level {level} must fire later than level {previous}: "
			"its threshold {threshold} is not above {previous_threshold}",
		),
	],
)
def test_invalid_ladders_are_refused(levels, message):
	with pytest.raises(PolicyViolation) as exc:
		validate_levels(levels)
	assert exc.value.message == message


def test_sweep_functions_refuse_an_invalid_ladder(clock):
	with pytest.raises(PolicyViolation):
		due_levels([level(1), level(1)], set(), clock, dt(2025, 3, 3, 12))


def test_actions_and_role_are_kept_as_data(ladder):
	assert ladder[1].actions == ("notify", "add_co_owner")
	assert ladder[3].target_role == "General Manager"
	assert EscalationLevelFactory(actions=["notify"]).actions == ("notify",)


# -- property: any ladder, any sweep schedule ------------------------------------------------------


@st.composite
def ladders(draw):
	percents = sorted(draw(st.sets(st.integers(1, 100), max_size=3)))
	minutes = sorted(draw(st.sets(st.integers(0, 24 * 60), max_size=3)))
	specs = [(TRIGGER_PERCENT, p) for p in percents] + [(TRIGGER_AFTER_BREACH, m) for m in minutes]
	return [level(i, trigger, threshold) for i, (trigger, threshold) in enumerate(specs, start=1)]


@PROPS
@given(
	cal=calendars(with_exceptions=False),
	start=moments,
	levels=ladders(),
	gaps=st.lists(st.timedeltas(timedelta(minutes=1), timedelta(days=3)), min_size=1, max_size=8),
)
def test_any_sweep_schedule_fires_each_crossed_level_exactly_once_in_order(cal, start, levels, gaps):
	clock = MilestoneClockFactory(cal=cal, started_at=start, target=timedelta(hours=8))
	applied: set[int] = set()
	fired: list[int] = []
	now = start
	for gap in gaps:
		now += gap
		due = due_levels(levels, applied, clock, now)
		nxt = next_trigger(levels, applied, clock, now)
		assert (nxt is not None and nxt[1] <= now) == bool(due)
		for lvl in due:
			assert lvl.level not in applied
			applied.add(lvl.level)
			fired.append(lvl.level)
	assert fired == sorted(fired)
	assert set(fired) == {lvl.level for lvl in levels if trigger_at(lvl, clock, now) <= now}
