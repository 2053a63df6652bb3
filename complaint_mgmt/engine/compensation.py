"""Compensation suggestions from the scenario matrix, within legal and contractual caps.

The scenario matrix (SPEC §6) says which remedies a complaint type gets and how each
amount is computed; caps (insured value, a multiple of the freight for uninsured
parcels, service-agreement ceilings) limit the money. Every number in a suggestion comes
with explanation steps: an English template plus params, which the Frappe layer
translates and formats.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any, NamedTuple

from complaint_mgmt.engine.errors import PolicyViolation

REMEDIES: tuple[str, ...] = (
	"freight_reduction",
	"freight_waiver",
	"reship",
	"priority_delivery",
	"cash",
	"voucher",
	"vip_card",
	"apology_call",
	"internal_penalty",
)
MONEY_REMEDIES: frozenset[str] = frozenset({"freight_reduction", "freight_waiver", "cash", "voucher"})
REMEDY_LABELS: dict[str, str] = {
	"freight_reduction": "Freight reduction",
	"freight_waiver": "Freight waived",
	"reship": "Reship goods",
	"priority_delivery": "Priority delivery",
	"cash": "Cash compensation",
	"voucher": "Voucher",
	"vip_card": "VIP service card",
	"apology_call": "Supervisor apology call",
	"internal_penalty": "Internal penalty",
}
# "equal_to": the amount of another remedy of the same complaint type (named by ``equal_to``).
BASES: tuple[str, ...] = ("freight", "goods_value", "fixed", "none", "equal_to")
CAP_KINDS: tuple[str, ...] = ("insured_value", "uninsured_freight_multiple", "max_amount")

CENT = Decimal("0.01")
ZERO = Decimal("0.00")

# SPEC §6 scenario matrix, seeded into the scenario DocType at install.
DEFAULT_SCENARIO_MATRIX: tuple[dict[str, Any], ...] = tuple(
	{
		"complaint_type": complaint_type,
		"remedy": remedy,
		"basis": basis,
		"percent": percent,
		"percent_min": percent_min,
		"percent_max": percent_max,
		"amount": None,
		"equal_to": equal_to,
		"optional": optional,
		"customer_tiers": "",
	}
	for complaint_type, remedy, basis, percent, percent_min, percent_max, equal_to, optional in (
		("Delay", "priority_delivery", "none", None, None, None, None, 0),
		("Delay", "freight_reduction", "freight", 10, 5, 20, None, 0),
		("Delay", "voucher", "equal_to", None, None, None, "freight_reduction", 1),
		("Damage", "reship", "none", None, None, None, None, 0),
		("Damage", "freight_waiver", "freight", 100, None, None, None, 0),
		("Damage", "cash", "goods_value", 10, None, None, None, 1),
		("Lost Parcel", "cash", "goods_value", 100, None, None, None, 0),
		("Bad Attitude", "apology_call", "none", None, None, None, None, 0),
		("Bad Attitude", "internal_penalty", "none", None, None, None, None, 0),
		("Bad Attitude", "vip_card", "none", None, None, None, None, 1),
	)
)

# Caps for loss and damage: the insured value for insured parcels, N × freight otherwise
# (N = 3 in common express service agreements). Seeded at install; admins edit them.
DEFAULT_COMPENSATION_CAPS: tuple[dict[str, Any], ...] = (
	{
		"kind": "insured_value",
		"remedy": "cash",
		"amount": None,
		"multiple": None,
		"categories": "Damage & Shortage",
		"reason": "",
	},
	{
		"kind": "uninsured_freight_multiple",
		"remedy": "cash",
		"amount": None,
		"multiple": 3,
		"categories": "Damage & Shortage",
		"reason": "",
	},
)


class Step(NamedTuple):
	"""One explanation step: an English template and the params to format it with."""

	template: str
	params: dict[str, Any]

	def render(self) -> str:
		return self.template.format(**self.params)


@dataclass(frozen=True)
class CompensationFacts:
	complaint_type: str
	category: str
	goods_value: Any = None
	declared_value: Any = None
	insured_value: Any = None
	is_insured: bool = False
	freight: Any = None
	customer_tier: str = ""
	currency: str = "CNY"


@dataclass(frozen=True)
class ScenarioRule:
	"""One row of the scenario matrix: a remedy for a complaint type and how to price it."""

	complaint_type: str
	remedy: str
	basis: str
	percent: Decimal | None = None
	amount: Decimal | None = None
	optional: bool = False
	customer_tiers: tuple[str, ...] = ()
	percent_min: Decimal | None = None
	percent_max: Decimal | None = None
	equal_to: str | None = None

	@classmethod
	def from_dict(cls, data: Mapping[str, Any]) -> ScenarioRule:
		"""Build a rule from a plain dict; a 0–0 percentage range (empty Frappe fields) means none."""
		low = _optional_decimal(data.get("percent_min"), "percent_min")
		high = _optional_decimal(data.get("percent_max"), "percent_max")
		if not low and not high:
			low = high = None
		return cls(
			complaint_type=str(data.get("complaint_type") or "").strip(),
			remedy=str(data.get("remedy") or "").strip(),
			basis=str(data.get("basis") or "none").strip(),
			percent=_optional_decimal(data.get("percent"), "percent"),
			amount=_optional_decimal(data.get("amount"), "amount"),
			optional=_truthy(data.get("optional")),
			customer_tiers=_split(data.get("customer_tiers")),
			percent_min=low,
			percent_max=high,
			equal_to=(str(data.get("equal_to") or "").strip() or None),
		)


@dataclass(frozen=True)
class CompensationCap:
	"""A ceiling on money. ``remedy`` None caps the total of all money lines, else each line of it.

	``insured_value`` applies to insured parcels, ``uninsured_freight_multiple`` (``multiple``
	× freight) to uninsured ones, ``max_amount`` (``amount``) always. ``categories`` limits the
	cap to those complaint categories (empty: all).
	"""

	kind: str
	remedy: str | None = None
	amount: Decimal | None = None
	multiple: Decimal | None = None
	categories: tuple[str, ...] = ()
	reason: str = ""

	@classmethod
	def from_dict(cls, data: Mapping[str, Any]) -> CompensationCap:
		return cls(
			kind=str(data.get("kind") or "").strip(),
			remedy=(str(data.get("remedy") or "").strip() or None),
			amount=_optional_decimal(data.get("amount"), "amount"),
			multiple=_optional_decimal(data.get("multiple"), "multiple"),
			categories=_split(data.get("categories")),
			reason=str(data.get("reason") or "").strip(),
		)


@dataclass(frozen=True)
class AppliedCap:
	"""A cap evaluated for one complaint: the ceiling, why, and how it was computed."""

	amount: Decimal
	kind: str
	reason: str
	remedy: str | None = None
	params: dict[str, Any] = field(default_factory=dict, compare=False)


@dataclass(frozen=True)
class SuggestedLine:
	remedy: str
	amount: Decimal
	is_upgrade: bool
	explanation: tuple[Step, ...]
	label: str = ""
	basis: str = "none"
	base: Decimal | None = None
	percent: Decimal | None = None
	percent_min: Decimal | None = None
	percent_max: Decimal | None = None
	cap: AppliedCap | None = None

	@property
	def is_monetary(self) -> bool:
		return self.remedy in MONEY_REMEDIES


@dataclass(frozen=True)
class Suggestion:
	"""``total`` sums the basic lines; ``total_with_upgrades`` adds the optional ones."""

	lines: tuple[SuggestedLine, ...]
	total: Decimal
	explanation: tuple[Step, ...]
	total_with_upgrades: Decimal = ZERO
	currency: str = "CNY"


# -- money ---------------------------------------------------------------------------------


def to_money(value: Any, field_name: str = "amount") -> Decimal:
	"""``value`` as a Decimal with 2 decimal places (ROUND_HALF_UP); blank is 0."""
	number = _optional_decimal(value, field_name)
	return ZERO if number is None else number.quantize(CENT, rounding=ROUND_HALF_UP)


def _optional_decimal(value: Any, field_name: str) -> Decimal | None:
	if value is None or (isinstance(value, str) and not value.strip()):
		return None
	if isinstance(value, bool):
		raise PolicyViolation("The {field} must be a number", field=field_name)
	try:
		number = value if isinstance(value, Decimal) else Decimal(str(value).strip())
	except InvalidOperation:
		raise PolicyViolation("The {field} must be a number", field=field_name) from None
	if not number.is_finite():
		raise PolicyViolation("The {field} must be a number", field=field_name)
	return number


def _optional_money(value: Any, field_name: str) -> Decimal | None:
	number = _optional_decimal(value, field_name)
	if number is None:
		return None
	if number < 0:
		raise PolicyViolation("The {field} cannot be negative", field=field_name)
	return number.quantize(CENT, rounding=ROUND_HALF_UP)


def _pct(percent: Decimal) -> str:
	"""10 -> "10", 12.50 -> "12.5"."""
	text = format(percent, "f")
	return text.rstrip("0").rstrip(".") if "." in text else text


def _truthy(value: Any) -> bool:
	if isinstance(value, str):
		return value.strip().lower() not in {"", "0", "false", "no"}
	return bool(value)


def _split(value: Any) -> tuple[str, ...]:
	if not value:
		return ()
	items = value.split(",") if isinstance(value, str) else value
	return tuple(str(item).strip() for item in items if str(item).strip())


def _same(a: str | None, b: str | None) -> bool:
	return (a or "").strip().casefold() == (b or "").strip().casefold()


# -- validation ----------------------------------------------------------------------------


def coerce_matrix(matrix: Iterable[ScenarioRule | Mapping[str, Any]]) -> list[ScenarioRule]:
	return [r if isinstance(r, ScenarioRule) else ScenarioRule.from_dict(r) for r in matrix]


def coerce_caps(caps: Iterable[CompensationCap | Mapping[str, Any]]) -> list[CompensationCap]:
	return [c if isinstance(c, CompensationCap) else CompensationCap.from_dict(c) for c in caps]


def validate_matrix(matrix: Iterable[ScenarioRule | Mapping[str, Any]]) -> list[ScenarioRule]:
	"""Check the scenario matrix and return it as ``ScenarioRule`` objects."""
	rules = coerce_matrix(matrix)
	seen: dict[tuple[str, str], ScenarioRule] = {}
	for rule in rules:
		if not rule.complaint_type:
			raise PolicyViolation("A scenario rule needs a complaint type")
		if rule.remedy not in REMEDIES:
			raise PolicyViolation("Unknown remedy {remedy}", remedy=rule.remedy)
		if rule.basis not in BASES:
			raise PolicyViolation("Unknown basis {basis} for {remedy}", basis=rule.basis, remedy=rule.remedy)
		key = (rule.complaint_type.casefold(), rule.remedy)
		if key in seen:
			raise PolicyViolation(
				"{remedy} is listed twice for {complaint_type}",
				remedy=rule.remedy,
				complaint_type=rule.complaint_type,
			)
		_validate_rule_pricing(rule, seen)
		seen[key] = rule
	return rules


def _validate_rule_pricing(rule: ScenarioRule, earlier: Mapping[tuple[str, str], ScenarioRule]) -> None:
	money = rule.remedy in MONEY_REMEDIES
	if money and rule.basis == "none":
		raise PolicyViolation("{remedy} needs a basis to compute its amount", remedy=rule.remedy)
	if not money and rule.basis != "none":
		raise PolicyViolation("{remedy} carries no money; its basis must be none", remedy=rule.remedy)
	if rule.basis in ("freight", "goods_value"):
		if rule.percent is None:
			raise PolicyViolation("{remedy} needs a percentage", remedy=rule.remedy)
		if (
			rule.percent_min is not None
			and rule.percent_max is not None
			and rule.percent_min > rule.percent_max
		):
			raise PolicyViolation(
				"The lowest percentage of {remedy} is above the highest", remedy=rule.remedy
			)
		validate_percent(rule, rule.percent)
	if rule.basis == "fixed" and (rule.amount is None or rule.amount < 0):
		raise PolicyViolation("{remedy} needs a fixed amount of 0 or more", remedy=rule.remedy)
	if rule.basis == "equal_to":
		target = earlier.get((rule.complaint_type.casefold(), rule.equal_to or ""))
		if target is None or target.remedy not in MONEY_REMEDIES:
			raise PolicyViolation(
				"{remedy} must equal a money remedy listed before it for {complaint_type}",
				remedy=rule.remedy,
				complaint_type=rule.complaint_type,
			)


def validate_caps(caps: Iterable[CompensationCap | Mapping[str, Any]]) -> list[CompensationCap]:
	"""Check the caps and return them as ``CompensationCap`` objects."""
	checked = coerce_caps(caps)
	for cap in checked:
		if cap.kind not in CAP_KINDS:
			raise PolicyViolation("Unknown compensation cap {kind}", kind=cap.kind)
		if cap.remedy is not None and cap.remedy not in MONEY_REMEDIES:
			raise PolicyViolation("A cap can only limit a money remedy, not {remedy}", remedy=cap.remedy)
		if cap.kind == "uninsured_freight_multiple" and (cap.multiple is None or cap.multiple <= 0):
			raise PolicyViolation("The freight multiple for uninsured parcels must be above 0")
		if cap.kind == "max_amount" and (cap.amount is None or cap.amount < 0):
			raise PolicyViolation("The ceiling amount must be 0 or more")
	return checked


def validate_percent(rule: ScenarioRule, percent: Any) -> Decimal:
	"""The chosen percentage if the rule allows it, else ``PolicyViolation``.

	With ``percent_min``/``percent_max`` the agent may choose within them (a missing lower
	bound is 0, a missing upper bound is open); without either the percentage is fixed.
	"""
	chosen = _optional_decimal(percent, "percentage")
	if chosen is None:
		raise PolicyViolation("A percentage is required for {remedy}", remedy=rule.remedy)
	if chosen < 0:
		raise PolicyViolation("The percentage cannot be negative")
	if rule.percent_min is None and rule.percent_max is None:
		if rule.percent is not None and chosen != rule.percent:
			raise PolicyViolation(
				"The percentage of {remedy} is fixed at {percent}%",
				remedy=rule.remedy,
				percent=_pct(rule.percent),
			)
		return chosen
	low = rule.percent_min if rule.percent_min is not None else Decimal(0)
	if chosen < low or (rule.percent_max is not None and chosen > rule.percent_max):
		if rule.percent_max is None:
			raise PolicyViolation(
				"The percentage {percent}% is below the minimum {min}%", percent=_pct(chosen), min=_pct(low)
			)
		raise PolicyViolation(
			"The percentage {percent}% is outside the allowed range {min}%–{max}%",
			percent=_pct(chosen),
			min=_pct(low),
			max=_pct(rule.percent_max),
		)
	return chosen


def validate_line_amount(
	amount: Any, cap: AppliedCap | Decimal | int | float | str | None = None, reason: str = ""
) -> Decimal:
	"""The amount as money if it is not negative and within ``cap``, else ``PolicyViolation``."""
	value = to_money(amount)
	if value < 0:
		raise PolicyViolation("The amount cannot be negative")
	if cap is None:
		return value
	if isinstance(cap, AppliedCap):
		limit, why = cap.amount, reason or cap.reason
	else:
		limit, why = to_money(cap, "cap"), reason
	if value > limit:
		raise PolicyViolation(
			"The amount {amount} exceeds the cap {cap} ({reason})", amount=value, cap=limit, reason=why or "-"
		)
	return value


# -- caps for one complaint ----------------------------------------------------------------


@dataclass(frozen=True)
class _Money:
	goods_value: Decimal | None
	declared_value: Decimal | None
	insured_value: Decimal | None
	freight: Decimal | None
	insured: bool


def _money_facts(facts: CompensationFacts) -> _Money:
	insured_value = _optional_money(facts.insured_value, "insured value")
	return _Money(
		goods_value=_optional_money(facts.goods_value, "goods value"),
		declared_value=_optional_money(facts.declared_value, "declared value"),
		insured_value=insured_value,
		freight=_optional_money(facts.freight, "freight"),
		insured=bool(facts.is_insured) and insured_value is not None and insured_value > 0,
	)


def _evaluate_cap(cap: CompensationCap, facts: CompensationFacts, money: _Money) -> AppliedCap | None:
	if cap.categories and not any(_same(c, facts.category) for c in cap.categories):
		return None
	if cap.kind == "insured_value":
		if not money.insured:
			return None
		assert money.insured_value is not None
		return AppliedCap(money.insured_value, cap.kind, cap.reason or "insured value", cap.remedy)
	if cap.kind == "uninsured_freight_multiple":
		if money.insured:
			return None
		assert cap.multiple is not None
		freight = money.freight or ZERO
		limit = (cap.multiple * freight).quantize(CENT, rounding=ROUND_HALF_UP)
		multiple = _pct(cap.multiple)
		reason = cap.reason or f"uninsured parcel: {multiple} × freight {freight}"
		return AppliedCap(limit, cap.kind, reason, cap.remedy, {"multiple": multiple, "freight": freight})
	assert cap.amount is not None
	limit = cap.amount.quantize(CENT, rounding=ROUND_HALF_UP)
	return AppliedCap(limit, cap.kind, cap.reason or "service-agreement ceiling", cap.remedy)


def _applied_caps(
	facts: CompensationFacts, caps: Sequence[CompensationCap], money: _Money, remedy: str | None
) -> list[AppliedCap]:
	found = []
	for cap in caps:
		if cap.remedy != remedy:
			continue
		applied = _evaluate_cap(cap, facts, money)
		if applied is not None:
			found.append(applied)
	return found


def line_cap(
	facts: CompensationFacts, remedy: str, caps: Iterable[CompensationCap | Mapping[str, Any]]
) -> AppliedCap | None:
	"""The tightest per-line cap on ``remedy`` for this complaint (None: uncapped)."""
	if remedy not in MONEY_REMEDIES:
		return None
	found = _applied_caps(facts, validate_caps(caps), _money_facts(facts), remedy)
	return min(found, key=lambda c: c.amount) if found else None


def total_cap(
	facts: CompensationFacts, caps: Iterable[CompensationCap | Mapping[str, Any]]
) -> AppliedCap | None:
	"""The tightest cap on the total of all money lines for this complaint (None: uncapped)."""
	found = _applied_caps(facts, validate_caps(caps), _money_facts(facts), None)
	return min(found, key=lambda c: c.amount) if found else None


def _cap_step(cap: AppliedCap, before: Decimal, after: Decimal) -> Step:
	reduced = after < before
	if cap.kind == "insured_value":
		if reduced:
			return Step(
				"Reduced from {before} to {amount}: capped at the insured value {cap}",
				{"before": before, "amount": after, "cap": cap.amount},
			)
		return Step("Within the insured value {cap}", {"cap": cap.amount})
	if cap.kind == "uninsured_freight_multiple":
		params = {"cap": cap.amount, **cap.params}
		if reduced:
			return Step(
				"Reduced from {before} to {amount}: an uninsured parcel is capped at "
				"{multiple} × freight {freight} = {cap}",
				{"before": before, "amount": after, **params},
			)
		return Step("Within the uninsured cap of {multiple} × freight {freight} = {cap}", params)
	if reduced:
		return Step(
			"Reduced from {before} to {amount}: capped at {cap} ({reason})",
			{"before": before, "amount": after, "cap": cap.amount, "reason": cap.reason},
		)
	return Step("Within the cap {cap} ({reason})", {"cap": cap.amount, "reason": cap.reason})


# -- suggestion ----------------------------------------------------------------------------


def applicable_rules(
	facts: CompensationFacts, matrix: Iterable[ScenarioRule | Mapping[str, Any]]
) -> list[ScenarioRule]:
	"""The matrix rows for this complaint type and customer tier, in matrix order."""
	return [
		rule
		for rule in validate_matrix(matrix)
		if _same(rule.complaint_type, facts.complaint_type)
		and (not rule.customer_tiers or any(_same(t, facts.customer_tier) for t in rule.customer_tiers))
	]


def suggest(
	facts: CompensationFacts,
	matrix: Iterable[ScenarioRule | Mapping[str, Any]],
	caps: Iterable[CompensationCap | Mapping[str, Any]],
	*,
	percents: Mapping[str, Any] | None = None,
) -> Suggestion:
	"""Suggested remedies for a complaint, each amount explained and within every cap.

	``percents`` holds the agent's chosen percentage by remedy (checked with
	``validate_percent``); otherwise the rule's default percentage is used.
	"""
	checked_caps = validate_caps(caps)
	money = _money_facts(facts)
	rules = applicable_rules(facts, matrix)
	chosen = dict(percents or {})
	overview: list[Step] = []
	if not rules:
		overview.append(
			Step(
				"No remedy is set up for complaint type {complaint_type}; decide it manually",
				{"complaint_type": facts.complaint_type},
			)
		)
		return Suggestion((), ZERO, tuple(overview), ZERO, facts.currency)
	if facts.is_insured and not money.insured:
		overview.append(Step("Insured, but no insured value is recorded: treated as uninsured", {}))

	built: dict[str, SuggestedLine] = {}
	for rule in rules:
		built[rule.remedy] = _build_line(rule, facts, money, checked_caps, chosen, built)

	ordered = [line for line in built.values() if not line.is_upgrade] + [
		line for line in built.values() if line.is_upgrade
	]
	overall = _applied_caps(facts, checked_caps, money, None)
	if overall:
		ordered = _apply_total_cap(ordered, min(overall, key=lambda c: c.amount))

	basic = sum((line.amount for line in ordered if not line.is_upgrade), ZERO)
	everything = sum((line.amount for line in ordered), ZERO)
	overview.append(Step("Basic remedies total {total}", {"total": basic, "currency": facts.currency}))
	if everything != basic or any(line.is_upgrade for line in ordered):
		overview.append(
			Step(
				"With the optional upgrades the total is {total}",
				{"total": everything, "currency": facts.currency},
			)
		)
	return Suggestion(tuple(ordered), basic, tuple(overview), everything, facts.currency)


def _build_line(
	rule: ScenarioRule,
	facts: CompensationFacts,
	money: _Money,
	caps: Sequence[CompensationCap],
	chosen: Mapping[str, Any],
	built: Mapping[str, SuggestedLine],
) -> SuggestedLine:
	label = REMEDY_LABELS[rule.remedy]
	steps: list[Step] = []
	base: Decimal | None = None
	percent: Decimal | None = None
	amount = ZERO

	if rule.basis == "none":
		steps.append(Step("{remedy}: no money involved", {"remedy": label}))
	elif rule.basis == "fixed":
		assert rule.amount is not None
		amount = to_money(rule.amount)
		steps.append(Step("Fixed amount {amount}", {"amount": amount}))
	elif rule.basis == "equal_to":
		other = built.get(rule.equal_to or "")
		other_label = REMEDY_LABELS.get(rule.equal_to or "", rule.equal_to or "")
		if other is None:
			steps.append(Step("{other} is not offered, so there is no amount", {"other": other_label}))
		else:
			amount = other.amount
			steps.append(Step("Equal to the {other} {amount}", {"other": other_label, "amount": amount}))
	else:
		percent = validate_percent(rule, chosen[rule.remedy]) if rule.remedy in chosen else rule.percent
		assert percent is not None
		base, base_steps = _base(rule.basis, money)
		steps.extend(base_steps)
		amount = (base * percent / 100).quantize(CENT, rounding=ROUND_HALF_UP)
		template = (
			"{percent}% of freight {base} = {amount}"
			if rule.basis == "freight"
			else "{percent}% of goods value {base} = {amount}"
		)
		steps.append(Step(template, {"percent": _pct(percent), "base": base, "amount": amount}))
		if rule.percent_min is not None or rule.percent_max is not None:
			low = rule.percent_min if rule.percent_min is not None else Decimal(0)
			if rule.percent_max is not None:
				steps.append(
					Step(
						"The percentage may be set from {min}% to {max}%",
						{"min": _pct(low), "max": _pct(rule.percent_max)},
					)
				)
			else:
				steps.append(Step("The percentage may be set from {min}%", {"min": _pct(low)}))

	cap = None
	if rule.remedy in MONEY_REMEDIES:
		found = _applied_caps(facts, caps, money, rule.remedy)
		if found:
			cap = min(found, key=lambda c: c.amount)
			capped = min(amount, cap.amount)
			steps.append(_cap_step(cap, amount, capped))
			amount = capped

	return SuggestedLine(
		remedy=rule.remedy,
		amount=amount,
		is_upgrade=rule.optional,
		explanation=tuple(steps),
		label=label,
		basis=rule.basis,
		base=base,
		percent=percent,
		percent_min=rule.percent_min,
		percent_max=rule.percent_max,
		cap=cap,
	)


def _base(basis: str, money: _Money) -> tuple[Decimal, list[Step]]:
	if basis == "freight":
		if money.freight is None:
			return ZERO, [Step("The freight is not recorded, so it counts as 0", {})]
		return money.freight, []
	if money.goods_value:
		return money.goods_value, []
	if money.declared_value:
		return money.declared_value, [
			Step(
				"The goods value is not recorded; using the declared value {base}",
				{"base": money.declared_value},
			)
		]
	return ZERO, [Step("Neither the goods value nor the declared value is recorded, so it counts as 0", {})]


def _apply_total_cap(lines: list[SuggestedLine], cap: AppliedCap) -> list[SuggestedLine]:
	"""Keep the running total (basic lines first) within ``cap`` by trimming later lines."""
	result: list[SuggestedLine] = []
	running = ZERO
	for line in lines:
		room = max(cap.amount - running, ZERO)
		if line.is_monetary and line.amount > room:
			step = Step(
				"Reduced from {before} to {amount} so the total stays within {cap} ({reason})",
				{"before": line.amount, "amount": room, "cap": cap.amount, "reason": cap.reason},
			)
			line = replace(line, amount=room, explanation=(*line.explanation, step))
		running += line.amount
		result.append(line)
	return result
