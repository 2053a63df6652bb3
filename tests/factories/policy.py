"""Factories for the engine's plain policy objects (priority, compensation, approval)."""

from __future__ import annotations

from decimal import Decimal

import factory

from complaint_mgmt.engine.approval import ApprovalLevel
from complaint_mgmt.engine.compensation import CompensationCap, CompensationFacts, ScenarioRule
from complaint_mgmt.engine.priority import PriorityRule


class PriorityRuleFactory(factory.Factory):
	class Meta:
		model = PriorityRule

	priority = "Important"
	field = "complaint_category"
	operator = "="
	value = "Damage & Shortage"
	reason = factory.LazyAttribute(lambda o: f"{o.field} {o.operator} {o.value}")
	enabled = True


class CompensationFactsFactory(factory.Factory):
	class Meta:
		model = CompensationFacts

	complaint_type = "Damage"
	category = "Damage & Shortage"
	goods_value = Decimal("8000")
	declared_value = Decimal("8000")
	insured_value = Decimal("8000")
	is_insured = True
	freight = Decimal("30")
	customer_tier = "Standard"
	currency = "CNY"

	class Params:
		uninsured = factory.Trait(is_insured=False, insured_value=None)


class ScenarioRuleFactory(factory.Factory):
	class Meta:
		model = ScenarioRule

	complaint_type = "Delay"
	remedy = "freight_reduction"
	basis = "freight"
	percent = Decimal("10")
	amount = None
	optional = False
	customer_tiers = ()
	percent_min = None
	percent_max = None
	equal_to = None


class CompensationCapFactory(factory.Factory):
	class Meta:
		model = CompensationCap

	kind = "max_amount"
	remedy = None
	amount = Decimal("1000")
	multiple = None
	categories = ()
	reason = "service agreement"


class ApprovalLevelFactory(factory.Factory):
	class Meta:
		model = ApprovalLevel

	name = factory.Sequence(lambda n: f"Level {n}")
	role = factory.LazyAttribute(lambda o: f"{o.name} Role")
	rank = factory.Sequence(lambda n: n + 1)
	max_amount = None
	required_for = frozenset()


def approval_matrix(*limits: Decimal | int | None, sensitive_from: int | None = None) -> list[ApprovalLevel]:
	"""A valid matrix with one level per limit (last one None = unlimited), ranks 1..n.

	``sensitive_from`` is the index of the level required for media cases (default: the top level).
	"""
	first_sensitive = len(limits) - 1 if sensitive_from is None else sensitive_from
	return [
		ApprovalLevelFactory(
			name=f"L{index + 1}",
			role=f"Role L{index + 1}",
			rank=index + 1,
			max_amount=None if limit is None else Decimal(limit),
			required_for=frozenset({"media_involved"}) if index == first_sensitive else frozenset(),
		)
		for index, limit in enumerate(limits)
	]
