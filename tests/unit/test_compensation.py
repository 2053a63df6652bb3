from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from complaint_mgmt.engine.compensation import (
	DEFAULT_COMPENSATION_CAPS,
	DEFAULT_SCENARIO_MATRIX,
	MONEY_REMEDIES,
	AppliedCap,
	ScenarioRule,
	line_cap,
	suggest,
	total_cap,
	validate_caps,
	validate_line_amount,
	validate_matrix,
	validate_percent,
)
from complaint_mgmt.engine.errors import PolicyViolation
from tests.factories.policy import (
	CompensationCapFactory,
	CompensationFactsFactory,
	ScenarioRuleFactory,
)

D = Decimal


def run(facts, matrix=DEFAULT_SCENARIO_MATRIX, caps=DEFAULT_COMPENSATION_CAPS, **kwargs):
	return suggest(facts, matrix, caps, **kwargs)


def by_remedy(suggestion):
	return {line.remedy: line for line in suggestion.lines}


def rendered(line):
	return [step.render() for step in line.explanation]


# -- acceptance: SPEC §6 scenario matrix ---------------------------------------------------


def test_damaged_insured_parcel_gets_reship_freight_waived_and_optional_800_cash():
	facts = CompensationFactsFactory(
		complaint_type="Damage",
		goods_value=D("8000"),
		insured_value=D("8000"),
		is_insured=True,
		freight=D("30"),
	)
	result = run(facts)
	lines = by_remedy(result)
	assert [line.remedy for line in result.lines] == ["reship", "freight_waiver", "cash"]
	assert lines["reship"].amount == D("0.00") and not lines["reship"].is_upgrade
	assert lines["freight_waiver"].amount == D("30.00") and not lines["freight_waiver"].is_upgrade
	assert lines["cash"].amount == D("800.00") and lines["cash"].is_upgrade
	assert rendered(lines["cash"]) == [
		"10% of goods value 8000.00 = 800.00",
		"Within the insured value 8000.00",
	]
	assert rendered(lines["freight_waiver"]) == ["100% of freight 30.00 = 30.00"]
	assert result.total == D("30.00")
	assert result.total_with_upgrades == D("830.00")
	assert [step.render() for step in result.explanation] == [
		"Basic remedies total 30.00",
		"With the optional upgrades the total is 830.00",
	]


def test_delay_gets_priority_delivery_and_default_freight_reduction_with_equal_voucher():
	facts = CompensationFactsFactory(complaint_type="Delay", category="Service Quality", freight=D("45"))
	lines = by_remedy(run(facts))
	assert list(lines) == ["priority_delivery", "freight_reduction", "voucher"]
	assert lines["freight_reduction"].amount == D("4.50")
	assert (lines["freight_reduction"].percent_min, lines["freight_reduction"].percent_max) == (D(5), D(20))
	assert rendered(lines["freight_reduction"]) == [
		"10% of freight 45.00 = 4.50",
		"The percentage may be set from 5% to 20%",
	]
	assert lines["voucher"].is_upgrade
	assert lines["voucher"].amount == D("4.50")
	assert rendered(lines["voucher"]) == ["Equal to the Freight reduction 4.50"]


def test_agent_chosen_percentage_moves_the_voucher_too():
	facts = CompensationFactsFactory(complaint_type="Delay", category="Service Quality", freight=D("45"))
	lines = by_remedy(run(facts, percents={"freight_reduction": "20"}))
	assert lines["freight_reduction"].amount == D("9.00")
	assert lines["voucher"].amount == D("9.00")


@pytest.mark.parametrize("percent", ["4.99", "20.5", "-1"])
def test_percentage_outside_the_delay_range_is_refused(percent):
	facts = CompensationFactsFactory(complaint_type="Delay", category="Service Quality")
	with pytest.raises(PolicyViolation):
		run(facts, percents={"freight_reduction": percent})


def test_range_message_names_the_bounds():
	rule = ScenarioRuleFactory(percent=D(10), percent_min=D(5), percent_max=D(20))
	with pytest.raises(PolicyViolation) as err:
		validate_percent(rule, 25)
	assert str(err.value) == "The percentage 25% is outside the allowed range 5%–20%"
	assert validate_percent(rule, "12.5") == D("12.5")


def test_percentage_without_bounds_is_fixed():
	rule = ScenarioRuleFactory(remedy="cash", basis="goods_value", percent=D(10))
	assert validate_percent(rule, 10) == D(10)
	with pytest.raises(PolicyViolation) as err:
		validate_percent(rule, 15)
	assert err.value.params == {"remedy": "cash", "percent": "10"}


def test_lost_insured_parcel_is_capped_at_insured_value_and_says_so():
	facts = CompensationFactsFactory(
		complaint_type="Lost Parcel", goods_value=D("8000"), insured_value=D("5000"), is_insured=True
	)
	result = run(facts)
	cash = by_remedy(result)["cash"]
	assert cash.amount == D("5000.00")
	assert not cash.is_upgrade
	assert rendered(cash) == [
		"100% of goods value 8000.00 = 8000.00",
		"Reduced from 8000.00 to 5000.00: capped at the insured value 5000.00",
	]
	assert result.total == D("5000.00")


def test_lost_uninsured_parcel_is_capped_at_three_times_freight():
	facts = CompensationFactsFactory(
		complaint_type="Lost Parcel", uninsured=True, goods_value=D("8000"), freight=20
	)
	cash = by_remedy(run(facts))["cash"]
	assert cash.amount == D("60.00")
	assert rendered(cash)[-1] == (
		"Reduced from 8000.00 to 60.00: an uninsured parcel is capped at 3 × freight 20.00 = 60.00"
	)
	assert cash.cap is not None and cash.cap.kind == "uninsured_freight_multiple"


def test_insured_flag_without_insured_value_is_treated_as_uninsured_and_explained():
	facts = CompensationFactsFactory(
		complaint_type="Lost Parcel",
		is_insured=True,
		insured_value=None,
		goods_value=D("900"),
		freight=D("15"),
	)
	result = run(facts)
	assert by_remedy(result)["cash"].amount == D("45.00")
	assert result.explanation[0].render() == "Insured, but no insured value is recorded: treated as uninsured"


def test_damaged_uninsured_parcel_extra_cash_is_capped_too():
	facts = CompensationFactsFactory(
		complaint_type="Damage", uninsured=True, goods_value=D("8000"), freight=D("30")
	)
	assert by_remedy(run(facts))["cash"].amount == D("90.00")


def test_bad_attitude_gets_apology_call_internal_penalty_and_optional_vip_card():
	facts = CompensationFactsFactory(complaint_type="bad attitude", category="Service Quality")
	result = run(facts)
	lines = by_remedy(result)
	assert list(lines) == ["apology_call", "internal_penalty", "vip_card"]
	assert [line.is_upgrade for line in result.lines] == [False, False, True]
	assert all(line.amount == D("0.00") and not line.is_monetary for line in result.lines)
	assert rendered(lines["apology_call"]) == ["Supervisor apology call: no money involved"]
	assert result.total == D("0.00")


def test_complaint_type_without_scenario_is_left_to_the_agent():
	facts = CompensationFactsFactory(complaint_type="System Fault", category="System Fault")
	result = run(facts)
	assert result.lines == ()
	assert result.total == D("0.00")
	assert result.explanation[0].render() == (
		"No remedy is set up for complaint type System Fault; decide it manually"
	)


def test_declared_value_is_used_when_goods_value_is_missing():
	facts = CompensationFactsFactory(complaint_type="Damage", goods_value=None, declared_value=D("2000"))
	cash = by_remedy(run(facts))["cash"]
	assert cash.amount == D("200.00")
	assert rendered(cash)[0] == "The goods value is not recorded; using the declared value 2000.00"


def test_missing_freight_counts_as_zero_and_is_explained():
	facts = CompensationFactsFactory(complaint_type="Delay", category="Service Quality", freight=None)
	line = by_remedy(run(facts))["freight_reduction"]
	assert line.amount == D("0.00")
	assert rendered(line)[0] == "The freight is not recorded, so it counts as 0"


@pytest.mark.parametrize(
	("freight", "percent", "expected"),
	[("0.05", "10", "0.01"), ("33.33", "15", "5.00"), ("10.10", "5", "0.51"), ("0.04", "10", "0.00")],
)
def test_amounts_round_half_up_to_cents(freight, percent, expected):
	facts = CompensationFactsFactory(complaint_type="Delay", category="Service Quality", freight=freight)
	line = by_remedy(run(facts, percents={"freight_reduction": percent}))["freight_reduction"]
	assert line.amount == D(expected)
	assert line.amount.as_tuple().exponent == -2


def test_negative_goods_value_is_refused():
	facts = CompensationFactsFactory(goods_value=-1)
	with pytest.raises(PolicyViolation) as err:
		run(facts)
	assert str(err.value) == "The goods value cannot be negative"


# -- other caps and matrix options ---------------------------------------------------------


def test_per_remedy_ceiling_reduces_the_line_with_its_reason():
	caps = [CompensationCapFactory(remedy="cash", amount=D("500"), reason="Key-account agreement")]
	facts = CompensationFactsFactory(complaint_type="Damage")
	cash = by_remedy(run(facts, caps=caps))["cash"]
	assert cash.amount == D("500.00")
	assert rendered(cash)[-1] == "Reduced from 800.00 to 500.00: capped at 500.00 (Key-account agreement)"


def test_overall_ceiling_trims_optional_upgrades_before_basic_remedies():
	caps = [CompensationCapFactory(remedy=None, amount=D("100"), reason="agreement")]
	facts = CompensationFactsFactory(complaint_type="Damage", freight=D("30"))
	result = run(facts, caps=caps)
	lines = by_remedy(result)
	assert lines["freight_waiver"].amount == D("30.00")
	assert lines["cash"].amount == D("70.00")
	assert rendered(lines["cash"])[-1] == (
		"Reduced from 800.00 to 70.00 so the total stays within 100.00 (agreement)"
	)
	assert result.total_with_upgrades == D("100.00")


def test_cap_limited_to_categories_does_not_apply_elsewhere():
	caps = [CompensationCapFactory(remedy="voucher", amount=D("1"), categories=("Damage & Shortage",))]
	facts = CompensationFactsFactory(complaint_type="Delay", category="Service Quality", freight=D("100"))
	assert by_remedy(run(facts, caps=caps))["voucher"].amount == D("10.00")


def test_tier_specific_rule_only_for_that_tier():
	matrix = [
		*DEFAULT_SCENARIO_MATRIX,
		{
			"complaint_type": "Delay",
			"remedy": "cash",
			"basis": "fixed",
			"amount": 50,
			"optional": 1,
			"customer_tiers": "Key Account, VIP",
		},
	]
	key_account = CompensationFactsFactory(
		complaint_type="Delay", category="Service Quality", customer_tier="VIP"
	)
	standard = CompensationFactsFactory(
		complaint_type="Delay", category="Service Quality", customer_tier="Standard"
	)
	assert by_remedy(run(key_account, matrix))["cash"].amount == D("50.00")
	assert "cash" not in by_remedy(run(standard, matrix))


def test_line_cap_and_total_cap_for_the_frappe_form():
	insured = CompensationFactsFactory(insured_value=D("3000"))
	cap = line_cap(insured, "cash", DEFAULT_COMPENSATION_CAPS)
	assert cap is not None and cap.amount == D("3000.00") and cap.kind == "insured_value"
	assert line_cap(insured, "reship", DEFAULT_COMPENSATION_CAPS) is None
	assert total_cap(insured, DEFAULT_COMPENSATION_CAPS) is None
	assert total_cap(insured, [CompensationCapFactory(amount=D("20000"))]).amount == D("20000.00")


# -- manual amounts ------------------------------------------------------------------------


def test_negative_amount_is_refused():
	with pytest.raises(PolicyViolation) as err:
		validate_line_amount(D("-0.01"))
	assert str(err.value) == "The amount cannot be negative"


def test_amount_above_cap_is_refused_with_the_reason():
	cap = AppliedCap(D("5000.00"), "insured_value", "insured value")
	with pytest.raises(PolicyViolation) as err:
		validate_line_amount("5000.01", cap)
	assert str(err.value) == "The amount 5000.01 exceeds the cap 5000.00 (insured value)"
	assert validate_line_amount("5000", cap) == D("5000.00")
	assert validate_line_amount(120, 150, reason="ceiling") == D("120.00")
	with pytest.raises(PolicyViolation):
		validate_line_amount(151, 150, reason="ceiling")


# -- validation ----------------------------------------------------------------------------


def test_default_matrix_and_caps_are_valid():
	rules = validate_matrix(DEFAULT_SCENARIO_MATRIX)
	assert {rule.complaint_type for rule in rules} == {"Delay", "Damage", "Lost Parcel", "Bad Attitude"}
	caps = validate_caps(DEFAULT_COMPENSATION_CAPS)
	assert {cap.kind for cap in caps} == {"insured_value", "uninsured_freight_multiple"}


@pytest.mark.parametrize(
	"rows",
	[
		[{"complaint_type": "Delay", "remedy": "teleport", "basis": "none"}],
		[{"complaint_type": "Delay", "remedy": "cash", "basis": "none"}],
		[{"complaint_type": "Delay", "remedy": "reship", "basis": "freight", "percent": 10}],
		[{"complaint_type": "Delay", "remedy": "cash", "basis": "freight"}],
		[{"complaint_type": "Delay", "remedy": "cash", "basis": "fixed"}],
		[{"complaint_type": "Delay", "remedy": "cash", "basis": "weight", "percent": 1}],
		[{"complaint_type": "", "remedy": "reship", "basis": "none"}],
		[
			{
				"complaint_type": "Delay",
				"remedy": "cash",
				"basis": "freight",
				"percent": 25,
				"percent_min": 5,
				"percent_max": 20,
			}
		],
		[{"complaint_type": "Delay", "remedy": "voucher", "basis": "equal_to", "equal_to": "cash"}],
		[
			{"complaint_type": "Delay", "remedy": "reship", "basis": "none"},
			{"complaint_type": "delay", "remedy": "reship", "basis": "none"},
		],
	],
)
def test_invalid_matrix_rows_are_refused(rows):
	with pytest.raises(PolicyViolation):
		validate_matrix(rows)


@pytest.mark.parametrize(
	"row",
	[
		{"kind": "goodwill"},
		{"kind": "max_amount"},
		{"kind": "max_amount", "amount": -1},
		{"kind": "uninsured_freight_multiple", "multiple": 0},
		{"kind": "max_amount", "amount": 10, "remedy": "reship"},
	],
)
def test_invalid_caps_are_refused(row):
	with pytest.raises(PolicyViolation):
		validate_caps([row])


def test_empty_frappe_percentage_range_means_a_fixed_percentage():
	rule = validate_matrix(
		[
			{
				"complaint_type": "Damage",
				"remedy": "cash",
				"basis": "goods_value",
				"percent": 10.0,
				"percent_min": 0.0,
				"percent_max": 0.0,
			}
		]
	)[0]
	assert (rule.percent_min, rule.percent_max) == (None, None)


def test_zero_goods_value_falls_back_to_declared_value():
	facts = CompensationFactsFactory(complaint_type="Damage", goods_value=0, declared_value=D("1500"))
	assert by_remedy(run(facts))["cash"].amount == D("150.00")


def test_matrix_rows_from_frappe_accept_text_numbers_and_flags():
	rule = validate_matrix(
		[{"complaint_type": "Delay", "remedy": "cash", "basis": "fixed", "amount": "12.5", "optional": "1"}]
	)[0]
	assert rule == ScenarioRule("Delay", "cash", "fixed", amount=D("12.5"), optional=True)


# -- properties ----------------------------------------------------------------------------

money_st = st.one_of(st.none(), st.decimals(min_value=0, max_value=100_000, places=2))
facts_st = st.builds(
	CompensationFactsFactory.build,
	complaint_type=st.sampled_from(["Delay", "Damage", "Lost Parcel", "Bad Attitude"]),
	category=st.sampled_from(["Damage & Shortage", "Service Quality"]),
	goods_value=money_st,
	declared_value=money_st,
	insured_value=money_st,
	is_insured=st.booleans(),
	freight=money_st,
)
caps_st = st.lists(
	st.one_of(
		st.builds(
			CompensationCapFactory.build,
			remedy=st.sampled_from([None, *sorted(MONEY_REMEDIES)]),
			amount=st.decimals(min_value=0, max_value=10_000, places=2),
		),
		st.builds(
			CompensationCapFactory.build,
			kind=st.just("uninsured_freight_multiple"),
			remedy=st.sampled_from([None, "cash"]),
			amount=st.none(),
			multiple=st.decimals(min_value=D("0.5"), max_value=10, places=1),
		),
	),
	max_size=3,
)


@settings(max_examples=200, deadline=None)
@given(facts=facts_st, extra_caps=caps_st, percent=st.integers(5, 20))
def test_property_amounts_never_negative_never_above_caps(facts, extra_caps, percent):
	caps = [*DEFAULT_COMPENSATION_CAPS, *extra_caps]
	result = suggest(facts, DEFAULT_SCENARIO_MATRIX, caps, percents={"freight_reduction": percent})
	for line in result.lines:
		assert line.amount >= 0
		assert line.amount == line.amount.quantize(D("0.01"))
		if not line.is_monetary:
			assert line.amount == 0
		cap = line_cap(facts, line.remedy, caps)
		if cap is not None:
			assert line.amount <= cap.amount
			validate_line_amount(line.amount, cap)
		for step in line.explanation:
			step.render()
	overall = total_cap(facts, caps)
	if overall is not None:
		assert result.total_with_upgrades <= overall.amount
	assert result.total == sum((line.amount for line in result.lines if not line.is_upgrade), D(0))
	assert result.total_with_upgrades == sum((line.amount for line in result.lines), D(0))
	assert result.total <= result.total_with_upgrades


@settings(max_examples=200, deadline=None)
@given(facts=facts_st)
def test_property_loss_and_damage_cash_respects_insurance_rules(facts):
	cash = by_remedy(suggest(facts, DEFAULT_SCENARIO_MATRIX, DEFAULT_COMPENSATION_CAPS)).get("cash")
	if cash is None or facts.category != "Damage & Shortage":
		return
	if facts.is_insured and facts.insured_value:
		assert cash.amount <= facts.insured_value
	else:
		assert cash.amount <= 3 * (facts.freight or 0)
