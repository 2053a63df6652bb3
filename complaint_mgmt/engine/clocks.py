"""What a complaint's state and a person's actions do to its SLA clocks (no Frappe).

- A terminal state (closed, rejected, merged, or any state the admin marks terminal) stops every
  clock that is not met yet, except the clocks that only start when the work is done (the
  satisfaction survey after closure). A stopped clock is never due and never escalates.
- Leaving the terminal state again (reopening) resumes a stopped clock where it stood: the time in
  the terminal state counts as a pause.
- The objection re-evaluation clock is never paused by the complaint's state: the customer is
  waiting for an answer, whatever state the complaint is in.
- An objection is possible only while the compensation is still an offer (not being paid, paid,
  rejected or cancelled); a second objection while one is open does not start a second clock.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from complaint_mgmt.engine.sla import Pause

__all__ = [
	"AFTER_CLOSURE",
	"NEVER_PAUSED",
	"NO_OBJECTION_STATES",
	"ClockState",
	"apply_state",
	"objection_allowed",
	"should_pause",
]

AFTER_CLOSURE = frozenset({"Survey"})
NEVER_PAUSED = frozenset({"Objection Re-evaluation"})
NO_OBJECTION_STATES = frozenset({"Paying", "Paid", "Rejected", "Cancelled"})


@dataclass(frozen=True)
class ClockState:
	"""The parts of a milestone clock that a state change can move."""

	met_at: datetime | None = None
	stopped_at: datetime | None = None
	pauses: tuple[Pause, ...] = ()


def apply_state(milestone: str, clock: ClockState, *, terminal: bool, now: datetime) -> ClockState:
	"""The clock after the complaint is (or stays) in a terminal state, or leaves one."""
	if clock.met_at is not None or milestone in AFTER_CLOSURE:
		return clock
	if terminal and clock.stopped_at is None:
		return ClockState(None, now, clock.pauses)
	if not terminal and clock.stopped_at is not None:
		return ClockState(None, None, (*clock.pauses, Pause(clock.stopped_at, now)))
	return clock


def should_pause(milestone: str, *, state_pauses: bool) -> bool:
	"""Whether the complaint's state pauses this milestone's clock."""
	return state_pauses and milestone not in NEVER_PAUSED


def objection_allowed(compensation_state: str | None) -> bool:
	"""Whether the customer can still object to a compensation in this state."""
	return (compensation_state or "") not in NO_OBJECTION_STATES
