"""Milestone clock: how much of an SLA target is used, and when it is due.

Conventions
-----------
- Datetimes are naive local times of the business calendar (see ``engine.calendar``); durations are
  business time on that calendar.
- The clock starts at ``started_at`` and stops at ``met_at`` (if met) or ``now``. ``elapsed`` is the
  business time in between minus the business time spent paused. Pauses are clipped to that span,
  overlapping pauses count once, an open pause (``end=None``) runs until ``now``, and a pause that has
  not started by ``now`` is ignored.
- ``due_at`` is the earliest moment at which ``elapsed`` reaches the target given the pauses known so
  far. While a pause is open, ``due_at`` is computed as if the pause ended ``now``: it moves later for
  as long as the pause lasts. ``at_risk_at`` is computed the same way for ``at_risk_percent`` of the
  target.
- A milestone is breached once ``now > due_at`` (at ``due_at`` itself it can still be met on time),
  and a met milestone is late when ``met_at > due_at``. Status precedence: Met, Stopped, Breached,
  Paused, At Risk, On Track; a milestone that breached before it was paused stays Breached.
- A stopped clock (``stopped_at``: the complaint reached a terminal state before the milestone was
  met) counts no further time and is never due again; it was breached if it stopped after ``due_at``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from complaint_mgmt.engine.calendar import BusinessCalendar, add_business_time, business_time_between
from complaint_mgmt.engine.errors import PolicyViolation

__all__ = [
	"STATUSES",
	"STATUS_AT_RISK",
	"STATUS_BREACHED",
	"STATUS_MET",
	"STATUS_ON_TRACK",
	"STATUS_PAUSED",
	"STATUS_STOPPED",
	"MilestoneClock",
	"MilestoneState",
	"Pause",
	"evaluate_milestone",
	"extend_deadline",
	"is_paused_at",
	"time_when_elapsed",
]

STATUS_ON_TRACK = "On Track"
STATUS_AT_RISK = "At Risk"
STATUS_BREACHED = "Breached"
STATUS_MET = "Met"
STATUS_PAUSED = "Paused"
STATUS_STOPPED = "Stopped"
STATUSES = (STATUS_ON_TRACK, STATUS_AT_RISK, STATUS_BREACHED, STATUS_MET, STATUS_PAUSED, STATUS_STOPPED)

ZERO = timedelta(0)


@dataclass(frozen=True)
class Pause:
	"""The clock stood still from ``start`` until ``end``; ``end=None`` means still paused."""

	start: datetime
	end: datetime | None = None


@dataclass(frozen=True)
class MilestoneClock:
	"""What a milestone's clock depends on; ``target`` already includes any granted extension."""

	cal: BusinessCalendar
	started_at: datetime
	target: timedelta
	pauses: tuple[Pause, ...] = ()
	met_at: datetime | None = None
	stopped_at: datetime | None = None

	def __post_init__(self) -> None:
		object.__setattr__(self, "pauses", tuple(self.pauses))

	def evaluate(self, now: datetime, *, at_risk_percent: float) -> MilestoneState:
		""":func:`evaluate_milestone` for this clock."""
		return evaluate_milestone(
			cal=self.cal,
			started_at=self.started_at,
			target=self.target,
			now=now,
			pauses=self.pauses,
			met_at=self.met_at,
			stopped_at=self.stopped_at,
			at_risk_percent=at_risk_percent,
		)

	def time_when_elapsed(self, amount: timedelta, now: datetime) -> datetime:
		""":func:`time_when_elapsed` for this clock (pauses known up to ``now``, or ``met_at`` once met)."""
		stop = self.met_at or self.stopped_at or now
		return time_when_elapsed(
			cal=self.cal, started_at=self.started_at, amount=amount, now=stop, pauses=self.pauses
		)


@dataclass(frozen=True)
class MilestoneState:
	"""A milestone evaluated at one moment; see the module docstring for the definitions."""

	status: str
	started_at: datetime
	target: timedelta
	due_at: datetime
	at_risk_at: datetime
	elapsed: timedelta
	paused: timedelta
	remaining: timedelta
	overdue: timedelta
	percent_used: float
	is_paused: bool
	met_at: datetime | None
	met_late: bool
	breached: bool


def _check_target(target: timedelta) -> None:
	if target <= ZERO:
		raise PolicyViolation("The SLA target must be longer than zero, got {target}", target=target)


def _pause_spans(
	pauses: Iterable[Pause], started_at: datetime, stop: datetime
) -> list[tuple[datetime, datetime]]:
	"""Pauses clipped to ``[started_at, stop]``, open ones ending at ``stop``, sorted and merged."""
	spans: list[tuple[datetime, datetime]] = []
	for pause in pauses:
		if pause.end is not None and pause.end < pause.start:
			raise PolicyViolation(
				"A pause cannot end before it starts ({start} to {end})", start=pause.start, end=pause.end
			)
		lo = max(pause.start, started_at)
		hi = stop if pause.end is None else min(pause.end, stop)
		if hi > lo:
			spans.append((lo, hi))
	spans.sort()
	merged: list[tuple[datetime, datetime]] = []
	for lo, hi in spans:
		if merged and lo <= merged[-1][1]:
			merged[-1] = (merged[-1][0], max(hi, merged[-1][1]))
		else:
			merged.append((lo, hi))
	return merged


def _walk(
	cal: BusinessCalendar, started_at: datetime, amount: timedelta, spans: Sequence[tuple[datetime, datetime]]
) -> datetime:
	cursor, need = started_at, amount
	for lo, hi in spans:
		candidate = add_business_time(cal, cursor, need)
		if candidate <= lo:
			return candidate
		need -= business_time_between(cal, cursor, lo)
		cursor = hi
	return add_business_time(cal, cursor, need)


def is_paused_at(pauses: Iterable[Pause], at: datetime) -> bool:
	"""Whether a pause covers ``at`` (pauses are half-open: running again at ``end``)."""
	return any(p.start <= at and (p.end is None or at < p.end) for p in pauses)


def time_when_elapsed(
	*,
	cal: BusinessCalendar,
	started_at: datetime,
	amount: timedelta,
	now: datetime,
	pauses: Iterable[Pause] = (),
) -> datetime:
	"""The moment the clock has counted ``amount`` of business time, pauses excluded.

	Pauses are known up to ``now``; an open pause is taken to end at ``now``.
	"""
	if amount < ZERO:
		raise ValueError(f"amount must not be negative, got {amount!r}")
	return _walk(cal, started_at, amount, _pause_spans(pauses, started_at, now))


def evaluate_milestone(
	*,
	cal: BusinessCalendar,
	started_at: datetime,
	target: timedelta,
	now: datetime,
	pauses: Iterable[Pause] = (),
	met_at: datetime | None = None,
	stopped_at: datetime | None = None,
	at_risk_percent: float,
) -> MilestoneState:
	"""Status, deadline and usage of one milestone at ``now``."""
	_check_target(target)
	if not 0 < at_risk_percent <= 100:
		raise PolicyViolation(
			"The at-risk threshold must be above 0 and at most 100 percent, got {value}",
			value=at_risk_percent,
		)
	pauses = tuple(pauses)
	stopped = met_at is None and stopped_at is not None
	stop = met_at if met_at is not None else (stopped_at if stopped else now)
	spans = _pause_spans(pauses, started_at, stop)
	paused = sum((business_time_between(cal, lo, hi) for lo, hi in spans), ZERO)
	elapsed = business_time_between(cal, started_at, stop) - paused
	due_at = _walk(cal, started_at, target, spans)
	at_risk_at = _walk(cal, started_at, target * (at_risk_percent / 100), spans)
	paused_now = met_at is None and not stopped and is_paused_at(pauses, now)
	met_late = met_at is not None and met_at > due_at
	stopped_late = stopped and stopped_at > due_at

	if met_at is not None:
		status = STATUS_MET
	elif stopped:
		status = STATUS_STOPPED
	elif now > due_at:
		status = STATUS_BREACHED
	elif paused_now:
		status = STATUS_PAUSED
	elif now >= at_risk_at:
		status = STATUS_AT_RISK
	else:
		status = STATUS_ON_TRACK

	return MilestoneState(
		status=status,
		started_at=started_at,
		target=target,
		due_at=due_at,
		at_risk_at=at_risk_at,
		elapsed=elapsed,
		paused=paused,
		remaining=max(target - elapsed, ZERO),
		overdue=max(elapsed - target, ZERO),
		percent_used=elapsed / target * 100,
		is_paused=paused_now,
		met_at=met_at,
		met_late=met_late,
		breached=status == STATUS_BREACHED or met_late or stopped_late,
	)


def extend_deadline(
	*,
	cal: BusinessCalendar,
	started_at: datetime,
	target: timedelta,
	now: datetime,
	extension: timedelta,
	pauses: Iterable[Pause] = (),
	extensions_granted: int = 0,
	met_at: datetime | None = None,
	max_extensions: int = 1,
	longest: timedelta | None = None,
) -> timedelta:
	"""The new target after granting one extension of ``extension`` business time.

	Refused when it is longer than ``longest`` (when given), once ``max_extensions`` were granted
	(SPEC §5: one), when the milestone is met, or when the deadline has passed (``now > due_at``;
	the customer must be told before the deadline).
	"""
	_check_target(target)
	if extension <= ZERO:
		raise PolicyViolation("The extension must be longer than zero")
	if longest is not None and extension > longest:
		raise PolicyViolation(
			"An extension can be at most {hours} hours", hours=f"{longest.total_seconds() / 3600:g}"
		)
	if extensions_granted >= max_extensions:
		if max_extensions == 1:
			raise PolicyViolation("Only one extension may be granted for this deadline")
		raise PolicyViolation(
			"Only {limit} extensions may be granted for this deadline", limit=max_extensions
		)
	if met_at is not None:
		raise PolicyViolation("This deadline has already been met, so it cannot be extended")
	pauses = tuple(pauses)
	due = time_when_elapsed(cal=cal, started_at=started_at, amount=target, now=now, pauses=pauses)
	if now > due:
		raise PolicyViolation("An extension can only be granted before the deadline ({due})", due=due)
	return target + extension
