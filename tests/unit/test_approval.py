from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from complaint_mgmt.engine.approval import (
	DEFAULT_APPROVAL_MATRIX,
	ApprovalLevel,
	approver_level,
	check_can_approve,
	required_level,
	validate_matrix,
)
from complaint_mgmt.engine.errors import PolicyViolation
from tests.factories.policy import ApprovalLevelFactory, approval_matrix

D = Decimal
MATRIX = DEFAULT_APPROVAL_MATRIX
AGENT = ["Complaint Agent"]
DEPT = ["Department Manager"]
GM = ["General Manager"]
FLAGS = ("media_involved", "regulator_involved", "regulator_intent", "force_majeure")


# -- acceptance (SPEC §6) ------------------------------------------------------------------


@pytest.mark.parametrize(
	("total", "flags", "level"),
	[
		(D("450"), (), "Agent"),
		(D("500"), (), "Agent"),
		(D("500.01"), (), "Department Manager"),
		(D("1500"), (), "Department Manager"),
		(D("2000"), (), "Department Manager"),
		(D("3500"), (), "General Manager"),
		(D("6000"), (), "General Manager"),
		(D("100"), ("media_involved",), "General Manager"),
		(D("0"), ("regulator_involved",), "General Manager"),
		(D("100"), ("force_majeure",), "Agent"),
	],
)
def test_required_level_follows_the_default_matrix(total, flags, level):
	assert required_level(total, flags=flags, matrix=MATRIX).name == level


def test_agent_may_approve_a_450_voucher():
	assert check_can_approve(AGENT, D("450"), (), MATRIX).name == "Agent"


def test_agent_approving_1500_is_refused_and_told_who_can():
	with pytest.raises(PolicyViolation) as err:
		check_can_approve(AGENT, D("1500"), (), MATRIX)
	assert err.value.message == "Approving {amount} needs {level} or above"
	assert str(err.value) == "Approving 1500.00 needs Department Manager or above"


def test_department_manager_approves_1500_but_not_6000():
	assert check_can_approve(DEPT, 1500, (), MATRIX).name == "Department Manager"
	with pytest.raises(PolicyViolation) as err:
		check_can_approve(DEPT, 6000, (), MATRIX)
	assert err.value.params["level"] == "General Manager"


def test_general_manager_approves_anything_including_media_cases():
	assert check_can_approve(GM, D("6000"), (), MATRIX).name == "General Manager"
	assert check_can_approve(GM, D("100"), ("media_involved",), MATRIX).name == "General Manager"


def test_media_case_of_100_is_refused_for_department_manager():
	with pytest.raises(PolicyViolation) as err:
		check_can_approve([*AGENT, *DEPT], D("100"), ("regulator_involved", "force_majeure"), MATRIX)
	assert (
		str(err.value) == "Approving 100.00 in a case with regulator_involved needs General Manager or above"
	)


def test_system_manager_gets_no_special_treatment():
	assert approver_level(["System Manager", "Administrator"], MATRIX) is None
	with pytest.raises(PolicyViolation):
		check_can_approve(["System Manager"], D("1"), (), MATRIX)


def test_user_with_several_roles_gets_the_highest_level():
	assert (
		approver_level(["Complaint Agent", "Department Manager", "Finance"], MATRIX).name
		== "Department Manager"
	)
	assert approver_level([], MATRIX) is None


def test_negative_total_is_refused():
	with pytest.raises(PolicyViolation):
		required_level(D("-1"), matrix=MATRIX)


def test_limits_are_data():
	matrix = [dict(row) for row in MATRIX]
	matrix[0]["max_amount"] = 1000
	assert required_level(D("900"), matrix=matrix).name == "Agent"
	assert check_can_approve(AGENT, D("900"), (), matrix).name == "Agent"


# -- matrix validation ---------------------------------------------------------------------


def test_default_matrix_is_valid_and_sorted_by_rank():
	levels = validate_matrix(reversed(MATRIX))
	assert [lvl.name for lvl in levels] == ["Agent", "Department Manager", "General Manager"]
	assert [lvl.max_amount for lvl in levels] == [D("500.00"), D("2000.00"), None]
	assert [lvl.role for lvl in levels] == ["Complaint Agent", "Department Manager", "General Manager"]


def test_frappe_row_with_unlimited_flag_is_unlimited():
	level = ApprovalLevel.from_dict(
		{
			"name": "GM",
			"role": "General Manager",
			"rank": "3",
			"max_amount": 0,
			"unlimited": 1,
			"required_for": "media_involved\nregulator_involved",
		}
	)
	assert level.max_amount is None and level.rank == 3
	assert level.required_for == {"media_involved", "regulator_involved"}


@pytest.mark.parametrize(
	("levels", "message"),
	[
		([], "The approval matrix needs at least one level"),
		(approval_matrix(500, 2000), "The highest approval level must be unlimited"),
		(approval_matrix(500, None, None), "Only the highest approval level can be unlimited"),
		(approval_matrix(2000, 500, None), "The limit of {level} must be above the limit of {other}"),
		(approval_matrix(500, 500, None), "The limit of {level} must be above the limit of {other}"),
		(approval_matrix(-1, None), "The limit of {level} cannot be negative"),
		(
			[ApprovalLevelFactory(name="A", rank=1, max_amount=None, required_for=frozenset({"weather"}))],
			"{level} is required for {flags}, which is not a case flag; use one of {allowed}",
		),
		(
			[
				ApprovalLevelFactory(name="A", rank=1, max_amount=D(500)),
				ApprovalLevelFactory(name="B", rank=1, max_amount=None),
			],
			"{level} and {other} have the same rank",
		),
		(
			[
				ApprovalLevelFactory(name="A", rank=1, max_amount=D(500)),
				ApprovalLevelFactory(name="A", rank=2, max_amount=None),
			],
			"The approval level {level} is listed twice",
		),
		(
			[ApprovalLevelFactory(name="A", role="", rank=1, max_amount=None)],
			"Every approval level needs a name and a role",
		),
	],
)
def test_invalid_matrices_are_refused(levels, message):
	with pytest.raises(PolicyViolation) as err:
		validate_matrix(levels, known_flags=FLAGS)
	assert err.value.message == message


def test_invalid_matrix_blocks_approval():
	with pytest.raises(PolicyViolation):
		check_can_approve(GM, D("10"), (), approval_matrix(500, 2000))


def test_flagged_cases_can_be_delegated_to_a_lower_level_by_data():
	matrix = approval_matrix(500, 2000, None, sensitive_from=1)
	assert required_level(D("100"), flags=("media_involved",), matrix=matrix).name == "L2"
	assert required_level(D("2500"), flags=("media_involved",), matrix=matrix).name == "L3"


def test_a_regulator_row_is_evaluated_like_the_others():
	matrix = [dict(row) for row in MATRIX]
	matrix[1]["required_for"] = "regulator_involved"  # the department manager handles regulator cases
	matrix[2]["required_for"] = "media_involved"
	assert required_level(D("100"), flags=("regulator_involved",), matrix=matrix).name == "Department Manager"
	assert required_level(D("100"), flags=("media_involved",), matrix=matrix).name == "General Manager"
	assert check_can_approve(DEPT, D("100"), ("regulator_involved",), matrix).name == "Department Manager"


# -- properties ----------------------------------------------------------------------------

amount_st = st.decimals(min_value=0, max_value=1_000_000, places=2)


@st.composite
def matrices(draw):
	steps = draw(st.lists(st.integers(1, 5000), min_size=0, max_size=4))
	limits = []
	running = 0
	for step in steps:
		running += step
		limits.append(running)
	count = len(limits) + 1
	return approval_matrix(*limits, None, sensitive_from=draw(st.integers(0, count - 1)))


@settings(max_examples=200, deadline=None)
@given(matrix=matrices(), a=amount_st, b=amount_st, sensitive=st.booleans())
def test_property_required_level_is_monotone_in_amount(matrix, a, b, sensitive):
	low, high = sorted((a, b))
	flags = ("media_involved",) if sensitive else ()
	assert (
		required_level(low, flags=flags, matrix=matrix).rank
		<= required_level(high, flags=flags, matrix=matrix).rank
	)
	assert (
		required_level(a, matrix=matrix).rank
		<= required_level(a, flags=("media_involved",), matrix=matrix).rank
	)


@settings(max_examples=200, deadline=None)
@given(matrix=matrices(), total=amount_st, sensitive=st.booleans(), data=st.data())
def test_property_can_approve_exactly_when_user_level_covers_the_case(matrix, total, sensitive, data):
	roles = data.draw(st.lists(st.sampled_from([lvl.role for lvl in matrix] + ["Finance"]), max_size=3))
	mine = approver_level(roles, matrix)
	flags = ("media_involved",) if sensitive else ()
	floor = min(lvl.rank for lvl in matrix if lvl.required_for) if sensitive else 0
	allowed = mine is not None and mine.covers(total) and mine.rank >= floor
	if allowed:
		assert check_can_approve(roles, total, flags, matrix) == mine
	else:
		with pytest.raises(PolicyViolation):
			check_can_approve(roles, total, flags, matrix)
