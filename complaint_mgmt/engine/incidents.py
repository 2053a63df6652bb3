"""Group-incident detection: which complaints belong to the same batch or event.

Each grouping strategy turns a complaint's facts into a stable key; complaints sharing
a key are counted by the Frappe layer, and ``decide_incident`` says whether to open a
group incident, join the existing one or do nothing.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable, Mapping
from typing import Any, Literal

from complaint_mgmt.engine.errors import PolicyViolation

STRATEGIES: tuple[str, ...] = ("batch", "route_date", "waybill_prefix")

# Documented defaults, seeded into the incident settings at install (SPEC §2, §4).
DEFAULT_INCIDENT_STRATEGIES: tuple[str, ...] = ("batch", "route_date")
DEFAULT_WAYBILL_PREFIX_LENGTH = 6
DEFAULT_INCIDENT_THRESHOLD = 5

Decision = Literal["create", "join", "none"]

_SPACES = re.compile(r"\s+")


def validate_strategies(
	strategies: Iterable[str], prefix_length: int = DEFAULT_WAYBILL_PREFIX_LENGTH
) -> list[str]:
	"""Known strategies, without duplicates, in the given order."""
	result: list[str] = []
	for raw in strategies:
		strategy = str(raw or "").strip().lower()
		if strategy not in STRATEGIES:
			raise PolicyViolation("Unknown incident grouping {strategy}", strategy=raw)
		if strategy not in result:
			result.append(strategy)
	if "waybill_prefix" in result and (isinstance(prefix_length, bool) or int(prefix_length) < 1):
		raise PolicyViolation("The waybill prefix length must be at least 1")
	return result


def incident_keys(
	facts: Mapping[str, Any],
	strategies: Iterable[str] = DEFAULT_INCIDENT_STRATEGIES,
	*,
	prefix_length: int = DEFAULT_WAYBILL_PREFIX_LENGTH,
) -> list[str]:
	"""Stable grouping keys for one complaint, one per strategy whose facts are present.

	Values are trimmed, inner whitespace collapsed and upper-cased so that "sh-bj " and
	"SH-BJ" group together. ``route_date`` uses ``ship_date``, else ``order_date``.
	``waybill_prefix`` needs a waybill longer than the prefix.
	"""
	keys: list[str] = []
	for strategy in validate_strategies(strategies, prefix_length):
		key = _key(strategy, facts, int(prefix_length))
		if key:
			keys.append(key)
	return keys


def validate_threshold(threshold: Any) -> int:
	"""A group incident needs at least two complaints."""
	if isinstance(threshold, bool) or threshold is None or int(threshold) < 2:
		raise PolicyViolation("The group-incident threshold must be at least 2")
	return int(threshold)


def decide_incident(count_including_this: int, threshold: int, existing_incident: str | None) -> Decision:
	""" "join" an existing incident, "create" one once the count reaches ``threshold``, else "none"."""
	threshold = validate_threshold(threshold)
	if count_including_this < 1:
		raise ValueError("count_including_this must count the current complaint")
	if existing_incident:
		return "join"
	return "create" if count_including_this >= threshold else "none"


def _key(strategy: str, facts: Mapping[str, Any], prefix_length: int) -> str | None:
	if strategy == "batch":
		batch = _norm(facts.get("batch_no"))
		return f"batch:{batch}" if batch else None
	if strategy == "route_date":
		route = _norm(facts.get("route"))
		day = _date(facts.get("ship_date")) or _date(facts.get("order_date"))
		return f"route_date:{route}|{day.isoformat()}" if route and day else None
	waybill = _norm(facts.get("waybill_no")).replace(" ", "")
	return f"waybill_prefix:{waybill[:prefix_length]}" if len(waybill) > prefix_length else None


def _norm(value: Any) -> str:
	if value is None:
		return ""
	return _SPACES.sub(" ", str(value)).strip().upper()


def _date(value: Any) -> datetime.date | None:
	if isinstance(value, datetime.datetime):
		return value.date()
	if isinstance(value, datetime.date):
		return value
	if isinstance(value, str) and value.strip():
		try:
			return datetime.date.fromisoformat(value.strip()[:10])
		except ValueError:
			return None
	return None
