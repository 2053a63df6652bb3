"""Which closed complaints call for a recovery plan, and what recovery achieved."""

import datetime

import pytest

from complaint_mgmt.engine.recovery import (
	DEFAULT_SUGGESTION_RULES,
	NO_PLAN,
	CaseFacts,
	CustomerCase,
	effects,
	suggest,
)

CLOSED = datetime.datetime(2026, 6, 1, 12, 0)


def days(n: float) -> datetime.timedelta:
	return datetime.timedelta(days=n)


def test_a_low_score_suggests_a_personalised_plan():
	(found,) = suggest(
		CaseFacts(low_score=True, closed_at=CLOSED, complaint_dates=(CLOSED,)), DEFAULT_SUGGESTION_RULES
	)
	assert (found.rule, found.strategy, found.department) == (
		"Low survey score",
		"Personalised Plan",
		"Customer Service",
	)


def test_a_satisfied_ordinary_customer_gets_no_plan():
	assert (
		suggest(
			CaseFacts(priority="General", closed_at=CLOSED, complaint_dates=(CLOSED,)),
			DEFAULT_SUGGESTION_RULES,
		)
		== []
	)


def test_a_repeat_complainer_is_counted_within_the_window_only():
	recent = (CLOSED - days(10), CLOSED - days(400))
	facts = CaseFacts(closed_at=CLOSED, complaint_dates=recent)
	assert suggest(facts, DEFAULT_SUGGESTION_RULES) == []
	facts = CaseFacts(closed_at=CLOSED, complaint_dates=(CLOSED - days(10), CLOSED - days(100)))
	(found,) = suggest(facts, DEFAULT_SUGGESTION_RULES)
	assert found.strategy == "Process Fix" and found.reason == "2 complaints within 180 days"


def test_urgent_key_account_and_high_compensation_each_add_a_suggestion_and_a_disabled_rule_none():
	facts = CaseFacts(
		priority="Urgent", customer_tier="Key Account", compensation_total=2500, closed_at=CLOSED
	)
	assert [s.strategy for s in suggest(facts, DEFAULT_SUGGESTION_RULES)] == [
		"Priority Service",
		"Personalised Plan",
		"E-Voucher",
	]
	disabled = [{**rule, "enabled": 0} for rule in DEFAULT_SUGGESTION_RULES]
	assert suggest(facts, disabled) == []


def case(strategy=NO_PLAN, shipped_after_days=None, cost=0.0, before=None, after=None, **extra):
	received = CLOSED - days(5)
	shipped = CLOSED + days(shipped_after_days) if shipped_after_days is not None else None
	return CustomerCase(
		customer=extra.pop("customer", "C"),
		received_at=received,
		closed_at=CLOSED,
		first_shipment_after=shipped,
		strategy=strategy,
		cost=cost,
		score_before=before,
		score_after=after,
		**extra,
	)


def test_recovery_rate_cycle_and_cost_per_strategy_against_the_comparison_group():
	cases = [
		case("E-Voucher", shipped_after_days=10, cost=50, before=2, after=4),
		case("E-Voucher", shipped_after_days=None, cost=30),
		case(NO_PLAN, shipped_after_days=100),  # outside the 90-day window: not retained
		case(NO_PLAN, shipped_after_days=30, complaints_before=2, complaints_after=1),
	]
	total, voucher, no_plan = effects(cases, 90)
	assert (total.customers, total.retained, total.recovery_rate) == (4, 2, 50.0)
	assert voucher.strategy == "E-Voucher" and no_plan.strategy == NO_PLAN
	assert voucher.recovery_rate == 50.0 and voucher.cycle == 15.0  # 5 days to closure + 10 after
	assert voucher.cost == 80 and voucher.cost_per_retained == 80
	assert voucher.satisfaction_change == 2
	assert no_plan.as_dict()["complaints_before"] == 2 and no_plan.complaints_after == 1


def test_a_wider_window_retains_more_and_the_window_is_at_least_a_day():
	cases = [case(shipped_after_days=100)]
	assert effects(cases, 90)[0].retained == 0
	assert effects(cases, 120)[0].retained == 1
	with pytest.raises(ValueError):
		effects(cases, 0)


def test_sums_per_strategy_from_the_rollup_give_the_figures_of_the_cases():
	"""The report sums each strategy's customers in SQL; ``totalled`` puts the total first and the
	comparison group last, with the averages of the cases themselves."""
	from complaint_mgmt.engine.recovery import Effect, totalled

	no_plan = Effect(NO_PLAN, customers=2, retained=1, cost=0, cycle_total=35, complaints_before=2)
	voucher = Effect(
		"E-Voucher",
		customers=2,
		retained=1,
		cost=80,
		cycle_total=15,
		satisfaction_total=2,
		satisfaction_count=1,
	)
	total, first, last = totalled([no_plan, voucher])
	assert (first.strategy, last.strategy) == ("E-Voucher", NO_PLAN)
	assert (total.customers, total.retained, total.cost, total.cycle) == (4, 2, 80, 25.0)
	cases = [
		case("E-Voucher", shipped_after_days=10, cost=50, before=2, after=4),
		case("E-Voucher", shipped_after_days=None, cost=30),
		case(NO_PLAN, shipped_after_days=100),
		case(NO_PLAN, shipped_after_days=30, complaints_before=2),
	]
	assert [e.as_dict() for e in totalled([no_plan, voucher])] == [e.as_dict() for e in effects(cases, 90)]
