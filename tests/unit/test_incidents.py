from __future__ import annotations

import datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from complaint_mgmt.engine.errors import PolicyViolation
from complaint_mgmt.engine.incidents import (
	DEFAULT_INCIDENT_STRATEGIES,
	DEFAULT_INCIDENT_THRESHOLD,
	STRATEGIES,
	decide_incident,
	incident_keys,
)

FACTS = {
	"batch_no": "B20261120-01",
	"route": "SH-BJ",
	"ship_date": datetime.date(2026, 11, 20),
	"order_date": datetime.date(2026, 11, 19),
	"waybill_no": "SF1234567890",
}


def test_all_strategies_give_the_documented_keys():
	keys = incident_keys(FACTS, STRATEGIES, prefix_length=6)
	assert keys == ["batch:B20261120-01", "route_date:SH-BJ|2026-11-20", "waybill_prefix:SF1234"]


def test_default_strategies_group_by_batch_and_route_date():
	assert incident_keys(FACTS) == ["batch:B20261120-01", "route_date:SH-BJ|2026-11-20"]
	assert DEFAULT_INCIDENT_STRATEGIES == ("batch", "route_date")


def test_route_date_falls_back_to_order_date_and_accepts_datetimes_and_text():
	facts = {"route": "SH-BJ", "order_date": datetime.datetime(2026, 11, 19, 22, 15)}
	assert incident_keys(facts, ["route_date"]) == ["route_date:SH-BJ|2026-11-19"]
	facts = {"route": "SH-BJ", "ship_date": "2026-11-20 08:00:00"}
	assert incident_keys(facts, ["route_date"]) == ["route_date:SH-BJ|2026-11-20"]


def test_same_batch_typed_differently_gives_the_same_key():
	a = incident_keys({"batch_no": "b20261120-01"}, ["batch"])
	b = incident_keys({"batch_no": "  B20261120-01 "}, ["batch"])
	assert a == b == ["batch:B20261120-01"]


@pytest.mark.parametrize(
	("facts", "strategy"),
	[
		({"batch_no": ""}, "batch"),
		({"batch_no": None}, "batch"),
		({"route": "SH-BJ"}, "route_date"),
		({"ship_date": datetime.date(2026, 11, 20)}, "route_date"),
		({"route": "SH-BJ", "ship_date": "not a date"}, "route_date"),
		({"waybill_no": "SF1234"}, "waybill_prefix"),
		({}, "waybill_prefix"),
	],
)
def test_missing_facts_give_no_key(facts, strategy):
	assert incident_keys(facts, [strategy], prefix_length=6) == []


def test_prefix_length_is_a_parameter():
	assert incident_keys(FACTS, ["waybill_prefix"], prefix_length=4) == ["waybill_prefix:SF12"]


def test_duplicate_strategies_give_one_key():
	assert incident_keys(FACTS, ["batch", "BATCH"]) == ["batch:B20261120-01"]


def test_unknown_strategy_or_bad_prefix_is_refused():
	with pytest.raises(PolicyViolation) as err:
		incident_keys(FACTS, ["customer"])
	assert err.value.params == {"strategy": "customer"}
	with pytest.raises(PolicyViolation):
		incident_keys(FACTS, ["waybill_prefix"], prefix_length=0)


@pytest.mark.parametrize(
	("count", "existing", "decision"),
	[
		(1, None, "none"),
		(4, None, "none"),
		(5, None, "create"),
		(9, None, "create"),
		(2, "INC-0001", "join"),
		(7, "INC-0001", "join"),
	],
)
def test_decide_incident_with_spec_threshold_of_five(count, existing, decision):
	assert decide_incident(count, DEFAULT_INCIDENT_THRESHOLD, existing) == decision


def test_threshold_is_a_parameter_and_must_make_sense():
	assert decide_incident(3, 3, None) == "create"
	with pytest.raises(PolicyViolation):
		decide_incident(3, 1, None)
	with pytest.raises(ValueError):
		decide_incident(0, 5, None)


text_st = st.text(alphabet=st.characters(codec="ascii", categories=("L", "N", "Pd")), min_size=1, max_size=12)


@settings(max_examples=200, deadline=None)
@given(batch=text_st, route=text_st, day=st.dates(), waybill=text_st)
def test_property_keys_ignore_case_and_surrounding_space(batch, route, day, waybill):
	facts = {"batch_no": batch, "route": route, "ship_date": day, "waybill_no": waybill}
	messy = {
		"batch_no": f" {batch.lower()} ",
		"route": route.lower(),
		"ship_date": day,
		"waybill_no": waybill.lower(),
	}
	assert incident_keys(facts, STRATEGIES, prefix_length=3) == incident_keys(
		messy, STRATEGIES, prefix_length=3
	)


@settings(max_examples=200, deadline=None)
@given(count=st.integers(1, 100), threshold=st.integers(2, 50))
def test_property_incident_created_exactly_when_threshold_reached(count, threshold):
	decision = decide_incident(count, threshold, None)
	assert decision == ("create" if count >= threshold else "none")
	assert decide_incident(count, threshold, "INC-1") == "join"
