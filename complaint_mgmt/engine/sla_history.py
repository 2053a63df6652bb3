"""SLA clocks of a complaint recorded after the fact (imported history, demo data).

Each clock runs from receipt, is met at the time the record gives for it, and is judged by that
time: met on time → ``Met``; met after its deadline → ``Breached`` (with ``met_at`` kept, so the
sweep never touches it again); not met yet → its state ``now`` (On Track, At Risk, Breached). A
rejected complaint's open clocks stop at the rejection: they stay paused from then on (or Breached
if the deadline had already passed). Escalation levels whose moment came before the clock stopped
count as reached; the next one is scheduled as usual, so an open complaint keeps escalating.

Datetimes are naive local times of the calendar (the caller converts, as for live clocks).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from complaint_mgmt.engine import escalation as esc
from complaint_mgmt.engine.calendar import BusinessCalendar
from complaint_mgmt.engine.sla import STATUS_BREACHED, STATUS_MET, STATUS_STOPPED, MilestoneClock, Pause

FROM_RECEIPT = ("Acknowledge", "Assign", "Investigation Report", "Resolution")
WORST_FIRST = ("Breached", "At Risk", "Paused", "On Track")


@dataclass(frozen=True)
class HistoricClock:
	"""One milestone row as it should be stored."""

	milestone: str
	status: str
	started_at: datetime
	target_minutes: int
	due_at: datetime
	at_risk_at: datetime
	met_at: datetime | None
	pauses: tuple[Pause, ...]
	escalation_level: int
	next_escalation_at: datetime | None
	fired: tuple[tuple[int, datetime], ...]  # (level, when) reached before the clock stopped


def met_times(record: Mapping, *, closed_state: str) -> dict[str, datetime | None]:
	"""When each clock was met according to the record (None: not met)."""
	closed = record.get("closed_at") if record.get("workflow_state") == closed_state else None
	resolved = record.get("resolved_at") or closed
	return {
		"Acknowledge": record.get("acknowledged_at"),
		"Assign": record.get("assigned_at"),
		"Investigation Report": record.get("investigation_reported_at") or resolved,
		"Resolution": resolved,
	}


def overall_status(statuses: Sequence[str]) -> str:
	"""The complaint's SLA summary: its worst open clock; ``Stopped`` when none is open and one was
	stopped by a terminal state; ``Met`` when every clock is met."""
	open_statuses = [s for s in statuses if s and s not in (STATUS_MET, STATUS_STOPPED)]
	for status in WORST_FIRST:
		if status in open_statuses:
			return status
	if STATUS_STOPPED in statuses:
		return STATUS_STOPPED
	return STATUS_MET if statuses else ""


def clock_of(
	milestone: str,
	*,
	received_at: datetime,
	target: timedelta,
	met_at: datetime | None,
	stopped_at: datetime | None,
	cal: BusinessCalendar,
	at_risk_percent: float,
	levels: Sequence[esc.EscalationLevel],
	now: datetime,
) -> HistoricClock:
	"""One clock judged by its recorded times (``stopped_at``: the complaint was rejected then).
	``levels`` come validated (``escalation.validate_levels``), in level order."""
	pauses = (Pause(stopped_at, None),) if stopped_at and not met_at else ()
	clock = MilestoneClock(cal, received_at, target, pauses, met_at)
	state = clock.evaluate(now, at_risk_percent=at_risk_percent)
	running = MilestoneClock(cal, received_at, target)
	until = met_at or stopped_at or now
	fired = []
	for lvl in levels:  # trigger moments never decrease with the level: stop at the first to come
		at = esc.trigger_at(lvl, running, until)
		if at is None or at > until:
			break
		fired.append((lvl.level, at))
	reached = max((level for level, _ in fired), default=0)
	upcoming = None
	if not met_at and not stopped_at:
		upcoming = esc.next_trigger(levels, {level for level, _ in fired}, clock, now)
	return HistoricClock(
		milestone=milestone,
		status=STATUS_BREACHED if state.breached else state.status,
		started_at=received_at,
		target_minutes=int(target.total_seconds() // 60),
		due_at=state.due_at,
		at_risk_at=state.at_risk_at,
		met_at=met_at,
		pauses=pauses,
		escalation_level=reached,
		next_escalation_at=upcoming[1] if upcoming else None,
		fired=tuple(fired),
	)


def clocks_of(
	record: Mapping,
	targets: Mapping[str, timedelta],
	*,
	cal: BusinessCalendar,
	at_risk_percent: float,
	levels: Mapping[str, Sequence[esc.EscalationLevel]],
	closed_state: str,
	rejected_state: str,
	now: datetime,
) -> list[HistoricClock]:
	"""Every clock from receipt the policy sets a target for."""
	met = met_times(record, closed_state=closed_state)
	stopped = record.get("rejected_at") if record.get("workflow_state") == rejected_state else None
	return [
		clock_of(
			milestone,
			received_at=record["received_at"],
			target=targets[milestone],
			met_at=met[milestone],
			stopped_at=stopped,
			cal=cal,
			at_risk_percent=at_risk_percent,
			levels=levels.get(milestone, ()),
			now=now,
		)
		for milestone in FROM_RECEIPT
		if milestone in targets
	]
