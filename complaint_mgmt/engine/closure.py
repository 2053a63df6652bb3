"""What SPEC §7's closure criteria mean in records: the solution executed (every compensation
paid, every reshipment signed, every voucher issued...) and the evidence archived.

Each check returns the gaps it finds as (template, params) pairs; none means the criterion holds.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

# remedies the customer receives as a thing or an act, recorded as done on the line
DELIVERED_REMEDIES = frozenset({"reship", "voucher", "vip_card", "apology_call", "priority_delivery"})
PAID, APPROVED_STATES, DROPPED_STATES = "Paid", ("Approved", "Paying", "Paid"), ("Rejected", "Cancelled")
OPEN_EVIDENCE = ("Pending", "Requested")

Gap = tuple[str, dict]


@dataclass(frozen=True)
class Line:
	remedy: str
	label: str
	done: bool = False


@dataclass(frozen=True)
class Compensation:
	name: str
	state: str
	total: Decimal = Decimal("0")
	lines: tuple[Line, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class Evidence:
	item: str
	status: str
	archived: bool  # a file is kept for it


def solution_gaps(compensations: Iterable[Compensation], resolution_summary: str = "") -> list[Gap]:
	"""Why the solution is not executed yet. Without a compensation the written resolution is the
	solution; rejected and cancelled compensations do not count."""
	live = [c for c in compensations if c.state not in DROPPED_STATES]
	if not live and not (resolution_summary or "").strip():
		return [("no solution is recorded: a compensation or the resolution summary", {})]
	gaps: list[Gap] = []
	for comp in live:
		if comp.total > 0 and comp.state != PAID:
			gaps.append(
				("compensation {name} is not paid ({state})", {"name": comp.name, "state": comp.state})
			)
		elif comp.total <= 0 and comp.state not in APPROVED_STATES:
			gaps.append(
				("compensation {name} is not approved ({state})", {"name": comp.name, "state": comp.state})
			)
		for line in comp.lines:
			if line.remedy in DELIVERED_REMEDIES and not line.done:
				gaps.append(
					("{remedy} of {name} is not recorded as done", {"remedy": line.label, "name": comp.name})
				)
	return gaps


def evidence_gaps(evidence: Iterable[Evidence]) -> list[Gap]:
	"""Why the evidence is not archived: items still awaited, or collected without a file kept."""
	gaps: list[Gap] = []
	for row in evidence:
		if row.status in OPEN_EVIDENCE:
			gaps.append(("evidence {item} is still {status}", {"item": row.item, "status": row.status}))
		elif row.status != "Not Available" and not row.archived:
			gaps.append(("evidence {item} has no file archived", {"item": row.item}))
	return gaps


@dataclass(frozen=True)
class ClosureCheck:
	"""Whether a complaint may close (SPEC §7): the customer's side, and the gaps that block it."""

	customer_done: bool
	gaps: tuple[Gap, ...] = ()

	@property
	def allowed(self) -> bool:
		return self.customer_done and not self.gaps


def closure_check(
	*,
	customer_accepted: bool,
	no_further_demand: bool,
	override_reason: str | None,
	solution: Iterable[Gap],
	evidence: Iterable[Gap],
	require_evidence: bool,
) -> ClosureCheck:
	"""The customer accepted the solution or has no further demand; the solution is executed (and
	the evidence archived, when the settings require it) unless a supervisor overrode the derived
	criteria with a reason."""
	if (override_reason or "").strip():
		gaps: tuple[Gap, ...] = ()
	else:
		gaps = tuple(solution) + (tuple(evidence) if require_evidence else ())
	return ClosureCheck(customer_done=bool(customer_accepted or no_further_demand), gaps=gaps)
