"""Checks of the complaint settings an admin saves: numbers in range, patterns that compile,
message texts whose placeholders the app can fill."""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from typing import Any

from complaint_mgmt.engine import incidents, templates
from complaint_mgmt.engine.errors import PolicyViolation

# field → the smallest value it may take (an empty value counts as 0)
MINIMUMS: dict[str, float] = {
	"incident_window_hours": 1,
	"portal_lookups_per_minute": 1,
	"urgent_handling_hours": 0.01,
	"important_handling_hours": 0.01,
	"general_handling_hours": 0.01,
	"evidence_retention_years": 0,
	"max_extensions": 0,
	"evidence_reminder_after_days": 1,
	"evidence_max_reminders": 0,
	"payment_working_days": 0,
	"pr_statement_hours": 0.01,
	"regulator_explanation_hours": 0.01,
	"high_value_threshold": 0,
	"max_text_chars": 0,
	"max_extension_hours": 0,
	"background_jobs": 1,
	"background_step_attempts": 1,
}
PATTERNS = ("waybill_regex", "phone_regex")


def check(values: Mapping[str, Any], labels: Mapping[str, str], texts: Mapping[str, Collection[str]]) -> None:
	"""``PolicyViolation`` naming the first bad setting (by its label in ``labels``).

	``texts`` maps each message field to the placeholders it can fill.
	"""

	def label(field: str) -> str:
		return labels.get(field, field)

	incidents.validate_threshold(values.get("incident_threshold"))
	if values.get("group_by_waybill_prefix"):
		incidents.validate_strategies(["waybill_prefix"], values.get("waybill_prefix_length") or 0)
	for field, minimum in MINIMUMS.items():
		if field in values and (values.get(field) or 0) < minimum:
			raise PolicyViolation("{field} must be at least {minimum}", field=label(field), minimum=minimum)
	for field in PATTERNS:
		try:
			re.compile(values.get(field) or "")
		except re.error as error:
			raise PolicyViolation(
				"{field} is not a valid pattern: {error}", field=label(field), error=str(error)
			) from None
	lowest, highest = values.get("survey_lowest_score") or 0, values.get("survey_highest_score") or 0
	if lowest >= highest:
		raise PolicyViolation("The survey scale needs a lowest score below the highest")
	if not lowest < (values.get("survey_low_score_below") or 0) <= highest:
		raise PolicyViolation(
			"{field} must be above {lowest} and at most {highest}",
			field=label("survey_low_score_below"),
			lowest=lowest,
			highest=highest,
		)
	for field, allowed in texts.items():
		templates.check(values.get(field) or "", allowed, label(field))
