"""Complaint priority: rules as data, automatic raise only, manual lowering guarded.

Priority levels arrive as an ordered sequence, highest first. A rule says "this level
when ``field`` ``operator`` ``value``"; the highest level any enabled rule reaches wins and
every rule matched at that level is kept as the reason shown on the form.
"""

from __future__ import annotations

import datetime
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any, Literal

from complaint_mgmt.engine.errors import PolicyViolation

DEFAULT_PRIORITY_LEVELS: tuple[str, ...] = ("Urgent", "Important", "General")

OPERATORS: tuple[str, ...] = ("=", "!=", ">", ">=", "<", "<=", "in", "is set", "is not set")
_ORDERING = {">", ">=", "<", "<="}
_UNARY = {"is set", "is not set"}

PRIORITY_SERVICE_RULE: dict[str, Any] = {
	"priority": "Important",
	"field": "priority_service",
	"operator": "=",
	"value": "1",
	"reason": "Priority service customer (recovery plan)",
	"enabled": 1,
}

# SPEC §4. Seeded into the priority-rule DocType at install; admins edit them there.
DEFAULT_PRIORITY_RULES: tuple[dict[str, Any], ...] = (
	{
		"priority": "Urgent",
		"field": "goods_category",
		"operator": "in",
		"value": "Fresh,Medical",
		"reason": "Special goods (fresh or medical)",
		"enabled": 1,
	},
	{
		"priority": "Urgent",
		"field": "group_size",
		"operator": ">=",
		"value": "5",
		"reason": "Group complaint about the same batch or event",
		"enabled": 1,
	},
	{
		"priority": "Urgent",
		"field": "media_involved",
		"operator": "=",
		"value": "1",
		"reason": "Media involved",
		"enabled": 1,
	},
	{
		"priority": "Urgent",
		"field": "regulator_involved",
		"operator": "=",
		"value": "1",
		"reason": "Regulator involved",
		"enabled": 1,
	},
	{
		"priority": "Important",
		"field": "complaint_category",
		"operator": "=",
		"value": "Damage & Shortage",
		"reason": "Loss or damage of goods",
		"enabled": 1,
	},
	{
		"priority": "Important",
		"field": "insured_value",
		"operator": ">=",
		"value": "5000",
		"reason": "High-value insured parcel",
		"enabled": 1,
	},
	{
		"priority": "Important",
		"field": "regulator_intent",
		"operator": "=",
		"value": "1",
		"reason": "Customer says they will go to the regulator",
		"enabled": 1,
	},
	# issue 12: a recovery plan's priority service raises the customer's next complaints
	PRIORITY_SERVICE_RULE,
)

Change = Literal["raise", "lower", "none"]


@dataclass(frozen=True)
class PriorityRule:
	"""One row of the priority matrix: ``priority`` when ``field`` ``operator`` ``value``."""

	priority: str
	field: str
	operator: str
	value: Any = None
	reason: str = ""
	enabled: bool = True

	@classmethod
	def from_dict(cls, data: Mapping[str, Any]) -> PriorityRule:
		"""Build a rule from a plain dict (a DocType row); unknown keys are ignored."""
		return cls(
			priority=str(data.get("priority") or "").strip(),
			field=str(data.get("field") or "").strip(),
			operator=str(data.get("operator") or "").strip().lower(),
			value=data.get("value"),
			reason=str(data.get("reason") or ""),
			enabled=_truthy(data.get("enabled", True)),
		)

	def describe(self) -> str:
		"""The reason shown to users, or a readable form of the condition if none was given."""
		if self.reason.strip():
			return self.reason.strip()
		if self.operator in _UNARY:
			return f"{self.field} {self.operator}"
		return f"{self.field} {self.operator} {self.value}"


@dataclass(frozen=True)
class PriorityDecision:
	"""The computed level, why (every reason at that level) and the rules that matched."""

	priority: str
	reasons: tuple[str, ...]
	matched: tuple[PriorityRule, ...]


def coerce_rules(rules: Iterable[PriorityRule | Mapping[str, Any]]) -> list[PriorityRule]:
	return [r if isinstance(r, PriorityRule) else PriorityRule.from_dict(r) for r in rules]


def validate_levels(levels: Sequence[str]) -> None:
	if not levels:
		raise PolicyViolation("At least one priority level is required")
	seen: set[str] = set()
	for level in levels:
		if not str(level or "").strip():
			raise PolicyViolation("A priority level needs a name")
		if level in seen:
			raise PolicyViolation("The priority level {level} is listed twice", level=level)
		seen.add(level)


def validate_rule(rule: PriorityRule, levels: Sequence[str] = DEFAULT_PRIORITY_LEVELS) -> None:
	if not rule.field:
		raise PolicyViolation("A priority rule needs a field")
	if rule.priority not in levels:
		raise PolicyViolation(
			"Unknown priority {priority} in the rule on {field}", priority=rule.priority, field=rule.field
		)
	if rule.operator not in OPERATORS:
		raise PolicyViolation(
			"Unknown operator {operator} in the rule on {field}", operator=rule.operator, field=rule.field
		)
	if rule.operator in _UNARY:
		return
	if rule.operator == "in":
		if not _split_list(rule.value):
			raise PolicyViolation("The rule on {field} needs a list of values", field=rule.field)
	elif _is_blank(rule.value) and rule.operator in _ORDERING:
		raise PolicyViolation("The rule on {field} needs a value to compare with", field=rule.field)


def validate_rules(
	rules: Iterable[PriorityRule | Mapping[str, Any]], levels: Sequence[str] = DEFAULT_PRIORITY_LEVELS
) -> list[PriorityRule]:
	"""Check every rule (enabled or not) and return them as ``PriorityRule`` objects."""
	validate_levels(levels)
	checked = coerce_rules(rules)
	for rule in checked:
		validate_rule(rule, levels)
	return checked


def rule_matches(rule: PriorityRule, facts: Mapping[str, Any]) -> bool:
	"""Whether ``facts`` satisfy the rule's condition (ignores ``enabled``)."""
	actual = facts.get(rule.field)
	op = rule.operator
	if op == "is set":
		return not _is_blank(actual)
	if op == "is not set":
		return _is_blank(actual)
	if op == "=":
		return _equal(actual, rule.value)
	if op == "!=":
		return not _equal(actual, rule.value)
	if op == "in":
		return any(_equal(actual, item) for item in _split_list(rule.value))
	if op in _ORDERING:
		cmp = _compare(actual, rule.value)
		if cmp is None:
			return False
		return {">": cmp > 0, ">=": cmp >= 0, "<": cmp < 0, "<=": cmp <= 0}[op]
	raise PolicyViolation("Unknown operator {operator} in the rule on {field}", operator=op, field=rule.field)


def evaluate_priority(
	facts: Mapping[str, Any],
	rules: Iterable[PriorityRule | Mapping[str, Any]],
	levels: Sequence[str] = DEFAULT_PRIORITY_LEVELS,
	default_level: str | None = None,
) -> PriorityDecision:
	"""The highest level any enabled rule reaches, else ``default_level`` (lowest level if None).

	Disabled rules are skipped without being validated, so a half-edited disabled rule
	never blocks intake.
	"""
	validate_levels(levels)
	fallback = levels[-1] if default_level is None else default_level
	if fallback not in levels:
		raise PolicyViolation("Unknown priority {priority}", priority=fallback)
	matched: list[PriorityRule] = []
	for rule in coerce_rules(rules):
		if not rule.enabled:
			continue
		validate_rule(rule, levels)
		if rule_matches(rule, facts):
			matched.append(rule)
	if not matched:
		return PriorityDecision(priority=fallback, reasons=(), matched=())
	best = min(levels.index(rule.priority) for rule in matched)
	at_best = tuple(rule for rule in matched if levels.index(rule.priority) == best)
	reasons = tuple(dict.fromkeys(rule.describe() for rule in at_best))
	return PriorityDecision(priority=levels[best], reasons=reasons, matched=at_best)


def rank(level: str, levels: Sequence[str] = DEFAULT_PRIORITY_LEVELS) -> int:
	"""Position of ``level`` in ``levels``: 0 is the highest priority."""
	try:
		return list(levels).index(level)
	except ValueError:
		raise PolicyViolation("Unknown priority {priority}", priority=level) from None


def apply_automatic(
	current: str | None, computed: str, levels: Sequence[str] = DEFAULT_PRIORITY_LEVELS
) -> str:
	"""The level to store after an automatic evaluation: ``computed`` only if it is higher."""
	if not current:
		rank(computed, levels)
		return computed
	return computed if rank(computed, levels) < rank(current, levels) else current


def check_manual_change(
	current: str | None,
	new: str,
	*,
	may_lower: bool,
	reason: str | None,
	levels: Sequence[str] = DEFAULT_PRIORITY_LEVELS,
	lowering_role: str,
) -> Change:
	"""Allow a manual change or raise ``PolicyViolation``; returns the direction of the change.

	Raising is always allowed, and so is the first choice when there is no current level.
	Lowering needs ``may_lower`` (the user holds ``lowering_role``) and a non-empty reason.
	"""
	new_rank = rank(new, levels)
	if not current:
		return "none"
	current_rank = rank(current, levels)
	if new_rank == current_rank:
		return "none"
	if new_rank < current_rank:
		return "raise"
	if not may_lower:
		raise PolicyViolation("Only a {role} can lower the priority", role=lowering_role)
	if not (reason or "").strip():
		raise PolicyViolation("A reason is required to lower the priority")
	return "lower"


# -- value coercion ------------------------------------------------------------------------

_TRUE_WORDS = {"true": Decimal(1), "false": Decimal(0)}


def _truthy(value: Any) -> bool:
	if isinstance(value, str):
		return value.strip().lower() not in {"", "0", "false", "no"}
	return bool(value)


def _is_blank(value: Any) -> bool:
	if value is None:
		return True
	if isinstance(value, str):
		return not value.strip()
	if isinstance(value, (list, tuple, set, frozenset, dict)):
		return not value
	return False


def _split_list(value: Any) -> list[Any]:
	if value is None:
		return []
	if isinstance(value, str):
		return [item.strip() for item in value.split(",") if item.strip()]
	if isinstance(value, Iterable):
		return [item for item in value if not _is_blank(item)]
	return [value]


def _as_number(value: Any) -> Decimal | None:
	if isinstance(value, bool):
		return Decimal(int(value))
	if isinstance(value, int):
		return Decimal(value)
	if isinstance(value, float):
		return Decimal(repr(value)) if math.isfinite(value) else None
	if isinstance(value, Decimal):
		return value if value.is_finite() else None
	if isinstance(value, str):
		text = value.strip()
		if text.lower() in _TRUE_WORDS:
			return _TRUE_WORDS[text.lower()]
		try:
			number = Decimal(text)
		except InvalidOperation:
			return None
		return number if number.is_finite() else None
	return None


def _as_date(value: Any) -> datetime.date | None:
	if isinstance(value, datetime.datetime):
		return value.date()
	if isinstance(value, datetime.date):
		return value
	if isinstance(value, str):
		try:
			return datetime.date.fromisoformat(value.strip()[:10])
		except ValueError:
			return None
	return None


def _as_text(value: Any) -> str:
	return "" if value is None else str(value).strip().casefold()


def _equal(actual: Any, expected: Any) -> bool:
	left, right = _as_number(actual), _as_number(expected)
	if left is not None and right is not None:
		return left == right
	if isinstance(actual, datetime.date) or isinstance(expected, datetime.date):
		d1, d2 = _as_date(actual), _as_date(expected)
		if d1 is not None and d2 is not None:
			return d1 == d2
	return _as_text(actual) == _as_text(expected)


def _compare(actual: Any, expected: Any) -> int | None:
	"""-1/0/1 for actual vs expected; None when the fact is missing or the types don't mix."""
	if _is_blank(actual):
		return None
	left, right = _as_number(actual), _as_number(expected)
	if left is not None and right is not None:
		return (left > right) - (left < right)
	if left is not None or right is not None:
		return None
	d1, d2 = _as_date(actual), _as_date(expected)
	if d1 is not None and d2 is not None:
		return (d1 > d2) - (d1 < d2)
	t1, t2 = _as_text(actual), _as_text(expected)
	return (t1 > t2) - (t1 < t2)
