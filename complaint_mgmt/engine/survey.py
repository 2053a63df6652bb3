"""The satisfaction survey after closure (SPEC §7): scores on a scale and the low-score items.

Policy comes in as an argument (Complaint Settings in the app): the scale and the line below
which a score is a low-score item (default: scores 1–5, below 4 is low).
"""

from __future__ import annotations

from dataclasses import dataclass

from complaint_mgmt.engine.errors import PolicyViolation


@dataclass(frozen=True)
class SurveyPolicy:
	lowest: int = 1
	highest: int = 5
	low_below: int = 4


def low_score_items(scores: dict[str, int | None], policy: SurveyPolicy) -> list[str]:
	"""Check every score is on the scale; return the items scored below the low-score line."""
	if policy.lowest >= policy.highest:
		raise PolicyViolation("The survey scale needs a lowest score below the highest")
	low = []
	for item, score in scores.items():
		if score is None or not (policy.lowest <= score <= policy.highest):
			raise PolicyViolation(
				"{item} must be scored from {lowest} to {highest}",
				item=item,
				lowest=policy.lowest,
				highest=policy.highest,
			)
		if score < policy.low_below:
			low.append(item)
	return low
