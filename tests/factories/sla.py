"""factory-boy factories for the SLA engine's plain objects (no database involved).

``BusinessCalendarFactory`` defaults to office hours, Monday to Friday 09:00-18:00; traits give the
24x7 calendar and a day with a lunch break. ``CalendarSpecFactory`` goes through
``BusinessCalendar.from_spec`` with admin-style rows. Dates default to March 2025 (3 March is a Monday).
``calendars()``, ``moments`` and ``durations`` are Hypothesis strategies for the property tests.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import factory
from hypothesis import strategies as st

from complaint_mgmt.engine.calendar import BusinessCalendar
from complaint_mgmt.engine.escalation import TRIGGER_AFTER_BREACH, TRIGGER_PERCENT, EscalationLevel
from complaint_mgmt.engine.sla import MilestoneClock, Pause

MONDAY = datetime(2025, 3, 3)
WEEKDAYS = range(5)


def office_windows(start: time = time(9), end: time = time(18), weekdays=WEEKDAYS) -> dict:
	return {wd: ((start, end),) for wd in weekdays}


def spec_rows(start: str = "09:00", end: str = "18:00", weekdays=WEEKDAYS) -> list[dict]:
	return [{"weekday": wd, "start": start, "end": end} for wd in weekdays]


class BusinessCalendarFactory(factory.Factory):
	class Meta:
		model = BusinessCalendar

	windows = factory.LazyFunction(office_windows)
	holidays = frozenset()
	extra_working_days = factory.LazyFunction(dict)

	class Params:
		always = factory.Trait(
			windows=factory.LazyFunction(lambda: {wd: ((time(0), time(0)),) for wd in range(7)})
		)
		lunch_break = factory.Trait(
			windows=factory.LazyFunction(
				lambda: {wd: ((time(9), time(12)), (time(13), time(18))) for wd in WEEKDAYS}
			)
		)


class CalendarSpecFactory(factory.Factory):
	"""Builds through ``BusinessCalendar.from_spec``, the path the Frappe layer uses."""

	class Meta:
		model = BusinessCalendar

	rows = factory.LazyFunction(spec_rows)
	holidays = ()
	extra_working_days = ()

	@classmethod
	def _create(cls, model_class, *args, **kwargs):
		return model_class.from_spec(*args, **kwargs)

	@classmethod
	def _build(cls, model_class, *args, **kwargs):
		return model_class.from_spec(*args, **kwargs)


class PauseFactory(factory.Factory):
	class Meta:
		model = Pause

	start = factory.LazyFunction(lambda: MONDAY.replace(hour=12))
	end = factory.LazyAttribute(lambda p: p.start + timedelta(hours=1))


class MilestoneClockFactory(factory.Factory):
	class Meta:
		model = MilestoneClock

	cal = factory.SubFactory(BusinessCalendarFactory, always=True)
	started_at = factory.LazyFunction(lambda: MONDAY.replace(hour=9))
	target = timedelta(hours=4)
	pauses = ()
	met_at = None


class EscalationLevelFactory(factory.Factory):
	class Meta:
		model = EscalationLevel

	level = factory.Sequence(lambda n: n + 1)
	trigger = TRIGGER_PERCENT
	threshold = 50.0
	actions = ("notify",)
	target_role = "Complaint Supervisor"

	class Params:
		after_breach = factory.Trait(trigger=TRIGGER_AFTER_BREACH, threshold=0.0)


def escalation_ladder() -> list[EscalationLevel]:
	"""A four-level ladder: 50 % and 80 % of the target, then at the breach and 60 minutes after it."""
	return [
		EscalationLevelFactory(
			level=1, threshold=50, actions=("notify",), target_role="Complaint Supervisor"
		),
		EscalationLevelFactory(
			level=2, threshold=80, actions=("notify", "add_co_owner"), target_role="Complaint Manager"
		),
		EscalationLevelFactory(
			level=3, after_breach=True, threshold=0, actions=("reassign",), target_role="Complaint Manager"
		),
		EscalationLevelFactory(
			level=4,
			after_breach=True,
			threshold=60,
			actions=("raise_priority", "notify"),
			target_role="General Manager",
		),
	]


# Hypothesis strategies: random but valid calendars, for the property tests.


def _t(text: str) -> time:
	return time(0) if text == "24:00" else time.fromisoformat(text)


# Day shapes the random calendars pick from: closed, office, lunch break, 24 h, evening to 24:00, the
# halves of an overnight shift, three windows, odd half hours.
_DAY_SHAPES = tuple(
	tuple((_t(a), _t(b)) for a, b in shape)
	for shape in (
		(),
		(("09:00", "18:00"),),
		(("09:00", "12:00"), ("13:00", "18:00")),
		(("00:00", "24:00"),),
		(("22:00", "24:00"),),
		(("00:00", "06:00"),),
		(("00:00", "06:00"), ("22:00", "24:00")),
		(("08:30", "12:00"), ("13:30", "17:30"), ("19:00", "21:00")),
		(("10:00", "14:00"),),
		(("07:00", "23:30"),),
		(("00:30", "01:00"), ("12:00", "12:30"), ("23:30", "24:00")),
	)
)
_WEEK = st.tuples(*[st.sampled_from(_DAY_SHAPES)] * 7)
_DAYS = st.dates(date(2024, 11, 1), date(2026, 2, 28))
# Holidays come in blocks (a day off, a Golden Week), which is also cheaper to draw than single dates.
_HOLIDAYS = st.lists(st.tuples(_DAYS, st.integers(1, 9)), max_size=4).map(
	lambda blocks: frozenset(first + timedelta(days=i) for first, length in blocks for i in range(length))
)
_EXTRA_DAYS = st.dictionaries(_DAYS, st.sampled_from(_DAY_SHAPES[1:]), max_size=4)


@st.composite
def calendars(draw, *, with_exceptions: bool = True) -> BusinessCalendar:
	"""A week of random day shapes (at least one open day), holidays and make-up days."""
	week = draw(_WEEK)
	windows = {wd: shape for wd, shape in enumerate(week) if shape}
	if not windows:
		windows[0] = _DAY_SHAPES[1]
	holidays: frozenset = frozenset()
	extra: dict = {}
	if with_exceptions:
		holidays = draw(_HOLIDAYS)
		extra = {day: shape for day, shape in draw(_EXTRA_DAYS).items() if day not in holidays}
	return BusinessCalendar(windows=windows, holidays=holidays, extra_working_days=extra)


moments = st.datetimes(datetime(2024, 12, 1), datetime(2025, 12, 31))
durations = st.timedeltas(timedelta(0), timedelta(days=20))
