"""Survey scores and low-score items (SPEC §7: 1–5, below 4 is low)."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from complaint_mgmt.engine.errors import PolicyViolation
from complaint_mgmt.engine.survey import SurveyPolicy, low_score_items

DOCUMENTS = SurveyPolicy()


def test_scores_below_four_are_low_score_items():
	assert low_score_items({"Efficiency": 3, "Solution": 4}, DOCUMENTS) == ["Efficiency"]
	assert low_score_items({"Efficiency": 5, "Solution": 4}, DOCUMENTS) == []


@pytest.mark.parametrize("score", [0, 6, None, -1])
def test_a_score_off_the_scale_is_refused_and_names_the_item(score):
	with pytest.raises(PolicyViolation, match="Solution must be scored from 1 to 5"):
		low_score_items({"Efficiency": 5, "Solution": score}, DOCUMENTS)


def test_the_scale_and_the_low_line_are_policy():
	ten_point = SurveyPolicy(lowest=0, highest=10, low_below=7)
	assert low_score_items({"Efficiency": 6, "Solution": 7}, ten_point) == ["Efficiency"]
	with pytest.raises(PolicyViolation, match="lowest score below the highest"):
		low_score_items({"Efficiency": 3}, SurveyPolicy(lowest=5, highest=5))


@given(st.integers(1, 5), st.integers(1, 5))
def test_an_item_is_low_exactly_when_under_the_line(a, b):
	low = low_score_items({"a": a, "b": b}, DOCUMENTS)
	assert low == [name for name, score in (("a", a), ("b", b)) if score < 4]
