"""Which days of a report's period are read from the month rows and which day by day."""

from __future__ import annotations

from datetime import date

from complaint_mgmt.engine.analytics import month_split

TODAY = date(2026, 11, 23)


def test_a_year_reads_its_whole_past_months_and_the_edges_day_by_day():
	days, months = month_split(date(2025, 11, 23), TODAY, TODAY)
	# 23–30 Nov 2025 and 1–23 Nov 2026 day by day; December 2025 … October 2026 as months
	assert days == [(date(2025, 11, 23), date(2025, 11, 30)), (date(2026, 11, 1), TODAY)]
	assert months == (date(2025, 12, 1), date(2026, 11, 1))


def test_a_whole_month_needs_no_day_rows():
	assert month_split(date(2026, 2, 1), date(2026, 2, 28), TODAY) == (
		[],
		(date(2026, 2, 1), date(2026, 3, 1)),
	)


def test_the_running_month_and_a_period_without_a_whole_month_are_read_day_by_day():
	assert month_split(date(2026, 11, 1), date(2026, 11, 30), TODAY) == (
		[(date(2026, 11, 1), date(2026, 11, 30))],
		None,
	)
	assert month_split(date(2026, 3, 5), date(2026, 4, 20), TODAY) == (
		[(date(2026, 3, 5), date(2026, 4, 20))],
		None,
	)
