"""The figures of the analysis reports, from rollup rows computed by hand."""

from __future__ import annotations

from datetime import date

import pytest

from complaint_mgmt.engine import analytics as a


def row(**values):
	return {**dict.fromkeys(a.MEASURES, 0), **values}


def test_periods_start_on_the_day_the_monday_and_the_first_of_the_month():
	assert a.period_start(date(2026, 3, 18), "Day") == date(2026, 3, 18)
	assert a.period_start(date(2026, 3, 18), "Week") == date(2026, 3, 16)
	assert a.period_start(date(2026, 3, 18), "Month") == date(2026, 3, 1)
	with pytest.raises(ValueError):
		a.period_start(date(2026, 3, 18), "Quarter")


def test_every_period_is_listed_even_an_empty_one_and_december_rolls_into_january():
	assert a.periods(date(2025, 11, 20), date(2026, 1, 3), "Month") == [
		date(2025, 11, 1),
		date(2025, 12, 1),
		date(2026, 1, 1),
	]
	assert a.periods(date(2026, 3, 18), date(2026, 3, 30), "Week") == [
		date(2026, 3, 16),
		date(2026, 3, 23),
		date(2026, 3, 30),
	]


def test_kpis_divide_sums_not_averages_of_averages():
	# 3 closed taking 60 + 120 + 180 min; 4 acknowledged in 10 min each; 2 surveys scoring 5+4 and 2+3
	rows = [
		row(received=2, closed=1, handling_minutes=60, responded=2, response_minutes=20),
		row(received=3, closed=2, handling_minutes=300, responded=2, response_minutes=20),
		row(surveyed=2, efficiency_score=7, solution_score=7, low_scores=1, reopened=1, escalations=4),
		row(resolution_met=9, resolution_breached=1, ack_met=5, ack_breached=5),
	]
	kpis = a.kpis(a.total(rows))
	assert kpis["received"] == 5 and kpis["closed"] == 3
	assert kpis["avg_handling_hours"] == 2.0
	assert kpis["avg_response_hours"] == round(10 / 60, 2)
	assert kpis["avg_score"] == 3.5
	assert kpis["low_score_rate"] == 50.0
	assert kpis["reopen_rate"] == round(100 / 3, 1)
	assert kpis["sla_attainment"] == 70.0  # 14 met of 20 decided clocks


def test_attainment_per_milestone_and_against_its_target():
	sums = a.total([row(resolution_met=9, resolution_breached=1)])
	assert a.attainment(sums, "Resolution") == 90.0
	assert a.attainment(sums, "Acknowledge") is None  # nothing decided yet
	assert a.target_check(90.0, 90) == "Met"
	assert a.target_check(89.9, 90) == "Missed"
	assert a.target_check(None, 90) == ""


def test_shares_rank_biggest_first_and_fold_the_tail_into_other():
	counts = {"Delay": 30, "Damage": 50, "Loss": 10, "Attitude": 10, "None": 0}
	assert a.shares(counts, top=2) == [("Damage", 50, 50.0), ("Delay", 30, 30.0), ("Other", 20, 20.0)]
	assert a.shares({}) == []


def test_peaks_are_values_at_least_the_factor_times_the_average():
	assert a.peaks([10, 10, 10, 30], 1.5) == [False, False, False, True]
	assert a.peaks([0, 0, 0], 1.5) == [False, False, False]
	assert a.peaks([], 1.5) == []


def test_group_sums_rows_per_key():
	rows = [row(received=1, day="a"), row(received=2, day="b"), row(received=4, day="a")]
	grouped = a.group(rows, lambda r: r["day"])
	assert {k: v["received"] for k, v in grouped.items()} == {"a": 5, "b": 2}


def test_an_action_is_effective_when_the_keys_complaint_rate_falls_over_a_full_window():
	# 60 complaints in the 30 days before, 15 in the 30 days after: a quarter of the rate
	assert a.effectiveness(60, 15, 30, 30) == {"change_percent": -75.0, "effective": "Yes"}
	assert a.effectiveness(30, 45, 30, 30) == {"change_percent": 50.0, "effective": "No"}
	# 10 days after: 5 complaints, a quarter of the rate so far, but too early to tell
	assert a.effectiveness(60, 5, 30, 10) == {"change_percent": -75.0, "effective": "Too Early"}
	assert a.effectiveness(0, 3, 30, 30)["change_percent"] is None
