"""Escalation rules as data, and when each level fires.

Conventions
-----------
- A level fires once: the caller keeps the set of applied level numbers and passes it back. Actions
  (``"notify"``, ``"reassign"``, ``"raise_priority"``, ``"add_co_owner"``...) and ``target_role`` are
  opaque data; the engine only says which levels are due and when.
- ``percent_of_target`` with threshold ``X`` fires at the moment X % of the target's business time
  has been counted; ``after_breach`` with threshold ``Y`` fires when Y business minutes beyond the
  target have been counted (target + Y). Both use the business calendar and exclude paused time, so
  with no pause after the deadline ``after_breach`` fires at ``add_business_time(due_at, Y minutes)``;
  ``Y = 0`` fires at the deadline itself.
- A met or currently paused milestone fires nothing (:func:`trigger_at` returns ``None``); once it
  resumes, levels whose moment has passed are due.
- A valid level list has unique level numbers >= 1, percentage levels (0 < X <= 100) before
  after-breach levels (Y >= 0), and thresholds strictly increasing within each kind in level order,
  so trigger moments never decrease with the level number.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from complaint_mgmt.engine.errors import PolicyViolation
from complaint_mgmt.engine.sla import MilestoneClock, is_paused_at

__all__ = [
	"TRIGGERS",
	"TRIGGER_AFTER_BREACH",
	"TRIGGER_PERCENT",
	"EscalationLevel",
	"due_levels",
	"next_trigger",
	"trigger_at",
	"validate_levels",
]

TRIGGER_PERCENT = "percent_of_target"
TRIGGER_AFTER_BREACH = "after_breach"
TRIGGERS = (TRIGGER_PERCENT, TRIGGER_AFTER_BREACH)


@dataclass(frozen=True)
class EscalationLevel:
	"""One escalation step: fires at ``threshold`` (percent of target, or minutes after the breach)."""

	level: int
	trigger: str
	threshold: float
	actions: tuple[str, ...] = ()
	target_role: str | None = None

	def __post_init__(self) -> None:
		object.__setattr__(self, "actions", tuple(self.actions))


def validate_levels(levels: Iterable[EscalationLevel]) -> tuple[EscalationLevel, ...]:
	"""The levels sorted by level number, or ``PolicyViolation`` naming the first problem."""
	ordered = sorted(levels, key=lambda lvl: lvl.level if isinstance(lvl.level, int) else 0)
	seen: set[int] = set()
	previous: dict[str, EscalationLevel] = {}
	for lvl in ordered:
		if isinstance(lvl.level, bool) or not isinstance(lvl.level, int) or lvl.level < 1:
			raise PolicyViolation("Escalation level must be 1 or higher, got {level}", level=lvl.level)
		if lvl.level in seen:
			raise PolicyViolation("Escalation level {level} is defined twice", level=lvl.level)
		seen.add(lvl.level)
		if lvl.trigger not in TRIGGERS:
			raise PolicyViolation(
				"Escalation level {level}: unknown trigger {trigger}", level=lvl.level, trigger=lvl.trigger
			)
		threshold = lvl.threshold
		if (
			isinstance(threshold, bool)
			or not isinstance(threshold, (int, float))
			or not math.isfinite(threshold)
		):
			raise PolicyViolation(
				"Escalation level {level}: threshold {threshold} is not a number",
				level=lvl.level,
				threshold=threshold,
			)
		if lvl.trigger == TRIGGER_PERCENT and not 0 < threshold <= 100:
			raise PolicyViolation(
				"Escalation level {level}: the percentage of the target must be above 0 and at most 100, "
				"got {threshold}",
				level=lvl.level,
				threshold=threshold,
			)
		if lvl.trigger == TRIGGER_AFTER_BREACH and threshold < 0:
			raise PolicyViolation(
				"Escalation level {level}: the minutes after the breach cannot be negative, got {threshold}",
				level=lvl.level,
				threshold=threshold,
			)
		if not lvl.actions or not all(isinstance(a, str) and a.strip() for a in lvl.actions):
			raise PolicyViolation("Escalation level {level} needs at least one action", level=lvl.level)
		if lvl.trigger == TRIGGER_PERCENT and TRIGGER_AFTER_BREACH in previous:
			raise PolicyViolation(
				"Escalation level {level} fires on a percentage of the target but comes after "
				"level {previous}, which fires after the breach; percentage levels come first",
				level=lvl.level,
				previous=previous[TRIGGER_AFTER_BREACH].level,
			)
		before = previous.get(lvl.trigger)
		if before is not None and threshold <= before.threshold:
			raise PolicyViolation(
				"Escalation level {level} must fire later than level {previous}: "
				"its threshold {threshold} is not above {previous_threshold}",
				level=lvl.level,
				previous=before.level,
				threshold=threshold,
				previous_threshold=before.threshold,
			)
		previous[lvl.trigger] = lvl
	return tuple(ordered)


def trigger_at(level: EscalationLevel, clock: MilestoneClock, now: datetime) -> datetime | None:
	"""The moment ``level`` fires for ``clock``, or ``None`` while the milestone is met, stopped or
	paused.

	The moment may lie in the past (a sweep that ran late); pauses are known up to ``now``.
	"""
	if clock.met_at is not None or clock.stopped_at is not None or is_paused_at(clock.pauses, now):
		return None
	if level.trigger == TRIGGER_PERCENT:
		amount = clock.target * (level.threshold / 100)
	elif level.trigger == TRIGGER_AFTER_BREACH:
		amount = clock.target + timedelta(minutes=level.threshold)
	else:
		raise PolicyViolation(
			"Escalation level {level}: unknown trigger {trigger}", level=level.level, trigger=level.trigger
		)
	return clock.time_when_elapsed(amount, now)


def next_trigger(
	levels: Iterable[EscalationLevel], applied_levels: Collection[int], clock: MilestoneClock, now: datetime
) -> tuple[EscalationLevel, datetime] | None:
	"""The first level not applied yet and when it fires (possibly already past), or ``None``.

	Store the moment as ``next_escalation_at``; the sweep then only reads rows that are due.
	"""
	for lvl in validate_levels(levels):
		if lvl.level in applied_levels:
			continue
		at = trigger_at(lvl, clock, now)
		return None if at is None else (lvl, at)
	return None


def due_levels(
	levels: Iterable[EscalationLevel], applied_levels: Collection[int], clock: MilestoneClock, now: datetime
) -> list[EscalationLevel]:
	"""Every level not applied yet whose moment is ``<= now``, in level order (a late sweep gets several)."""
	due: list[EscalationLevel] = []
	for lvl in validate_levels(levels):
		if lvl.level in applied_levels:
			continue
		at = trigger_at(lvl, clock, now)
		if at is not None and at <= now:
			due.append(lvl)
	return due
