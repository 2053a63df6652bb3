"""Special cases (SPEC §2 risk pre-check, §10): which facts of a complaint make Risk Management
look at it at intake, each with its reason."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

# (key, message template, params): the key stays the same when the numbers change
Reason = tuple[str, str, dict]

VALUE_FIELDS = ("goods_value", "declared_value", "insured_value")


def _number(value: Any) -> Decimal:
	try:
		return Decimal(str(value or 0))
	except InvalidOperation:
		return Decimal("0")


def risk_reasons(facts: Mapping[str, Any], *, group_size: int, high_value: Any) -> list[Reason]:
	"""Why the complaint goes to Risk Management: a group event (``group_size`` people or more),
	media exposure, a regulator involved, a high-value case (any value field at ``high_value`` or
	above; 0 switches the check off)."""
	reasons: list[Reason] = []
	people = int(facts.get("group_size") or 0)
	if group_size and people >= group_size:
		reasons.append(("group", "Group event: {people} people affected", {"people": people}))
	if facts.get("media_involved"):
		reasons.append(("media", "Media exposure", {}))
	if facts.get("regulator_involved"):
		reasons.append(("regulator", "Regulator involved", {}))
	threshold = _number(high_value)
	top = max(_number(facts.get(field)) for field in VALUE_FIELDS)
	if threshold > 0 and top >= threshold:
		reasons.append(
			("high_value", "High value: {value} (from {threshold})", {"value": top, "threshold": threshold})
		)
	return reasons
