"""Early warning of emerging risks (SPEC §9): is a key's (a route's, a type's, a branch's) count of
complaints today out of line with its own history?

Two rules, each with its parameters in Complaint Analytics Settings:

- **Sudden jump** — Poisson upper tail. With λ the key's average per day over the history
  window, today's count k is a jump when k ≥ the minimum count and P(X ≥ k | λ) < p. A key with
  no history gets λ = FLOOR_RATE, so a brand-new hot spot needs only the minimum count.
- **Gradual rise** — EWMA. Starting from the baseline λ (the history before the EWMA window),
  z_t = w·x_t + (1 − w)·z_(t−1) over the window's days; a rise when the last z exceeds
  λ + L·√λ·√(w / (2 − w) · (1 − (1 − w)^(2t))), the window holds at least the minimum count, and
  the window's total is itself unlikely: P(S ≥ total | λ·days) < the rise probability.

The false-alarm rate on flat Poisson noise is measured by tests/unit/test_early_warning.py and
stated in docs/admin.md.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, timedelta

FLOOR_RATE = 0.1  # a day's average assumed for a key with no history
JUMP, RISE = "Sudden Jump", "Gradual Rise"


@dataclass(frozen=True)
class WarningPolicy:
	history_days: int = 56
	min_count: int = 5
	p_value: float = 0.001
	ewma_weight: float = 0.3
	ewma_limit: float = 3.0
	ewma_days: int = 7
	rise_p_value: float = 0.001


@dataclass(frozen=True)
class Signal:
	rule: str
	count: int  # today's count (jump) or the window's total (rise)
	baseline: float  # average per day in the history
	p_value: float | None = None
	ewma: float | None = None
	limit: float | None = None


def poisson_tail(k: int, rate: float) -> float:
	"""P(X ≥ k) for X ~ Poisson(rate), summed in log space (no overflow for large k)."""
	if k <= 0:
		return 1.0
	rate = max(rate, 1e-12)
	# P(X ≤ k−1) = Σ e^(−λ) λ^i / i!
	log_term, below = -rate, 0.0
	for i in range(k):
		if i:
			log_term += math.log(rate) - math.log(i)
		below += math.exp(log_term)
	return max(0.0, 1.0 - below) if below < 0.999999 else _upper_sum(k, rate)


def _upper_sum(k: int, rate: float) -> float:
	"""Σ_{i ≥ k} directly, for a tail too small to take as 1 − (the rest)."""
	log_term = -rate + k * math.log(rate) - math.lgamma(k + 1)
	total, i = 0.0, k
	while True:
		term = math.exp(log_term)
		total += term
		if term < total * 1e-15 or i > k + 10_000:
			return total
		i += 1
		log_term += math.log(rate) - math.log(i)


def mean(values: list[int]) -> float:
	return sum(values) / len(values) if values else 0.0


def jump(history: list[int], today: int, policy: WarningPolicy) -> Signal | None:
	rate = max(mean(history), FLOOR_RATE)
	if today < policy.min_count:
		return None
	p = poisson_tail(today, rate)
	return Signal(JUMP, today, round(rate, 3), p_value=p) if p < policy.p_value else None


def rise(series: list[int], policy: WarningPolicy) -> Signal | None:
	"""``series``: the history days followed by the EWMA window (the last value is today)."""
	window = series[-policy.ewma_days :]
	baseline_days = series[: -policy.ewma_days][-policy.history_days :]
	if len(window) < policy.ewma_days or sum(window) < policy.min_count:
		return None
	rate = max(mean(baseline_days), FLOOR_RATE)
	w, z = policy.ewma_weight, rate
	for x in window:
		z = w * x + (1 - w) * z
	t = len(window)
	limit = rate + policy.ewma_limit * math.sqrt(rate) * math.sqrt(w / (2 - w) * (1 - (1 - w) ** (2 * t)))
	if z <= limit:
		return None
	# skewed counts of a quiet key cross the EWMA limit by chance: the window's total must be
	# unlikely too
	p = poisson_tail(sum(window), rate * len(window))
	if p >= policy.rise_p_value:
		return None
	return Signal(RISE, sum(window), round(rate, 3), p_value=p, ewma=round(z, 3), limit=round(limit, 3))


def scan(series: list[int], policy: WarningPolicy) -> Signal | None:
	"""The first rule a key's daily series (oldest first, today last) breaks, jump before rise."""
	if not series:
		return None
	history = series[:-1][-policy.history_days :]
	return jump(history, series[-1], policy) or rise(series, policy)


def window_start(day: date, rule: str, policy: WarningPolicy) -> date:
	"""Alerts are one per key and window: a jump's window is its day; a rise's is the block of
	``ewma_days`` days (counted from 1 January 2001) holding the day, so a rise lasting a week
	gives one alert, not seven."""
	if rule == JUMP:
		return day
	anchor = date(2001, 1, 1)
	return anchor + timedelta(days=(day - anchor).days // policy.ewma_days * policy.ewma_days)
