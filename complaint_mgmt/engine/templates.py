"""Message texts admins edit, with ``{placeholders}``: checked when saved, filled safely when sent."""

from __future__ import annotations

import string
from collections.abc import Collection, Mapping
from typing import Any

from complaint_mgmt.engine.errors import PolicyViolation

_FORMATTER = string.Formatter()


def _parse(text: str, label: str = "The text") -> list[tuple]:
	try:
		return list(_FORMATTER.parse(text or ""))
	except ValueError:
		raise PolicyViolation(
			"{field} has an unmatched brace; write {{{{ or }}}} for a brace that is not a placeholder",
			field=label,
		) from None


def check(text: str, allowed: Collection[str], label: str = "The text") -> None:
	"""Refuse a placeholder the message cannot fill, naming the ones it can."""
	unknown = []
	for _literal, field, _spec, _conversion in _parse(text, label):
		if field is not None and field not in allowed and field not in unknown:
			unknown.append(field)
	if unknown:
		raise PolicyViolation(
			"{field}: unknown placeholder {placeholders}; this text can use {allowed}",
			field=label,
			placeholders=", ".join(f"{{{name}}}" for name in unknown),
			allowed=", ".join(f"{{{name}}}" for name in allowed),
		)


def render(text: str, values: Mapping[str, Any]) -> str:
	"""Fill the placeholders ``values`` has; anything else is left as written, never an error."""
	try:
		parsed = _parse(text)
	except PolicyViolation:
		return text or ""
	out = []
	for literal, field, spec, conversion in parsed:
		out.append(literal)
		if field is None:
			continue
		if field in values:
			value = values[field]
			try:
				out.append(format("" if value is None else value, spec or ""))
			except (TypeError, ValueError):
				out.append(str(value))
		else:
			out.append(
				"{" + field + (f"!{conversion}" if conversion else "") + (f":{spec}" if spec else "") + "}"
			)
	return "".join(out)
