"""Who may approve a compensation: the approval matrix as data (SPEC §6).

Each level names a Frappe role, a rank (higher approves more), the largest total it may
approve (None: unlimited) and the case flags it is required for whatever the amount
(``required_for``: e.g. ``media_involved``, ``regulator_involved`` on the General Manager's
row). A case needs the lowest level that covers its total and ranks at least as high as every
level one of its flags requires.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from complaint_mgmt.engine.compensation import to_money
from complaint_mgmt.engine.errors import PolicyViolation

# SPEC §6: agent ≤ 500, department manager ≤ 2,000, general manager above that (the
# documents leave 2,000-5,000 open) and for every media or regulator case (SPEC §10). Seeded at install.
DEFAULT_APPROVAL_MATRIX: tuple[dict[str, Any], ...] = (
	{"name": "Agent", "role": "Complaint Agent", "rank": 1, "max_amount": 500, "required_for": ()},
	{
		"name": "Department Manager",
		"role": "Department Manager",
		"rank": 2,
		"max_amount": 2000,
		"required_for": (),
	},
	{
		"name": "General Manager",
		"role": "General Manager",
		"rank": 3,
		"max_amount": None,
		"required_for": ("media_involved", "regulator_involved"),
	},
)


@dataclass(frozen=True)
class ApprovalLevel:
	name: str
	role: str
	rank: int
	max_amount: Decimal | None
	required_for: frozenset[str] = frozenset()

	@classmethod
	def from_dict(cls, data: Mapping[str, Any]) -> ApprovalLevel:
		"""Build a level from a plain dict; ``max_amount`` None/"" or a truthy ``unlimited`` means unlimited."""
		raw = data.get("max_amount")
		unlimited = (
			_truthy(data.get("unlimited")) or raw is None or (isinstance(raw, str) and not raw.strip())
		)
		return cls(
			name=str(data.get("name") or "").strip(),
			role=str(data.get("role") or "").strip(),
			rank=int(data.get("rank") or 0),
			max_amount=None if unlimited else to_money(raw, "max_amount"),
			required_for=parse_flags(data.get("required_for")),
		)

	def covers(self, total: Decimal) -> bool:
		return self.max_amount is None or total <= self.max_amount


def parse_flags(value: Any) -> frozenset[str]:
	"""Flags from a list, or from text with one flag per line (commas work too)."""
	if not value:
		return frozenset()
	items = value.replace(",", "\n").split("\n") if isinstance(value, str) else value
	return frozenset(str(item).strip() for item in items if str(item).strip())


def _truthy(value: Any) -> bool:
	if isinstance(value, str):
		return value.strip().lower() not in {"", "0", "false", "no"}
	return bool(value)


def coerce_matrix(matrix: Iterable[ApprovalLevel | Mapping[str, Any]]) -> list[ApprovalLevel]:
	return [lvl if isinstance(lvl, ApprovalLevel) else ApprovalLevel.from_dict(lvl) for lvl in matrix]


def validate_matrix(
	matrix: Iterable[ApprovalLevel | Mapping[str, Any]], known_flags: Collection[str] | None = None
) -> list[ApprovalLevel]:
	"""Check the matrix and return its levels sorted by rank, lowest first.

	Ranks and names are unique; every level has a role; limits rise strictly with rank;
	only the top level is unlimited (and it must be); a level is required only for flags in
	``known_flags`` (when given).
	"""
	levels = sorted(coerce_matrix(matrix), key=lambda lvl: lvl.rank)
	if not levels:
		raise PolicyViolation("The approval matrix needs at least one level")
	names: set[str] = set()
	for index, level in enumerate(levels):
		if not level.name or not level.role:
			raise PolicyViolation("Every approval level needs a name and a role")
		if level.name in names:
			raise PolicyViolation("The approval level {level} is listed twice", level=level.name)
		names.add(level.name)
		if level.max_amount is not None and level.max_amount < 0:
			raise PolicyViolation("The limit of {level} cannot be negative", level=level.name)
		unknown = sorted(level.required_for - set(known_flags)) if known_flags is not None else []
		if unknown:
			raise PolicyViolation(
				"{level} is required for {flags}, which is not a case flag; use one of {allowed}",
				level=level.name,
				flags=", ".join(unknown),
				allowed=", ".join(sorted(known_flags)),
			)
		if index == 0:
			continue
		below = levels[index - 1]
		if level.rank == below.rank:
			raise PolicyViolation(
				"{level} and {other} have the same rank", level=level.name, other=below.name
			)
		if below.max_amount is None:
			raise PolicyViolation("Only the highest approval level can be unlimited")
		if level.max_amount is not None and level.max_amount <= below.max_amount:
			raise PolicyViolation(
				"The limit of {level} must be above the limit of {other}", level=level.name, other=below.name
			)
	if levels[-1].max_amount is not None:
		raise PolicyViolation("The highest approval level must be unlimited")
	return levels


def required_level(
	total: Any, *, flags: Collection[str] = (), matrix: Iterable[ApprovalLevel | Mapping[str, Any]]
) -> ApprovalLevel:
	"""The lowest level whose limit covers ``total`` and that ranks at least as high as every
	level required for one of the case's ``flags``."""
	amount = _amount(total)
	levels = validate_matrix(matrix)
	floor = max((lvl.rank for lvl in levels if lvl.required_for & set(flags)), default=None)
	for level in levels:
		if level.covers(amount) and (floor is None or level.rank >= floor):
			return level
	raise AssertionError("validate_matrix guarantees an unlimited top level")


def flags_requiring(
	flags: Collection[str], level: ApprovalLevel, matrix: Iterable[ApprovalLevel | Mapping[str, Any]]
) -> list[str]:
	"""The case's flags that require ``level`` (for telling the approver why)."""
	return sorted(
		set(flags)
		& set().union(*(lvl.required_for for lvl in coerce_matrix(matrix) if lvl.rank == level.rank))
	)


def approver_level(
	user_roles: Iterable[str], matrix: Iterable[ApprovalLevel | Mapping[str, Any]]
) -> ApprovalLevel | None:
	"""The highest level whose role the user holds, or None."""
	roles = set(user_roles)
	held = [level for level in validate_matrix(matrix) if level.role in roles]
	return held[-1] if held else None


def check_can_approve(
	user_roles: Iterable[str],
	total: Any,
	flags: Collection[str],
	matrix: Iterable[ApprovalLevel | Mapping[str, Any]],
) -> ApprovalLevel:
	"""The user's approval level if it may approve ``total`` in a case with ``flags``, else
	``PolicyViolation``."""
	levels = validate_matrix(matrix)
	amount = _amount(total)
	needed = required_level(amount, flags=flags, matrix=levels)
	mine = approver_level(user_roles, levels)
	if mine is not None and mine.rank >= needed.rank:
		return mine
	why = flags_requiring(flags, needed, levels)
	if why:
		raise PolicyViolation(
			"Approving {amount} in a case with {flags} needs {level} or above",
			amount=amount,
			flags=", ".join(why),
			level=needed.name,
		)
	raise PolicyViolation("Approving {amount} needs {level} or above", amount=amount, level=needed.name)


def _amount(total: Any) -> Decimal:
	amount = to_money(total, "total")
	if amount < 0:
		raise PolicyViolation("The amount cannot be negative")
	return amount
