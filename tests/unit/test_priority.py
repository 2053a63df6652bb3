from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from complaint_mgmt.engine.errors import PolicyViolation
from complaint_mgmt.engine.priority import (
	DEFAULT_PRIORITY_LEVELS,
	DEFAULT_PRIORITY_RULES,
	OPERATORS,
	PriorityRule,
	apply_automatic,
	check_manual_change,
	evaluate_priority,
	rank,
	validate_rules,
)
from tests.factories.policy import PriorityRuleFactory

LEVELS = DEFAULT_PRIORITY_LEVELS
SUPERVISOR = "Complaint Supervisor"


def decide(**facts):
	return evaluate_priority(facts, DEFAULT_PRIORITY_RULES, LEVELS, "General")


# -- acceptance scenarios (SPEC §4) --------------------------------------------------------


def test_fresh_food_delay_via_wecom_is_urgent_and_says_why():
	decision = decide(
		goods_category="Fresh",
		complaint_category="Service Quality",
		channel="WeCom",
		group_size=1,
		media_involved=0,
		regulator_involved=0,
		regulator_intent=0,
		insured_value=300.0,
	)
	assert decision.priority == "Urgent"
	assert decision.reasons == ("Special goods (fresh or medical)",)
	assert [rule.field for rule in decision.matched] == ["goods_category"]


def test_attitude_complaint_by_phone_is_general_with_no_reason():
	decision = decide(
		goods_category="General",
		complaint_category="Service Quality",
		channel="Hotline",
		group_size=1,
		media_involved=0,
		regulator_involved=0,
		regulator_intent=0,
		insured_value=0,
	)
	assert decision.priority == "General"
	assert decision.reasons == ()
	assert decision.matched == ()


def test_damaged_high_value_insured_parcel_is_important_listing_both_reasons():
	decision = decide(
		goods_category="Valuables", complaint_category="Damage & Shortage", insured_value=8000.0
	)
	assert decision.priority == "Important"
	assert decision.reasons == ("Loss or damage of goods", "High-value insured parcel")


def test_urgent_reason_wins_and_lower_level_reasons_are_not_shown():
	decision = decide(goods_category="Medical", complaint_category="Damage & Shortage", media_involved=1)
	assert decision.priority == "Urgent"
	assert decision.reasons == ("Special goods (fresh or medical)", "Media involved")


@pytest.mark.parametrize(
	("facts", "expected"),
	[
		({"group_size": 5}, "Urgent"),
		({"group_size": 4}, "General"),
		({"group_size": "12"}, "Urgent"),
		({"media_involved": True}, "Urgent"),
		({"media_involved": "1"}, "Urgent"),
		({"media_involved": 0}, "General"),
		({"regulator_involved": 1}, "Urgent"),
		({"regulator_intent": 1}, "Important"),
		({"insured_value": 5000}, "Important"),
		({"insured_value": "4999.99"}, "General"),
		({"goods_category": "fresh"}, "Urgent"),
		({"goods_category": " MEDICAL "}, "Urgent"),
		({"goods_category": "Valuables"}, "General"),
		({"complaint_category": "damage & shortage"}, "Important"),
		({"complaint_category": "Fee Dispute"}, "General"),
		({}, "General"),
	],
)
def test_default_rules_follow_spec(facts, expected):
	assert decide(**facts).priority == expected


def test_insured_value_threshold_is_data_not_code():
	rules = [dict(r) for r in DEFAULT_PRIORITY_RULES]
	for rule in rules:
		if rule["field"] == "insured_value":
			rule["value"] = "3000"
	facts = {"insured_value": 3500}
	assert evaluate_priority(facts, DEFAULT_PRIORITY_RULES, LEVELS).priority == "General"
	assert evaluate_priority(facts, rules, LEVELS).priority == "Important"


def test_disabled_rule_is_ignored_even_if_broken():
	rules = [
		PriorityRuleFactory(priority="Urgent", field="channel", operator="=", value="Weibo", enabled=False),
		PriorityRuleFactory(priority="Nonexistent", field="channel", operator="~", enabled=False),
	]
	assert evaluate_priority({"channel": "Weibo"}, rules, LEVELS).priority == "General"


def test_enabled_rule_with_unknown_level_is_refused():
	rules = [PriorityRuleFactory(priority="Critical")]
	with pytest.raises(PolicyViolation) as err:
		evaluate_priority({"complaint_category": "Damage & Shortage"}, rules, LEVELS)
	assert err.value.message == "Unknown priority {priority} in the rule on {field}"
	assert err.value.params["priority"] == "Critical"


def test_no_match_falls_back_to_default_level_and_lowest_when_unset():
	rules = [PriorityRuleFactory()]
	assert evaluate_priority({}, rules, LEVELS, "Important").priority == "Important"
	assert evaluate_priority({}, rules, LEVELS).priority == "General"
	with pytest.raises(PolicyViolation):
		evaluate_priority({}, rules, LEVELS, "Low")


def test_custom_levels_are_respected():
	levels = ("Critical", "High", "Normal", "Low")
	rules = [
		PriorityRuleFactory(priority="High", field="channel", operator="=", value="Regulator Referral"),
		PriorityRuleFactory(priority="Critical", field="group_size", operator=">", value=50),
	]
	assert evaluate_priority({"channel": "Regulator Referral"}, rules, levels, "Low").priority == "High"
	assert evaluate_priority({"group_size": 51}, rules, levels, "Low").priority == "Critical"
	assert evaluate_priority({"group_size": 50}, rules, levels, "Low").priority == "Low"


def test_rule_without_reason_still_explains_itself():
	rule = PriorityRuleFactory(priority="Urgent", field="group_size", operator=">=", value=5, reason="")
	decision = evaluate_priority({"group_size": 7}, [rule], LEVELS)
	assert decision.reasons == ("group_size >= 5",)


def test_rules_may_be_plain_dicts_with_frappe_style_flags():
	rows = [
		{"priority": "Urgent", "field": "channel", "operator": "IN", "value": "Weibo, Douyin", "enabled": "1"}
	]
	assert evaluate_priority({"channel": "douyin"}, rows, LEVELS).priority == "Urgent"


# -- operators and coercion ----------------------------------------------------------------


@pytest.mark.parametrize(
	("operator", "value", "matching", "not_matching"),
	[
		("=", "Hotline", "hotline", "Email"),
		("=", "1", True, False),
		("=", "5", 5.0, 6),
		("!=", "Hotline", "Email", "HOTLINE"),
		(">", "10", 11, 10),
		(">=", "10", "10", 9.99),
		("<", "10", 9, 10),
		("<=", "10", Decimal("10.00"), 10.01),
		("in", "Fresh,Medical", "Medical", "Valuables"),
		("in", ["Email", "SMS"], "sms", "Letter"),
		("is set", None, "SF123", ""),
		("is not set", None, None, "x"),
		(">=", "2026-11-20", "2026-11-21", "2026-11-19"),
	],
)
def test_operators(operator, value, matching, not_matching):
	rule = PriorityRuleFactory(priority="Urgent", field="f", operator=operator, value=value)
	assert evaluate_priority({"f": matching}, [rule], LEVELS).priority == "Urgent"
	assert evaluate_priority({"f": not_matching}, [rule], LEVELS).priority == "General"


def test_comparison_with_missing_or_non_numeric_fact_does_not_match():
	rule = PriorityRuleFactory(priority="Urgent", field="group_size", operator=">=", value="5")
	assert evaluate_priority({}, [rule], LEVELS).priority == "General"
	assert evaluate_priority({"group_size": "many"}, [rule], LEVELS).priority == "General"


def test_not_equal_matches_a_missing_fact():
	rule = PriorityRuleFactory(priority="Important", field="channel", operator="!=", value="Hotline")
	assert evaluate_priority({}, [rule], LEVELS).priority == "Important"


@pytest.mark.parametrize(
	("row", "param"),
	[
		({"operator": "~"}, "operator"),
		({"priority": "Critical"}, "priority"),
	],
)
def test_validate_rules_refuses_unknown_operator_or_level(row, param):
	base = {"priority": "Urgent", "field": "channel", "operator": "=", "value": "x"}
	with pytest.raises(PolicyViolation) as err:
		validate_rules([{**base, **row}], LEVELS)
	assert err.value.params[param] == row[param]
	assert err.value.params["field"] == "channel"


@pytest.mark.parametrize(
	"row",
	[
		{"priority": "Urgent", "field": "", "operator": "=", "value": "x"},
		{"priority": "Urgent", "field": "channel", "operator": "in", "value": " , "},
		{"priority": "Urgent", "field": "group_size", "operator": ">=", "value": ""},
	],
)
def test_validate_rules_refuses_incomplete_rules(row):
	with pytest.raises(PolicyViolation):
		validate_rules([row], LEVELS)


def test_default_rules_are_valid_and_cover_every_spec_trigger():
	rules = validate_rules(DEFAULT_PRIORITY_RULES, LEVELS)
	assert all(isinstance(rule, PriorityRule) for rule in rules)
	assert {rule.field for rule in rules} == {
		"goods_category",
		"group_size",
		"media_involved",
		"regulator_involved",
		"complaint_category",
		"insured_value",
		"regulator_intent",
		"priority_service",  # issue 12: the recovery plan's priority service
	}
	assert all(rule.operator in OPERATORS for rule in rules)


def test_duplicate_levels_are_refused():
	with pytest.raises(PolicyViolation):
		evaluate_priority({}, [], ("Urgent", "Urgent", "General"))


# -- automatic and manual changes ----------------------------------------------------------


@pytest.mark.parametrize(
	("current", "computed", "stored"),
	[
		(None, "Important", "Important"),
		("General", "Urgent", "Urgent"),
		("Urgent", "General", "Urgent"),
		("Important", "General", "Important"),
		("Important", "Important", "Important"),
	],
)
def test_automatic_priority_only_raises(current, computed, stored):
	assert apply_automatic(current, computed, LEVELS) == stored


def test_automatic_priority_refuses_unknown_level():
	with pytest.raises(PolicyViolation):
		apply_automatic("General", "Critical", LEVELS)


def test_anyone_may_raise_priority_without_reason():
	assert (
		check_manual_change("General", "Urgent", may_lower=False, reason=None, lowering_role=SUPERVISOR)
		== "raise"
	)


def test_agent_cannot_lower_priority_and_is_told_who_can():
	with pytest.raises(PolicyViolation) as err:
		check_manual_change(
			"Urgent", "General", may_lower=False, reason="duplicate", lowering_role=SUPERVISOR
		)
	assert str(err.value) == "Only a Complaint Supervisor can lower the priority"
	assert err.value.message == "Only a {role} can lower the priority"


@pytest.mark.parametrize("reason", [None, "", "   "])
def test_supervisor_needs_a_reason_to_lower(reason):
	with pytest.raises(PolicyViolation) as err:
		check_manual_change("Urgent", "Important", may_lower=True, reason=reason, lowering_role=SUPERVISOR)
	assert str(err.value) == "A reason is required to lower the priority"


def test_supervisor_with_reason_may_lower():
	result = check_manual_change(
		"Urgent", "General", may_lower=True, reason="Customer withdrew", lowering_role=SUPERVISOR
	)
	assert result == "lower"


def test_manual_change_to_unknown_level_is_refused():
	with pytest.raises(PolicyViolation):
		check_manual_change("General", "Critical", may_lower=True, reason="x", lowering_role=SUPERVISOR)


# -- properties ----------------------------------------------------------------------------

levels_st = st.sampled_from(LEVELS)


@settings(max_examples=200, deadline=None)
@given(current=st.one_of(st.none(), levels_st), computed=levels_st)
def test_property_automatic_never_lowers(current, computed):
	stored = apply_automatic(current, computed, LEVELS)
	assert stored in (current, computed)
	if current is not None:
		assert rank(stored, LEVELS) <= rank(current, LEVELS)
	assert rank(stored, LEVELS) <= rank(computed, LEVELS)


rule_st = st.builds(
	PriorityRule,
	priority=levels_st,
	field=st.sampled_from(["group_size", "insured_value", "channel"]),
	operator=st.sampled_from(OPERATORS),
	value=st.one_of(st.integers(-5, 10_000).map(str), st.sampled_from(["Hotline", "Email,SMS", "1"])),
	reason=st.text(max_size=10),
	enabled=st.booleans(),
)
facts_st = st.fixed_dictionaries(
	{},
	optional={
		"group_size": st.integers(0, 20),
		"insured_value": st.floats(0, 20_000, allow_nan=False),
		"channel": st.sampled_from(["Hotline", "email", "SMS", ""]),
	},
)


@settings(max_examples=200, deadline=None)
@given(facts=facts_st, rules=st.lists(rule_st, max_size=6), extra=rule_st)
def test_property_adding_a_rule_never_lowers_the_result(facts, rules, extra):
	before = evaluate_priority(facts, rules, LEVELS)
	after = evaluate_priority(facts, [*rules, extra], LEVELS)
	assert rank(after.priority, LEVELS) <= rank(before.priority, LEVELS)
	assert all(rule.priority == after.priority for rule in after.matched)
	assert bool(after.reasons) == bool(after.matched)


@settings(max_examples=200, deadline=None)
@given(number=st.integers(-10_000, 10_000), threshold=st.integers(-10_000, 10_000))
def test_property_numbers_and_numeric_strings_compare_alike(number, threshold):
	rule = PriorityRuleFactory(priority="Urgent", field="n", operator=">=", value=str(threshold))
	as_int = evaluate_priority({"n": number}, [rule], LEVELS).priority
	as_text = evaluate_priority({"n": str(number)}, [rule], LEVELS).priority
	assert as_int == as_text == ("Urgent" if number >= threshold else "General")
