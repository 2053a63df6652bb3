from __future__ import annotations

from complaint_mgmt.engine.special_cases import risk_reasons


def said(facts, group_size=5, high_value=5000):
	return [t.format(**p) for _key, t, p in risk_reasons(facts, group_size=group_size, high_value=high_value)]


def test_an_ordinary_complaint_has_no_risk_reason():
	assert said({"group_size": 1, "goods_value": 300}) == []


def test_every_risk_of_spec_2_and_10_is_named():
	facts = {"group_size": 7, "media_involved": 1, "regulator_involved": 1, "insured_value": "8000"}
	assert said(facts) == [
		"Group event: 7 people affected",
		"Media exposure",
		"Regulator involved",
		"High value: 8000 (from 5000)",
	]


def test_the_thresholds_are_data():
	assert said({"group_size": 3}, group_size=3) == ["Group event: 3 people affected"]
	assert said({"declared_value": 4999}) == []
	assert said({"declared_value": 5000}) == ["High value: 5000 (from 5000)"]
	assert said({"goods_value": 10**6}, high_value=0) == []


def test_each_reason_has_a_stable_key():
	facts = {"group_size": 9, "media_involved": 1, "goods_value": 9000}
	assert [key for key, _t, _p in risk_reasons(facts, group_size=5, high_value=5000)] == [
		"group",
		"media",
		"high_value",
	]
