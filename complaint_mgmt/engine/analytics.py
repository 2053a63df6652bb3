"""Figures of the analysis reports (SPEC §9), computed from rollup rows: sums, averages, shares,
attainment against targets, periods and peaks. Pure Python; the rows come in as dicts.

A rollup row describes the complaints *received* on one day with one combination of dimensions:
how many, how many are closed and how long that took, how many clocks were met or breached, their
surveys, compensations, reopenings and escalations. Every figure of a period is a ratio of sums
of such rows, so any grouping (a week, a department, an agent) is a sum first.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date, timedelta

# (rollup column prefix, milestone) of every SLA clock
MILESTONE_KEYS = (
	("ack", "Acknowledge"),
	("assign", "Assign"),
	("report", "Investigation Report"),
	("objection", "Objection Re-evaluation"),
	("resolution", "Resolution"),
	("survey", "Survey"),
)
MEASURES = (
	"received",
	"closed",
	"handling_minutes",
	"responded",
	"response_minutes",
	*(f"{key}_{outcome}" for key, _ in MILESTONE_KEYS for outcome in ("met", "breached")),
	"surveyed",
	"efficiency_score",
	"solution_score",
	"low_scores",
	"compensations",
	"compensation_amount",
	"reopened",
	"escalations",
)
GRANULARITIES = ("Day", "Week", "Month")


def milestone_key(milestone: str) -> str:
	return dict((name, key) for key, name in MILESTONE_KEYS)[milestone]


def period_start(day: date, granularity: str) -> date:
	"""The first day of the day's bucket: the day, its week's Monday, or its month's first day."""
	if granularity == "Week":
		return day - timedelta(days=day.weekday())
	if granularity == "Month":
		return day.replace(day=1)
	if granularity == "Day":
		return day
	raise ValueError(f"unknown granularity {granularity}")


def periods(start: date, end: date, granularity: str) -> list[date]:
	"""Every bucket from the one holding ``start`` to the one holding ``end`` (empty ones too)."""
	found, day = [], period_start(start, granularity)
	while day <= end:
		found.append(day)
		if granularity == "Month":
			day = (day.replace(day=28) + timedelta(days=4)).replace(day=1)
		else:
			day += timedelta(days=7 if granularity == "Week" else 1)
	return found


def month_split(
	start: date, end: date, running: date
) -> tuple[list[tuple[date, date]], tuple[date, date] | None]:
	"""The days start…end (inclusive) as the whole months among them that began before the
	``running`` month, and the days outside those: ([(first day, last day), …] to read day by day,
	(first month's first day, the first day after the last month) or None)."""
	first = start if start.day == 1 else (start.replace(day=28) + timedelta(days=4)).replace(day=1)
	stop = min((end + timedelta(days=1)).replace(day=1), running.replace(day=1))
	if first >= stop:
		return [(start, end)], None
	edges = [(start, first - timedelta(days=1)), (stop, end)]
	return [(a, b) for a, b in edges if a <= b], (first, stop)


def total(rows: Iterable[dict]) -> dict[str, float]:
	"""Sum of every measure over the rows."""
	sums = dict.fromkeys(MEASURES, 0)
	for row in rows:
		for measure in MEASURES:
			sums[measure] += row.get(measure) or 0
	return sums


def group(rows: Iterable[dict], key: Callable[[dict], object]) -> dict[object, dict[str, float]]:
	"""Rows summed per key, in the order the keys first appear."""
	grouped: dict[object, list[dict]] = {}
	for row in rows:
		grouped.setdefault(key(row), []).append(row)
	return {k: total(members) for k, members in grouped.items()}


def ratio(part: float, whole: float, scale: float = 100.0) -> float | None:
	"""part / whole × scale, rounded to one decimal; None when there is nothing to divide."""
	if not whole:
		return None
	return round(part * scale / whole, 1)


def average(amount: float, count: float, divisor: float = 1.0) -> float | None:
	"""The average of ``count`` values summing to ``amount`` (÷ divisor, e.g. 60 for hours)."""
	if not count:
		return None
	return round(amount / count / divisor, 2)


def attainment(sums: dict, milestone: str) -> float | None:
	"""Share of a milestone's decided clocks met on time (breached ones count against it)."""
	key = milestone_key(milestone)
	met, breached = sums[f"{key}_met"], sums[f"{key}_breached"]
	return ratio(met, met + breached)


def overall_attainment(sums: dict) -> float | None:
	met = sum(sums[f"{key}_met"] for key, _ in MILESTONE_KEYS)
	breached = sum(sums[f"{key}_breached"] for key, _ in MILESTONE_KEYS)
	return ratio(met, met + breached)


def kpis(sums: dict) -> dict[str, float | None]:
	"""The headline figures of a set of rows."""
	return {
		"received": sums["received"],
		"closed": sums["closed"],
		"avg_handling_hours": average(sums["handling_minutes"], sums["closed"], 60),
		"avg_response_hours": average(sums["response_minutes"], sums["responded"], 60),
		"sla_attainment": overall_attainment(sums),
		"avg_score": average(sums["efficiency_score"] + sums["solution_score"], 2 * sums["surveyed"]),
		"low_score_rate": ratio(sums["low_scores"], sums["surveyed"]),
		"reopen_rate": ratio(sums["reopened"], sums["closed"]),
		"escalations": sums["escalations"],
		"compensation_amount": round(sums["compensation_amount"], 2),
	}


def shares(
	counts: dict[str, float], top: int | None = None, other: str = "Other"
) -> list[tuple[str, float, float]]:
	"""(key, count, percent of all) sorted by count, biggest first; beyond ``top`` summed as ``other``."""
	whole = sum(counts.values())
	ranked = sorted(((k, v) for k, v in counts.items() if v), key=lambda kv: (-kv[1], str(kv[0])))
	if top is not None and len(ranked) > top:
		rest = sum(v for _, v in ranked[top:])
		ranked = [*ranked[:top], (other, rest)]
	return [(k, v, ratio(v, whole) or 0.0) for k, v in ranked]


def peaks(values: list[float], factor: float) -> list[bool]:
	"""Which values are peaks: at least ``factor`` × the average of all (and above zero)."""
	if not values:
		return []
	mean = sum(values) / len(values)
	return [bool(v) and v >= factor * mean for v in values]


def target_check(actual: float | None, target: float | None) -> str:
	"""'Met', 'Missed' or '' when there is no target or nothing was decided yet."""
	if target is None or actual is None:
		return ""
	return "Met" if actual >= target else "Missed"


# SPEC §9: "Urgent closed within 24 h ≥ 90 %"; the other lines are starting points for the admin
DEFAULT_TARGETS = (
	("Acknowledge", "Urgent", 95),
	("Acknowledge", "Important", 95),
	("Acknowledge", "General", 95),
	("Resolution", "Urgent", 90),
	("Resolution", "Important", 90),
	("Resolution", "General", 90),
)
DEFAULT_ALERT_ROLES = ("Risk Manager", "Quality Manager")
DEFAULT_REPORT_ROLES = ("Complaint Manager", "Quality Manager", "General Manager")


def effectiveness(before: int, after: int, window_days: int, after_days: int) -> dict:
	"""An improvement action's effect: complaints of its key per day in the ``window_days`` before
	it was done against the ``after_days`` since (at most ``window_days``). 'Too Early' until the
	whole window after has passed; then 'Yes' when the rate fell, else 'No'."""
	before_rate = before / window_days if window_days else 0
	after_rate = after / after_days if after_days else 0
	change = round((after_rate - before_rate) * 100 / before_rate, 1) if before_rate else None
	if after_days < window_days:
		verdict = "Too Early"
	else:
		verdict = "Yes" if after_rate < before_rate else "No"
	return {"change_percent": change, "effective": verdict}
