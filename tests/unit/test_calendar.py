"""Business calendar: adding and measuring business time across nights, weekends and holidays."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from complaint_mgmt.engine.calendar import (
	SEARCH_LIMIT_DAYS,
	BusinessCalendar,
	add_business_time,
	business_time_between,
	from_calendar_time,
	is_open,
	next_open,
	to_calendar_time,
)
from complaint_mgmt.engine.errors import PolicyViolation
from tests.factories.sla import (
	BusinessCalendarFactory,
	CalendarSpecFactory,
	calendars,
	durations,
	moments,
	spec_rows,
)

H = timedelta(hours=1)
M = timedelta(minutes=1)
PROPS = settings(max_examples=200, deadline=None)


def dt(*args: int) -> datetime:
	return datetime(*args)


@pytest.fixture
def office() -> BusinessCalendar:
	return BusinessCalendarFactory()


# -- 24x7 ------------------------------------------------------------------------------------------


def test_always_is_plain_arithmetic_over_a_year_end():
	cal = BusinessCalendar.always()
	start = dt(2024, 12, 31, 23, 30)
	assert cal.is_always
	assert add_business_time(cal, start, 2 * H) == dt(2025, 1, 1, 1, 30)
	assert business_time_between(cal, start, dt(2025, 1, 2, 0, 0)) == timedelta(hours=24, minutes=30)
	assert is_open(cal, dt(2025, 1, 1, 0, 0))
	assert next_open(cal, start) == start


def test_office_calendar_is_not_always(office):
	assert not office.is_always
	assert not BusinessCalendarFactory(always=True, holidays=frozenset({date(2025, 1, 1)})).is_always


# -- office hours ----------------------------------------------------------------------------------


def test_adding_within_one_day(office):
	assert add_business_time(office, dt(2025, 3, 3, 10), 3 * H) == dt(2025, 3, 3, 13)


def test_adding_past_closing_continues_next_morning(office):
	assert add_business_time(office, dt(2025, 3, 3, 16), 4 * H) == dt(2025, 3, 4, 11)


def test_friday_afternoon_continues_on_monday(office):
	assert add_business_time(office, dt(2025, 3, 7, 17), 2 * H) == dt(2025, 3, 10, 10)
	assert business_time_between(office, dt(2025, 3, 7, 17), dt(2025, 3, 10, 10)) == 2 * H


def test_start_before_opening_waits_for_opening(office):
	assert add_business_time(office, dt(2025, 3, 3, 7, 15), H) == dt(2025, 3, 3, 10)


def test_start_on_weekend_waits_for_monday(office):
	assert add_business_time(office, dt(2025, 3, 8, 12), 30 * M) == dt(2025, 3, 10, 9, 30)
	assert business_time_between(office, dt(2025, 3, 8), dt(2025, 3, 9, 23, 59)) == timedelta(0)


def test_duration_used_up_at_closing_returns_closing_time_not_next_morning(office):
	assert add_business_time(office, dt(2025, 3, 7, 10), 8 * H) == dt(2025, 3, 7, 18)


def test_exactly_two_working_weeks_from_the_weekend_end_on_friday_evening(office):
	assert add_business_time(office, dt(2025, 3, 2, 12), 2 * 45 * H) == dt(2025, 3, 14, 18)


def test_zero_duration_returns_start_even_when_closed(office):
	saturday = dt(2025, 3, 8, 12)
	assert add_business_time(office, saturday, timedelta(0)) == saturday


def test_negative_duration_is_a_programming_error(office):
	with pytest.raises(ValueError):
		add_business_time(office, dt(2025, 3, 3, 10), -H)


def test_between_is_zero_when_end_is_not_after_start(office):
	assert business_time_between(office, dt(2025, 3, 3, 12), dt(2025, 3, 3, 10)) == timedelta(0)
	assert business_time_between(office, dt(2025, 3, 3, 12), dt(2025, 3, 3, 12)) == timedelta(0)


def test_aware_datetimes_are_refused(office):
	from zoneinfo import ZoneInfo

	with pytest.raises(ValueError):
		is_open(office, dt(2025, 3, 3, 10).replace(tzinfo=ZoneInfo("Asia/Shanghai")))


def test_windows_are_half_open(office):
	assert not is_open(office, dt(2025, 3, 3, 8, 59, 59))
	assert is_open(office, dt(2025, 3, 3, 9))
	assert is_open(office, dt(2025, 3, 3, 17, 59, 59))
	assert not is_open(office, dt(2025, 3, 3, 18))


def test_next_open(office):
	assert next_open(office, dt(2025, 3, 3, 11)) == dt(2025, 3, 3, 11)
	assert next_open(office, dt(2025, 3, 3, 6)) == dt(2025, 3, 3, 9)
	assert next_open(office, dt(2025, 3, 7, 18)) == dt(2025, 3, 10, 9)


def test_thirty_business_days_skip_weekends_and_holidays():
	cal = CalendarSpecFactory(holidays=["2025-04-04", "2025-05-01", "2025-05-02", "2025-05-05"])
	start = dt(2025, 4, 1, 10)
	due = add_business_time(cal, start, 30 * 9 * H)
	# After 1 Apr, April 2025 has 20 working days (4 Apr is off): 30 Apr 10:00 uses 20 of them. The other
	# 10 skip 1, 2 and 5 May: 6, 7, 8, 9, 12, 13, 14, 15, 16 and 19 May.
	assert due == dt(2025, 5, 19, 10)
	assert business_time_between(cal, start, due) == 30 * 9 * H


def test_very_long_durations_finish_and_round_trip(office):
	start = dt(2025, 3, 3, 9)
	due = add_business_time(office, start, 5 * 52 * 45 * H)  # five years of 45-hour weeks
	# 260 full weeks end at 18:00 on the Friday of the 260th week.
	assert due == start + timedelta(weeks=260) - timedelta(days=3) + 9 * H
	assert business_time_between(office, start, due) == 5 * 52 * 45 * H


# -- several windows a day -------------------------------------------------------------------------


def test_lunch_break_is_not_counted():
	cal = BusinessCalendarFactory(lunch_break=True)
	assert add_business_time(cal, dt(2025, 3, 3, 11), 2 * H) == dt(2025, 3, 3, 14)
	assert business_time_between(cal, dt(2025, 3, 3, 11), dt(2025, 3, 3, 14)) == 2 * H
	assert not is_open(cal, dt(2025, 3, 3, 12, 30))
	assert next_open(cal, dt(2025, 3, 3, 12, 30)) == dt(2025, 3, 3, 13)
	assert add_business_time(cal, dt(2025, 3, 3, 9), 3 * H) == dt(2025, 3, 3, 12)


# -- midnight, overnight shifts --------------------------------------------------------------------


def test_window_ending_at_24_00_is_written_time_0():
	cal = BusinessCalendar(windows={0: ((time(20), time(0)),), 1: ((time(9), time(18)),)})
	assert is_open(cal, dt(2025, 3, 3, 23, 59, 59))
	assert add_business_time(cal, dt(2025, 3, 3, 23), 2 * H) == dt(2025, 3, 4, 10)
	assert add_business_time(cal, dt(2025, 3, 3, 23), H) == dt(2025, 3, 4, 0)
	assert business_time_between(cal, dt(2025, 3, 3, 19), dt(2025, 3, 4, 12)) == 7 * H


def test_overnight_shift_is_split_at_midnight():
	cal = CalendarSpecFactory(rows=[{"weekday": "Friday", "start": "22:00", "end": "06:00"}])
	assert cal.windows == {4: ((time(22), time(0)),), 5: ((time(0), time(6)),)}
	assert add_business_time(cal, dt(2025, 3, 7, 23, 30), H) == dt(2025, 3, 8, 0, 30)
	assert business_time_between(cal, dt(2025, 3, 7, 21), dt(2025, 3, 8, 7)) == 8 * H
	assert is_open(cal, dt(2025, 3, 8, 5, 59))
	assert not is_open(cal, dt(2025, 3, 8, 6))
	# The next shift starts the following Friday evening.
	assert add_business_time(cal, dt(2025, 3, 8, 5), 2 * H) == dt(2025, 3, 14, 23)


def test_sunday_overnight_shift_wraps_to_monday():
	cal = CalendarSpecFactory(rows=[{"weekday": 6, "start": "23:00", "end": "01:00"}])
	assert cal.windows == {6: ((time(23), time(0)),), 0: ((time(0), time(1)),)}


def test_holiday_closes_only_its_own_date_of_an_overnight_shift():
	cal = CalendarSpecFactory(
		rows=[{"weekday": 4, "start": "22:00", "end": "06:00"}], holidays=["2025-03-07"]
	)
	assert not is_open(cal, dt(2025, 3, 7, 23))
	assert is_open(cal, dt(2025, 3, 8, 1))


# -- holidays, year end, make-up days --------------------------------------------------------------


def test_year_end_skips_new_year_holiday():
	cal = CalendarSpecFactory(holidays=[date(2025, 1, 1)])
	assert add_business_time(cal, dt(2024, 12, 31, 17), 2 * H) == dt(2025, 1, 2, 10)
	assert business_time_between(cal, dt(2024, 12, 31, 17), dt(2025, 1, 2, 10)) == 2 * H
	assert next_open(cal, dt(2024, 12, 31, 18)) == dt(2025, 1, 2, 9)


def test_holiday_week_is_skipped():
	# National Day 2025: 1-8 October off, Sunday 28 September and Saturday 11 October are worked (调休).
	holidays = [date(2025, 10, d) for d in range(1, 9)]
	cal = CalendarSpecFactory(holidays=holidays, extra_working_days=["2025-09-28", "2025-10-11"])
	assert add_business_time(cal, dt(2025, 9, 30, 17), 2 * H) == dt(2025, 10, 9, 10)
	assert add_business_time(cal, dt(2025, 9, 26, 17), 2 * H) == dt(2025, 9, 28, 10)
	assert add_business_time(cal, dt(2025, 10, 10, 17), 2 * H) == dt(2025, 10, 11, 10)
	# Worked: 26, 28, 29, 30 September and 9, 10, 11 October.
	assert business_time_between(cal, dt(2025, 9, 26, 9), dt(2025, 10, 13, 9)) == 7 * 9 * H


def test_make_up_day_with_weekday_template_or_explicit_window():
	cal = CalendarSpecFactory(
		rows=[*spec_rows(), {"weekday": 5, "start": "10:00", "end": "14:00"}],
		extra_working_days=[
			{"date": "2025-09-28", "weekday": 5},
			{"date": date(2025, 10, 12), "start": "08:00", "end": "12:00"},
			{"date": date(2025, 10, 12), "start": "13:00", "end": "24:00"},
		],
	)
	assert cal.windows_on(date(2025, 9, 28)) == ((time(10), time(14)),)
	assert cal.windows_on(date(2025, 10, 12)) == ((time(8), time(12)), (time(13), time(0)))
	assert business_time_between(cal, dt(2025, 10, 12), dt(2025, 10, 13)) == 15 * H


def test_make_up_day_overrides_a_weekend_only_on_its_date():
	cal = CalendarSpecFactory(extra_working_days=["2025-09-28", {"date": "2025-10-11"}])
	assert is_open(cal, dt(2025, 9, 28, 10))
	assert cal.windows_on(date(2025, 10, 11)) == ((time(9), time(18)),)
	assert not is_open(cal, dt(2025, 10, 5, 10))


def test_windows_on_a_holiday_is_empty():
	cal = CalendarSpecFactory(holidays=["2025-01-01"])
	assert cal.windows_on(date(2025, 1, 1)) == ()
	assert cal.windows_on(date(2025, 1, 2)) == ((time(9), time(18)),)


# -- no open time ----------------------------------------------------------------------------------


def test_calendar_without_working_hours_refuses_instead_of_looping():
	cal = BusinessCalendar()
	with pytest.raises(PolicyViolation) as exc:
		add_business_time(cal, dt(2025, 3, 3), H)
	assert exc.value.message == "The business calendar has no working hours"
	with pytest.raises(PolicyViolation):
		next_open(cal, dt(2025, 3, 3))
	assert business_time_between(cal, dt(2025, 3, 3), dt(2025, 4, 3)) == timedelta(0)


def test_only_past_make_up_days_is_no_working_time():
	cal = BusinessCalendar(extra_working_days={date(2025, 1, 4): ((time(9), time(18)),)})
	assert add_business_time(cal, dt(2025, 1, 4, 9), H) == dt(2025, 1, 4, 10)
	with pytest.raises(PolicyViolation):
		add_business_time(cal, dt(2025, 1, 4, 9), 10 * H)


def test_holidays_covering_years_stop_the_search():
	start = date(2025, 1, 1)
	holidays = frozenset(start + timedelta(days=i) for i in range(SEARCH_LIMIT_DAYS + 30))
	cal = BusinessCalendarFactory(holidays=holidays)
	with pytest.raises(PolicyViolation) as exc:
		add_business_time(cal, dt(2025, 1, 1, 10), H)
	assert exc.value.params["days"] == SEARCH_LIMIT_DAYS
	with pytest.raises(PolicyViolation):
		next_open(cal, dt(2025, 1, 1, 10))


def test_holidays_shorter_than_the_limit_are_crossed():
	holidays = frozenset(date(2025, 1, 1) + timedelta(days=i) for i in range(700))
	cal = BusinessCalendarFactory(holidays=holidays)
	# Holidays are 1 Jan 2025 plus 0..699 days; day 700 is Wednesday 2 December 2026.
	assert add_business_time(cal, dt(2025, 1, 1, 10), H) == dt(2026, 12, 2, 10)


# -- validation of admin data ----------------------------------------------------------------------


@pytest.mark.parametrize(
	("rows", "message"),
	[
		(
			[
				{"weekday": 0, "start": "09:00", "end": "12:00"},
				{"weekday": 0, "start": "11:00", "end": "14:00"},
			],
			"Working hours on {day} overlap: {first} and {second}",
		),
		(
			[{"weekday": 0, "start": "09:00", "end": "09:00"}],
			"Working hours row {row}: start and end are both {start}",
		),
		(
			[{"weekday": 7, "start": "09:00", "end": "18:00"}],
			"Working hours row {row}: weekday must be 0 (Monday) to 6 (Sunday), got {value}",
		),
		(
			[{"weekday": "Funday", "start": "09:00", "end": "18:00"}],
			"Working hours row {row}: weekday must be 0 (Monday) to 6 (Sunday), got {value}",
		),
		(
			[{"weekday": 0, "start": "25:00", "end": "18:00"}],
			"Working hours row {row}: {field} {value} is not a time of day; use HH:MM",
		),
		(
			[{"weekday": 0, "start": "9h", "end": "18:00"}],
			"Working hours row {row}: {field} {value} is not a time of day; use HH:MM",
		),
		(
			[{"weekday": 0, "start": "24:00", "end": "06:00"}],
			"Working hours row {row}: a window cannot start at 24:00",
		),
		(
			# An overnight Sunday shift running into Monday's own early window.
			[
				{"weekday": 6, "start": "22:00", "end": "08:00"},
				{"weekday": 0, "start": "07:00", "end": "18:00"},
			],
			"Working hours on {day} overlap: {first} and {second}",
		),
	],
)
def test_from_spec_refuses_invalid_rows(rows, message):
	with pytest.raises(PolicyViolation) as exc:
		BusinessCalendar.from_spec(rows)
	assert exc.value.message == message


def test_overlap_message_names_day_and_windows():
	rows = [
		{"weekday": 2, "start": "09:00", "end": "12:00"},
		{"weekday": 2, "start": "11:30", "end": "14:00"},
	]
	with pytest.raises(PolicyViolation) as exc:
		BusinessCalendar.from_spec(rows)
	assert exc.value.params == {"day": "Wednesday", "first": "09:00-12:00", "second": "11:30-14:00"}


def test_touching_windows_are_accepted():
	cal = CalendarSpecFactory(
		rows=[
			{"weekday": 0, "start": "09:00", "end": "12:00"},
			{"weekday": 0, "start": "12:00", "end": "18:00"},
		]
	)
	assert business_time_between(cal, dt(2025, 3, 3), dt(2025, 3, 4)) == 9 * H


def test_from_spec_accepts_frappe_time_values_and_row_idx():
	cal = CalendarSpecFactory(
		rows=[
			{"idx": 1, "weekday": "Mon", "start": timedelta(hours=8, minutes=30), "end": timedelta(hours=24)}
		]
	)
	assert cal.windows == {0: ((time(8, 30), time(0)),)}
	with pytest.raises(PolicyViolation) as exc:
		BusinessCalendar.from_spec([{"idx": 4, "weekday": 0, "start": "10:00", "end": "10:00"}])
	assert exc.value.params["row"] == 4


def test_end_00_00_means_midnight_not_an_empty_window():
	cal = CalendarSpecFactory(rows=[{"weekday": 0, "start": "00:00", "end": "00:00"}])
	assert business_time_between(cal, dt(2025, 3, 3), dt(2025, 3, 4)) == 24 * H


def test_holiday_that_is_also_a_make_up_day_is_refused():
	with pytest.raises(PolicyViolation) as exc:
		BusinessCalendar.from_spec(spec_rows(), holidays=["2025-10-01"], extra_working_days=["2025-10-01"])
	assert exc.value.message == "{date} is both a holiday and a make-up working day"


@pytest.mark.parametrize(
	"extra",
	[
		[{"date": "2025-09-28", "start": "22:00", "end": "06:00"}],
		[{"date": "2025-09-28", "weekday": 6}],
		["not-a-date"],
	],
)
def test_invalid_make_up_days_are_refused(extra):
	with pytest.raises(PolicyViolation):
		BusinessCalendar.from_spec(spec_rows(), extra_working_days=extra)


def test_bad_holiday_date_is_refused():
	with pytest.raises(PolicyViolation) as exc:
		BusinessCalendar.from_spec(spec_rows(), holidays=["2025-02-30"])
	assert exc.value.params == {"what": "holiday", "value": "2025-02-30"}


@pytest.mark.parametrize(
	"windows",
	[
		{0: ((time(18), time(9)),)},
		{0: ((time(9), time(9)),)},
		{0: ((time(9), time(12)), (time(10), time(11)))},
		{9: ((time(9), time(12)),)},
		{0: (("09:00", "12:00"),)},
	],
)
def test_constructor_validates_windows(windows):
	with pytest.raises(PolicyViolation):
		BusinessCalendar(windows=windows)


def test_calendar_is_hashable_and_comparable():
	assert BusinessCalendarFactory() == BusinessCalendarFactory()
	assert hash(BusinessCalendarFactory()) == hash(BusinessCalendarFactory())
	assert BusinessCalendarFactory() != BusinessCalendarFactory(lunch_break=True)


# -- time zones ------------------------------------------------------------------------------------


def test_time_zone_conversion_across_a_foreign_dst_change():
	# Berlin moves clocks forward at 01:00 UTC on 30 March 2025; Shanghai has no DST.
	assert to_calendar_time(dt(2025, 3, 30, 8, 30), "Asia/Shanghai", "Europe/Berlin") == dt(
		2025, 3, 30, 1, 30
	)
	assert to_calendar_time(dt(2025, 3, 30, 9, 30), "Asia/Shanghai", "Europe/Berlin") == dt(
		2025, 3, 30, 3, 30
	)
	assert from_calendar_time(dt(2025, 3, 30, 3, 30), "Asia/Shanghai", "Europe/Berlin") == dt(
		2025, 3, 30, 9, 30
	)


def test_same_time_zone_is_unchanged_and_unknown_zone_refused():
	moment = dt(2025, 3, 3, 10)
	assert to_calendar_time(moment, "Asia/Shanghai", "Asia/Shanghai") == moment
	with pytest.raises(PolicyViolation):
		to_calendar_time(moment, "Asia/Shanghai", "Mars/Olympus")


@PROPS
@given(moment=st.datetimes(datetime(2020, 1, 1), datetime(2030, 12, 31)))
def test_time_zone_round_trip(moment):
	local = to_calendar_time(moment, "Asia/Shanghai", "America/New_York")
	# Shanghai has no DST, so every Shanghai moment is unambiguous and converts back exactly.
	assert from_calendar_time(local, "Asia/Shanghai", "America/New_York") == moment


# -- properties ------------------------------------------------------------------------------------


def reference_between(cal: BusinessCalendar, start: datetime, end: datetime) -> timedelta:
	"""Day by day, window by window: the slow obvious answer."""
	total, day = timedelta(0), start.date()
	while day <= end.date():
		midnight = datetime.combine(day, time(0))
		for lo, hi in cal.windows_on(day):
			w_start = midnight.replace(hour=lo.hour, minute=lo.minute)
			w_end = (
				midnight + timedelta(days=1)
				if hi == time(0)
				else midnight.replace(hour=hi.hour, minute=hi.minute)
			)
			part = min(w_end, end) - max(w_start, start)
			if part > timedelta(0):
				total += part
		day += timedelta(days=1)
	return total


@PROPS
@given(cal=calendars(), start=moments, end=moments)
def test_between_matches_day_by_day_reference(cal, start, end):
	assert business_time_between(cal, start, end) == reference_between(cal, start, end)


@PROPS
@given(cal=calendars(), start=moments, duration=durations)
def test_add_then_measure_gives_the_duration_back(cal, start, duration):
	end = add_business_time(cal, start, duration)
	assert end >= start
	assert business_time_between(cal, start, end) == duration
	if duration:
		# Earliest such moment: a microsecond earlier, the duration has not fully elapsed yet.
		assert business_time_between(cal, start, end - timedelta.resolution) < duration


@PROPS
@given(cal=calendars(), start=moments, a=durations, b=durations)
def test_adding_in_two_steps_equals_adding_the_sum_and_never_goes_back(cal, start, a, b):
	first = add_business_time(cal, start, a)
	total = add_business_time(cal, start, a + b)
	assert add_business_time(cal, first, b) == total
	assert first <= total


@PROPS
@given(cal=calendars(), points=st.lists(moments, min_size=3, max_size=3).map(sorted))
def test_between_is_additive(cal, points):
	a, b, c = points
	assert business_time_between(cal, a, c) == business_time_between(cal, a, b) + business_time_between(
		cal, b, c
	)


@PROPS
@given(cal=calendars(), at=moments)
def test_next_open_is_open_and_skips_no_business_time(cal, at):
	opened = next_open(cal, at)
	assert opened >= at
	assert is_open(cal, opened)
	assert business_time_between(cal, at, opened) == timedelta(0)
	assert (opened == at) == is_open(cal, at)


@PROPS
@given(start=moments, duration=st.timedeltas(timedelta(0), timedelta(days=400)), end=moments)
def test_always_calendar_is_plain_arithmetic(start, duration, end):
	cal = BusinessCalendar.always()
	assert add_business_time(cal, start, duration) == start + duration
	assert business_time_between(cal, start, end) == max(end - start, timedelta(0))


def test_working_days_skip_weekends_and_the_calendars_holidays():
	from complaint_mgmt.engine.calendar import add_working_days

	friday = date(2025, 3, 7)
	assert add_working_days(friday, 3) == date(2025, 3, 12)  # Mon, Tue, Wed
	assert add_working_days(friday, 0) == friday
	office = BusinessCalendar.from_spec(
		[{"weekday": wd, "start": "09:00", "end": "18:00"} for wd in range(5)], holidays=[date(2025, 3, 10)]
	)
	assert add_working_days(friday, 3, office) == date(2025, 3, 13)
	assert add_working_days(friday, 3, BusinessCalendar.always()) == date(2025, 3, 10)
