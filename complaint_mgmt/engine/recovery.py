"""Customer recovery (issue 12, SPEC §8): which closed complaints call for a recovery plan, and
what recovery achieved (no frappe import).

Suggestion rules are data: each names a condition, its threshold and the measure it suggests.
The measured effect is computed per customer of a cohort (customers whose complaint closed in
the period; their latest such closure, the later complaint number on a tie, is their case),
grouped by the strategy of their plan, customers without a plan forming the comparison group
(``effects`` from the cases, ``totalled`` from sums per strategy that a query made):

- retained: shipped again within ``window_days`` after the complaint was closed;
- recovery rate: retained ÷ customers;
- recovery cycle: days from the complaint received to the first shipment after its closure
  (retained customers only);
- recovery cost: compensation paid + vouchers redeemed + costs of measures done;
- satisfaction change: the plan's achieved satisfaction minus the complaint's survey score;
- complaints before / after: the customer's complaints received within the window before the
  complaint was received / after it was closed.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

NO_PLAN = "No Plan"
CONDITIONS = ("Low Survey Score", "Urgent Complaint", "Key Account", "Repeat Complainer", "High Compensation")


def _rule(name, condition, strategy, department, threshold=None, window_days=None) -> dict[str, Any]:
	return {
		"rule_name": name,
		"condition": condition,
		"strategy": strategy,
		"department": department,
		"threshold": threshold,
		"window_days": window_days,
		"enabled": 1,
	}


# seeded at install; admins edit them as Recovery Suggestion Rule
DEFAULT_SUGGESTION_RULES: tuple[dict[str, Any], ...] = (
	_rule("Low survey score", "Low Survey Score", "Personalised Plan", "Customer Service"),
	_rule("Urgent complaint", "Urgent Complaint", "Priority Service", "Customer Service"),
	_rule("Key account", "Key Account", "Personalised Plan", "Marketing"),
	_rule("Repeat complainer", "Repeat Complainer", "Process Fix", "Logistics", threshold=2, window_days=180),
	_rule("High compensation", "High Compensation", "E-Voucher", "Marketing", threshold=2000),
)


@dataclass(frozen=True)
class CaseFacts:
	"""What the rules look at, for one closed complaint."""

	low_score: bool = False
	priority: str = ""
	customer_tier: str = ""
	closed_at: datetime.datetime | None = None
	# when the customer's complaints (this one included) were received
	complaint_dates: tuple[datetime.datetime, ...] = ()
	compensation_total: float = 0.0


@dataclass(frozen=True)
class Suggestion:
	rule: str
	reason: str
	strategy: str
	department: str


def _matches(rule: Mapping[str, Any], facts: CaseFacts) -> str | None:
	condition = rule.get("condition")
	threshold = float(rule.get("threshold") or 0)
	if condition == "Low Survey Score" and facts.low_score:
		return "Low survey score"
	if condition == "Urgent Complaint" and facts.priority == "Urgent":
		return "Urgent complaint"
	if condition == "Key Account" and facts.customer_tier == "Key Account":
		return "Key account"
	if condition == "Repeat Complainer" and facts.closed_at:
		since = facts.closed_at - datetime.timedelta(days=int(rule.get("window_days") or 0))
		count = sum(1 for d in facts.complaint_dates if since <= d <= facts.closed_at)
		if count >= max(threshold, 2):
			return f"{count} complaints within {int(rule.get('window_days') or 0)} days"
	if condition == "High Compensation" and threshold and facts.compensation_total >= threshold:
		return f"Compensation {facts.compensation_total:,.2f} CNY"
	return None


def suggest(facts: CaseFacts, rules: Iterable[Mapping[str, Any]]) -> list[Suggestion]:
	"""The enabled rules the case meets, in the order given."""
	found = []
	for rule in rules:
		if not rule.get("enabled", 1):
			continue
		reason = _matches(rule, facts)
		if reason:
			found.append(
				Suggestion(
					rule=str(rule.get("rule_name") or ""),
					reason=reason,
					strategy=str(rule.get("strategy") or ""),
					department=str(rule.get("department") or "Customer Service"),
				)
			)
	return found


# ------------------------------------------------------------------ measured effect
@dataclass(frozen=True)
class CustomerCase:
	"""One customer of the cohort: their complaint and what followed."""

	customer: str
	received_at: datetime.datetime
	closed_at: datetime.datetime
	first_shipment_after: datetime.datetime | None = None
	strategy: str = NO_PLAN
	cost: float = 0.0
	score_before: float | None = None
	score_after: float | None = None
	complaints_before: int = 0
	complaints_after: int = 0


@dataclass
class Effect:
	strategy: str
	customers: int = 0
	retained: int = 0
	cost: float = 0.0
	# sums and counts behind the averages: of the retained customers' cycles, of the customers
	# with a satisfaction before and after
	cycle_total: float = 0.0
	satisfaction_total: float = 0.0
	satisfaction_count: int = 0
	complaints_before: int = 0
	complaints_after: int = 0

	@property
	def recovery_rate(self) -> float:
		return round(100.0 * self.retained / self.customers, 1) if self.customers else 0.0

	@property
	def cycle(self) -> float | None:
		return round(self.cycle_total / self.retained, 1) if self.retained else None

	@property
	def cost_per_retained(self) -> float | None:
		return round(self.cost / self.retained, 2) if self.retained else None

	@property
	def satisfaction_change(self) -> float | None:
		count = self.satisfaction_count
		return round(self.satisfaction_total / count, 2) if count else None

	def add(self, other: Effect) -> None:
		for name in (
			"customers",
			"retained",
			"cost",
			"cycle_total",
			"satisfaction_total",
			"satisfaction_count",
			"complaints_before",
			"complaints_after",
		):
			setattr(self, name, getattr(self, name) + getattr(other, name))

	def as_dict(self) -> dict[str, Any]:
		return {
			"strategy": self.strategy,
			"customers": self.customers,
			"retained": self.retained,
			"recovery_rate": self.recovery_rate,
			"cycle_days": self.cycle,
			"cost": round(self.cost, 2),
			"cost_per_retained": self.cost_per_retained,
			"satisfaction_change": self.satisfaction_change,
			"complaints_before": self.complaints_before,
			"complaints_after": self.complaints_after,
		}


def retained(case: CustomerCase, window_days: int) -> bool:
	first = case.first_shipment_after
	return bool(first and first - case.closed_at <= datetime.timedelta(days=window_days))


def effects(cases: Iterable[CustomerCase], window_days: int) -> list[Effect]:
	"""One Effect per strategy (the comparison group "No Plan" last) and the total first."""
	if window_days < 1:
		raise ValueError("the retention window is at least one day")
	by_strategy: dict[str, Effect] = {}
	for case in cases:
		group = by_strategy.setdefault(case.strategy or NO_PLAN, Effect(case.strategy or NO_PLAN))
		group.customers += 1
		group.cost += case.cost
		group.complaints_before += case.complaints_before
		group.complaints_after += case.complaints_after
		if retained(case, window_days):
			group.retained += 1
			group.cycle_total += (case.first_shipment_after - case.received_at).total_seconds() / 86400
		if case.score_before is not None and case.score_after is not None:
			group.satisfaction_total += case.score_after - case.score_before
			group.satisfaction_count += 1
	return totalled(by_strategy.values())


def totalled(groups: Iterable[Effect]) -> list[Effect]:
	"""The groups (summed per strategy elsewhere: a query, or ``effects``) with their total first,
	the comparison group "No Plan" last."""
	total = Effect("All")
	ordered = sorted(groups, key=lambda e: (e.strategy == NO_PLAN, e.strategy))
	for group in ordered:
		total.add(group)
	return [total, *ordered]
