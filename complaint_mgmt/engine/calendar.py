"""Business calendar: when the SLA clock runs.

Conventions
-----------
- Every datetime is naive and expressed in the calendar's local wall-clock time. The Frappe layer
  converts from the system time zone with :func:`to_calendar_time` / :func:`from_calendar_time` when
  the calendar's time zone differs. Business time is wall-clock time inside the windows: a daylight-
  saving jump inside a window is not corrected for, so keep the calendar in its own local time.
- A window ``(start, end)`` is half-open, ``[start, end)``. An end of ``time(0)`` means 24:00, the
  midnight that ends the day; a start of ``time(0)`` means 00:00. ``(time(0), time(0))`` is the whole
  day. Any other window needs ``start < end``.
- A day may have several windows (09:00-12:00 and 13:00-18:00). Overlapping windows are refused;
  windows that touch are treated as one.
- An overnight shift (22:00-06:00) is stored as two windows, 22:00-24:00 on its weekday and
  00:00-06:00 on the next; :meth:`BusinessCalendar.from_spec` splits it. Each piece belongs to the
  date it falls on, so a holiday closes only its own date.
- ``holidays`` close whole dates. ``extra_working_days`` are make-up working days (调休): the date
  works with its own windows instead of its weekday's. A date cannot be both.
- :func:`add_business_time` returns the earliest moment at which the duration has elapsed: a zero
  duration returns ``start`` unchanged (even outside working hours), and a duration that is used up
  exactly at a window's end returns that end (Friday 18:00), not the next opening. Outside a window
  the clock waits for the next one. On the 24x7 calendar it is plain addition.
- Searches are bounded: if no working time is found within ``SEARCH_LIMIT_DAYS`` consecutive days,
  or the calendar has no working time at all, :class:`PolicyViolation` is raised instead of looping.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from complaint_mgmt.engine.errors import PolicyViolation

__all__ = [
	"SEARCH_LIMIT_DAYS",
	"WEEKDAY_NAMES",
	"BusinessCalendar",
	"add_business_time",
	"business_time_between",
	"from_calendar_time",
	"is_open",
	"next_open",
	"to_calendar_time",
]

ZERO = timedelta(0)
DAY = timedelta(days=1)
SEARCH_LIMIT_DAYS = 3 * 366
WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")

Window = tuple[time, time]
Windows = tuple[Window, ...]
_Span = tuple[timedelta, timedelta]

_TIME_RE = re.compile(r"^\s*(\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,6}))?)?\s*$")


def _offset(t: time) -> timedelta:
	return timedelta(hours=t.hour, minutes=t.minute, seconds=t.second, microseconds=t.microsecond)


def _as_time(offset: timedelta) -> time:
	"""Offset from midnight to a ``time``; 24:00 becomes ``time(0)`` (the end-of-day convention)."""
	return time(0) if offset >= DAY else (datetime.min + offset).time()


def _fmt(offset: timedelta) -> str:
	if offset >= DAY:
		return "24:00"
	t = _as_time(offset)
	return t.strftime("%H:%M:%S") if t.second or t.microsecond else t.strftime("%H:%M")


def _midnight(d: date) -> datetime:
	return datetime(d.year, d.month, d.day)


def _require_naive(*moments: datetime) -> None:
	for moment in moments:
		if moment.tzinfo is not None:
			raise ValueError(f"naive local datetimes expected, got {moment!r}")


def _spans(windows: Iterable[Window], where: str) -> tuple[_Span, ...]:
	"""Validate one date's windows; return sorted, merged (start, end) offsets from midnight."""
	raw: list[_Span] = []
	for window in windows:
		start, end = window
		if not isinstance(start, time) or not isinstance(end, time):
			raise PolicyViolation(
				"Working hours on {day}: {window} is not a pair of times", day=where, window=window
			)
		if start.tzinfo is not None or end.tzinfo is not None:
			raise PolicyViolation("Working hours on {day} must not carry a time zone", day=where)
		lo, hi = _offset(start), (DAY if end == time(0) else _offset(end))
		if lo == hi:
			raise PolicyViolation(
				"Working hours on {day}: start and end are both {start}", day=where, start=_fmt(lo)
			)
		if hi < lo:
			raise PolicyViolation(
				"Working hours on {day}: {start}-{end} ends before it starts; "
				"split an overnight shift at midnight",
				day=where,
				start=_fmt(lo),
				end=_fmt(hi),
			)
		raw.append((lo, hi))
	raw.sort()
	merged: list[_Span] = []
	for lo, hi in raw:
		if merged and lo < merged[-1][1]:
			prev = merged[-1]
			raise PolicyViolation(
				"Working hours on {day} overlap: {first} and {second}",
				day=where,
				first=f"{_fmt(prev[0])}-{_fmt(prev[1])}",
				second=f"{_fmt(lo)}-{_fmt(hi)}",
			)
		if merged and lo == merged[-1][1]:
			merged[-1] = (merged[-1][0], hi)
		else:
			merged.append((lo, hi))
	return tuple(merged)


def _total(spans: tuple[_Span, ...]) -> timedelta:
	return sum((hi - lo for lo, hi in spans), ZERO)


def _clip(spans: tuple[_Span, ...], lo: timedelta, hi: timedelta) -> timedelta:
	total = ZERO
	for s, e in spans:
		part = min(e, hi) - max(s, lo)
		if part > ZERO:
			total += part
	return total


@dataclass(frozen=True)
class BusinessCalendar:
	"""Working windows per weekday (0 = Monday), holidays and make-up working days.

	Construct directly with ``time`` windows or from admin rows with :meth:`from_spec`; both validate.
	"""

	windows: Mapping[int, Windows] = field(default_factory=dict, hash=False)
	holidays: frozenset[date] = frozenset()
	extra_working_days: Mapping[date, Windows] = field(default_factory=dict, hash=False)

	_weekday_spans: tuple[tuple[_Span, ...], ...] = field(init=False, repr=False, compare=False)
	_weekday_totals: tuple[timedelta, ...] = field(init=False, repr=False, compare=False)
	_week_total: timedelta = field(init=False, repr=False, compare=False)
	_extra_spans: dict[date, tuple[_Span, ...]] = field(init=False, repr=False, compare=False)
	_extra_dates: tuple[date, ...] = field(init=False, repr=False, compare=False)
	_exceptions: tuple[date, ...] = field(init=False, repr=False, compare=False)
	_always: bool = field(init=False, repr=False, compare=False)

	def __post_init__(self) -> None:
		windows: dict[int, Windows] = {}
		for weekday, day_windows in dict(self.windows).items():
			if isinstance(weekday, bool) or not isinstance(weekday, int) or not 0 <= weekday <= 6:
				raise PolicyViolation("Weekday must be 0 (Monday) to 6 (Sunday), got {value}", value=weekday)
			windows[weekday] = tuple(tuple(w) for w in day_windows)
		weekday_spans = tuple(_spans(windows.get(wd, ()), WEEKDAY_NAMES[wd]) for wd in range(7))
		windows = {wd: tuple(sorted(w, key=lambda pair: _offset(pair[0]))) for wd, w in windows.items()}

		holidays = frozenset(self.holidays)
		extra: dict[date, Windows] = {}
		extra_spans: dict[date, tuple[_Span, ...]] = {}
		for day, day_windows in dict(self.extra_working_days).items():
			if day in holidays:
				raise PolicyViolation("{date} is both a holiday and a make-up working day", date=day)
			extra[day] = tuple(tuple(w) for w in day_windows)
			extra_spans[day] = _spans(extra[day], day.isoformat())
			if not extra_spans[day]:
				raise PolicyViolation("Make-up working day {date} has no working hours", date=day)

		object.__setattr__(self, "windows", windows)
		object.__setattr__(self, "holidays", holidays)
		object.__setattr__(self, "extra_working_days", extra)
		object.__setattr__(self, "_weekday_spans", weekday_spans)
		object.__setattr__(self, "_weekday_totals", tuple(_total(s) for s in weekday_spans))
		object.__setattr__(self, "_week_total", sum(self._weekday_totals, ZERO))
		object.__setattr__(self, "_extra_spans", extra_spans)
		object.__setattr__(self, "_extra_dates", tuple(sorted(extra_spans)))
		object.__setattr__(self, "_exceptions", tuple(sorted(holidays | set(extra_spans))))
		full_day = ((ZERO, DAY),)
		always = (
			not holidays
			and all(s == full_day for s in weekday_spans)
			and all(s == full_day for s in extra_spans.values())
		)
		object.__setattr__(self, "_always", always)

	@classmethod
	def always(cls) -> BusinessCalendar:
		"""The default calendar: open 24 hours a day, 7 days a week, no holidays."""
		return cls(windows={wd: ((time(0), time(0)),) for wd in range(7)})

	@property
	def is_always(self) -> bool:
		"""True when the calendar never closes (business time equals elapsed time)."""
		return self._always

	@classmethod
	def from_spec(
		cls,
		rows: Iterable[Mapping[str, Any]],
		holidays: Iterable[date | str] = (),
		extra_working_days: Iterable[date | str | Mapping[str, Any]] = (),
	) -> BusinessCalendar:
		"""Build a calendar from plain admin rows, validating them.

		``rows``: ``{"weekday": 0..6 or "Monday", "start": ..., "end": ...}``; times are ``"HH:MM"``
		(``"HH:MM:SS"``), ``time`` or ``timedelta`` (as Frappe returns Time fields). An end of
		``"24:00"`` or ``"00:00"`` is midnight ending the day; an end before the start is an
		overnight shift, split at midnight onto the next weekday. ``idx`` (if present) names the row in
		errors.

		``holidays``: dates or ISO strings.

		``extra_working_days``: each item is a date / ISO string or ``{"date": ...}`` (works like the
		regular working day: Monday's windows, or the first weekday that has any),
		``{"date": ..., "weekday": n}`` (works like weekday ``n``, after overnight splitting) or
		``{"date": ..., "start": ..., "end": ...}`` (an explicit window; several rows for one date add up;
		no overnight windows, end at 24:00 instead).
		"""
		per_day: dict[int, list[Window]] = {wd: [] for wd in range(7)}
		for position, row in enumerate(rows, start=1):
			label = row.get("idx") or position
			weekday = _parse_weekday(row.get("weekday"), label)
			lo = _parse_offset(row.get("start"), label, "start")
			hi = _parse_offset(row.get("end"), label, "end")
			if lo >= DAY:
				raise PolicyViolation("Working hours row {row}: a window cannot start at 24:00", row=label)
			hi = DAY if hi == ZERO else hi
			if hi == lo:
				raise PolicyViolation(
					"Working hours row {row}: start and end are both {start}", row=label, start=_fmt(lo)
				)
			if hi > lo:
				per_day[weekday].append((_as_time(lo), _as_time(hi)))
			else:
				per_day[weekday].append((_as_time(lo), time(0)))
				per_day[(weekday + 1) % 7].append((time(0), _as_time(hi)))
		windows = {wd: tuple(w) for wd, w in per_day.items() if w}

		holiday_set = frozenset(_parse_date(value, "holiday") for value in holidays)

		extra: dict[date, list[Window]] = {}
		regular = windows.get(0) or next((windows[wd] for wd in sorted(windows)), ())
		for item in extra_working_days:
			spec = item if isinstance(item, Mapping) else {"date": item}
			day = _parse_date(spec.get("date"), "make-up working day")
			if spec.get("start") is not None or spec.get("end") is not None:
				lo = _parse_offset(spec.get("start"), day.isoformat(), "start")
				hi = _parse_offset(spec.get("end"), day.isoformat(), "end")
				hi = DAY if hi == ZERO else hi
				if lo >= hi:
					raise PolicyViolation(
						"Make-up working day {date}: {start}-{end} is not a window on that day; "
						"overnight hours are not supported, end at 24:00 instead",
						date=day,
						start=_fmt(lo),
						end=_fmt(hi),
					)
				extra.setdefault(day, []).append((_as_time(lo), _as_time(hi)))
			elif spec.get("weekday") is not None:
				template = _parse_weekday(spec.get("weekday"), day.isoformat())
				if not windows.get(template):
					raise PolicyViolation(
						"Make-up working day {date} copies {weekday}, which has no working hours",
						date=day,
						weekday=WEEKDAY_NAMES[template],
					)
				extra.setdefault(day, []).extend(windows[template])
			else:
				if not regular:
					raise PolicyViolation(
						"Make-up working day {date} needs working hours, but no weekday has any", date=day
					)
				extra.setdefault(day, []).extend(regular)
		return cls(
			windows=windows,
			holidays=holiday_set,
			extra_working_days={day: tuple(w) for day, w in extra.items()},
		)

	def windows_on(self, day: date) -> Windows:
		"""The windows that apply on ``day`` (after holidays and make-up days), as ``time`` pairs."""
		return tuple((_as_time(lo), _as_time(hi)) for lo, hi in self._spans_on(day))

	def _spans_on(self, day: date) -> tuple[_Span, ...]:
		if day in self.holidays:
			return ()
		extra = self._extra_spans.get(day)
		if extra is not None:
			return extra
		return self._weekday_spans[day.weekday()]

	def _day_total(self, day: date) -> timedelta:
		if day in self.holidays:
			return ZERO
		extra = self._extra_spans.get(day)
		if extra is not None:
			return _total(extra)
		return self._weekday_totals[day.weekday()]

	def _open_from(self, day: date) -> bool:
		"""Whether any working time can exist on or after ``day`` (ignoring holidays)."""
		return self._week_total > ZERO or bisect_left(self._extra_dates, day) < len(self._extra_dates)

	def _full_days_between(self, first: date, stop: date) -> timedelta:
		"""Working time of the whole dates ``first`` (inclusive) to ``stop`` (exclusive)."""
		days = (stop - first).days
		if days <= 0:
			return ZERO
		weeks, rest = divmod(days, 7)
		total = self._week_total * weeks
		weekday = first.weekday()
		for i in range(rest):
			total += self._weekday_totals[(weekday + i) % 7]
		lo, hi = bisect_left(self._exceptions, first), bisect_left(self._exceptions, stop)
		for day in self._exceptions[lo:hi]:
			total += self._day_total(day) - self._weekday_totals[day.weekday()]
		return total


def _parse_weekday(value: Any, row: Any) -> int:
	if isinstance(value, str):
		text = value.strip()
		if text.isdigit():
			value = int(text)
		else:
			for number, name in enumerate(WEEKDAY_NAMES):
				if text.lower() in (name.lower(), name[:3].lower()):
					return number
	if isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= 6:
		return value
	raise PolicyViolation(
		"Working hours row {row}: weekday must be 0 (Monday) to 6 (Sunday), got {value}", row=row, value=value
	)


def _parse_offset(value: Any, row: Any, name: str) -> timedelta:
	"""A time of day as an offset from midnight, 00:00 to 24:00 inclusive."""
	if isinstance(value, time) and value.tzinfo is None:
		return _offset(value)
	if isinstance(value, timedelta) and ZERO <= value <= DAY:
		return value
	if isinstance(value, str):
		match = _TIME_RE.match(value)
		if match:
			hours, minutes, seconds = int(match[1]), int(match[2]), int(match[3] or 0)
			micros = int((match[4] or "0").ljust(6, "0"))
			offset = timedelta(hours=hours, minutes=minutes, seconds=seconds, microseconds=micros)
			if minutes < 60 and seconds < 60 and offset <= DAY:
				return offset
	raise PolicyViolation(
		"Working hours row {row}: {field} {value} is not a time of day; use HH:MM",
		row=row,
		field=name,
		value=value,
	)


def _parse_date(value: Any, what: str) -> date:
	if isinstance(value, datetime):
		return value.date()
	if isinstance(value, date):
		return value
	if isinstance(value, str):
		try:
			return date.fromisoformat(value.strip())
		except ValueError:
			pass
	raise PolicyViolation("Invalid {what} date {value}; use YYYY-MM-DD", what=what, value=value)


def _no_working_hours() -> PolicyViolation:
	return PolicyViolation("The business calendar has no working hours")


def _nothing_open(since: datetime) -> PolicyViolation:
	return PolicyViolation(
		"The business calendar has no working time in the {days} days after {moment}",
		days=SEARCH_LIMIT_DAYS,
		moment=since,
	)


def add_working_days(start: date, days: int, cal: BusinessCalendar | None = None) -> date:
	"""The date ``days`` working days after ``start`` ("paid within 3 working days").

	A working day is a date on which ``cal`` has working time; without a calendar, Monday to
	Friday. ``start`` itself never counts.
	"""
	if days < 0:
		raise PolicyViolation("The number of working days cannot be negative")
	day, counted = start, 0
	for _ in range(SEARCH_LIMIT_DAYS):
		if counted == days:
			return day
		day += timedelta(days=1)
		working = day.weekday() < 5 if cal is None else (cal.is_always or cal._day_total(day) > ZERO)
		counted += 1 if working else 0
	if counted == days:
		return day
	raise _nothing_open(datetime.combine(start, time()))


def is_open(cal: BusinessCalendar, at: datetime) -> bool:
	"""Whether the clock runs at ``at`` (windows are half-open: open at 09:00, closed at 18:00)."""
	_require_naive(at)
	offset = at - _midnight(at.date())
	return any(lo <= offset < hi for lo, hi in cal._spans_on(at.date()))


def next_open(cal: BusinessCalendar, at: datetime) -> datetime:
	"""``at`` itself if the calendar is open then, otherwise the start of the next window."""
	_require_naive(at)
	if cal._always:
		return at
	if not cal._open_from(at.date()):
		raise _no_working_hours()
	day, offset, closed_days = at.date(), at - _midnight(at.date()), 0
	while True:
		for lo, hi in cal._spans_on(day):
			if offset < hi:
				return _midnight(day) + max(lo, offset)
		day, offset, closed_days = day + DAY, ZERO, closed_days + 1
		if closed_days > SEARCH_LIMIT_DAYS or not cal._open_from(day):
			raise _nothing_open(at)


def add_business_time(cal: BusinessCalendar, start: datetime, duration: timedelta) -> datetime:
	"""The earliest moment at which ``duration`` of business time has elapsed since ``start``.

	Zero returns ``start``; a start outside the windows waits for the next one; a duration used up
	exactly at a window's end returns that end. Whole weeks without holidays or make-up days are skipped
	in one step, so long durations cost little.
	"""
	_require_naive(start)
	if duration < ZERO:
		raise ValueError(f"duration must not be negative, got {duration!r}")
	if duration == ZERO:
		return start
	if cal._always:
		return start + duration
	if not cal._open_from(start.date()):
		raise _no_working_hours()
	day, offset, remaining, closed_days = start.date(), start - _midnight(start.date()), duration, 0
	week = cal._week_total
	while True:
		opened = False
		for lo, hi in cal._spans_on(day):
			if hi <= offset:
				continue
			lo = max(lo, offset)
			available = hi - lo
			if remaining <= available:
				return _midnight(day) + lo + remaining
			remaining -= available
			opened = True
		day, offset = day + DAY, ZERO
		closed_days = 0 if opened else closed_days + 1
		if closed_days > SEARCH_LIMIT_DAYS or not cal._open_from(day):
			raise _nothing_open(start)
		if week and remaining > week:
			# Skip whole weeks that contain no holiday or make-up day; keep at least a moment to spend.
			weeks = (remaining - timedelta.resolution) // week
			nxt = bisect_left(cal._exceptions, day)
			if nxt < len(cal._exceptions):
				weeks = min(weeks, (cal._exceptions[nxt] - day).days // 7)
			if weeks > 0:
				day += timedelta(days=7 * weeks)
				remaining -= week * weeks


def business_time_between(cal: BusinessCalendar, start: datetime, end: datetime) -> timedelta:
	"""Business time in ``[start, end)``; zero when ``end <= start``. Exact subtraction on 24x7."""
	_require_naive(start, end)
	if end <= start:
		return ZERO
	if cal._always:
		return end - start
	first, last = start.date(), end.date()
	lo, hi = start - _midnight(first), end - _midnight(last)
	if first == last:
		return _clip(cal._spans_on(first), lo, hi)
	return (
		_clip(cal._spans_on(first), lo, DAY)
		+ cal._full_days_between(first + DAY, last)
		+ _clip(cal._spans_on(last), ZERO, hi)
	)


def _zone(name: str) -> ZoneInfo:
	try:
		return ZoneInfo(name)
	except (ZoneInfoNotFoundError, ValueError) as exc:
		raise PolicyViolation("Unknown time zone {tz}", tz=name) from exc


def to_calendar_time(dt: datetime, system_tz: str, calendar_tz: str) -> datetime:
	"""System time (naive, in ``system_tz``; or aware) to naive wall-clock time in ``calendar_tz``.

	Ambiguous or skipped naive times (DST changes) are read with ``fold=0``, as zoneinfo does.
	"""
	if dt.tzinfo is None:
		if system_tz == calendar_tz:
			return dt
		dt = dt.replace(tzinfo=_zone(system_tz))
	return dt.astimezone(_zone(calendar_tz)).replace(tzinfo=None)


def from_calendar_time(dt: datetime, system_tz: str, calendar_tz: str) -> datetime:
	"""The reverse of :func:`to_calendar_time`: calendar wall-clock time to naive system time."""
	return to_calendar_time(dt, calendar_tz, system_tz)
