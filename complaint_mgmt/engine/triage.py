"""Triage from the complaint's own words, by rules (day one, no training).

Lexicons are data (the *Complaint Triage Lexicon* records): words and phrases per signal.
- ``Signal`` lexicons set a priority fact when a word occurs ("记者" → ``media_involved`` = 1), so
  the priority rules see what the customer wrote, not only the boxes the agent ticked.
- ``Anger`` and ``Intensity`` lexicons, with punctuation and repetition, give an anger level 0–3.
- ``Type Hint`` lexicons name the complaint type a word points to: the rules-only type suggestion
  (and the baseline a learned model has to beat).
Every answer carries the words that produced it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from complaint_mgmt.engine.errors import PolicyViolation
from complaint_mgmt.engine.triage_text import normalise

KINDS: tuple[str, ...] = ("Signal", "Anger", "Intensity", "Type Hint")
# the priority facts a Signal lexicon may set (legal_threat and repeat_complaint come only from text)
SIGNAL_FACTS: tuple[str, ...] = (
	"goods_category",
	"group_size",
	"media_involved",
	"regulator_involved",
	"regulator_intent",
	"legal_threat",
	"repeat_complaint",
)
NUMERIC_FACTS = frozenset({"group_size"})
PLAIN_GOODS = frozenset({"", "general"})  # a text signal may replace only these goods categories
DEFAULT_ANGER_THRESHOLDS: tuple[float, float, float] = (1, 2, 4)  # points for levels 1, 2, 3

_SEPARATORS = re.compile(r"[\n,，、;；]+")
_PUNCT_RUN = re.compile(r"[!?]{2,}")
_REPEATED = re.compile(r"([^\W\d_])\1{2,}")
_SHOUTING = re.compile(r"\b[A-Z]{4,}\b")
_CN_DIGITS = {"两": 2, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}
_HEADCOUNT = re.compile(
	r"(\d{1,4}|[两二三四五六七八九十]{1,3})\s*(?:个人|个客户|位客户|名客户|个用户|户人家|户|家|位|人)"
)


@dataclass(frozen=True)
class Lexicon:
	"""One lexicon record: a signal's words, and what they mean."""

	name: str
	kind: str
	words: tuple[str, ...]
	fact: str = ""
	value: str = ""
	complaint_type: str = ""
	weight: float = 1.0

	@classmethod
	def from_dict(cls, data: Mapping[str, Any]) -> Lexicon:
		return cls(
			name=str(data.get("lexicon_name") or data.get("name") or "").strip(),
			kind=str(data.get("kind") or "").strip(),
			words=split_words(data.get("words")),
			fact=str(data.get("fact") or "").strip(),
			value=str(data.get("value") if data.get("value") is not None else "").strip(),
			complaint_type=str(data.get("complaint_type") or "").strip(),
			weight=float(data.get("weight") or 1),
		)


@dataclass(frozen=True)
class Match:
	"""A lexicon that matched, and the words of the text that matched it."""

	lexicon: Lexicon
	words: tuple[str, ...]


@dataclass(frozen=True)
class Anger:
	level: int
	points: float
	words: tuple[str, ...]


def split_words(raw: Any) -> tuple[str, ...]:
	"""Words and phrases one per line (commas and 、 also separate), normalised, without repeats."""
	if isinstance(raw, (list, tuple)):
		raw = "\n".join(str(item) for item in raw)
	words = (normalise(part) for part in _SEPARATORS.split(str(raw or "")))
	return tuple(dict.fromkeys(word for word in words if word))


def coerce(lexicons: Iterable[Lexicon | Mapping[str, Any]]) -> list[Lexicon]:
	return [lex if isinstance(lex, Lexicon) else Lexicon.from_dict(lex) for lex in lexicons]


def validate_lexicon(lexicon: Lexicon) -> None:
	if lexicon.kind not in KINDS:
		raise PolicyViolation("Unknown lexicon kind {kind}", kind=lexicon.kind)
	if not lexicon.words:
		raise PolicyViolation("The lexicon {name} needs at least one word", name=lexicon.name)
	if lexicon.weight <= 0:
		raise PolicyViolation("The weight of the lexicon {name} must be above zero", name=lexicon.name)
	if lexicon.kind == "Signal":
		if lexicon.fact not in SIGNAL_FACTS:
			raise PolicyViolation("The lexicon {name} needs a priority fact to set", name=lexicon.name)
		if not lexicon.value:
			raise PolicyViolation("The lexicon {name} needs the value its words mean", name=lexicon.name)
		if lexicon.fact in NUMERIC_FACTS and not lexicon.value.isdigit():
			raise PolicyViolation("The lexicon {name} needs a whole number as its value", name=lexicon.name)
	if lexicon.kind == "Type Hint" and not lexicon.complaint_type:
		raise PolicyViolation("The lexicon {name} needs the complaint type it points to", name=lexicon.name)


def find_words(text: str, words: Sequence[str]) -> tuple[str, ...]:
	"""The lexicon's words that occur in the (normalised) text, in the lexicon's order."""
	return tuple(word for word in words if word in text)


def matches(text: str, lexicons: Iterable[Lexicon], kind: str) -> list[Match]:
	found = []
	for lexicon in lexicons:
		if lexicon.kind != kind:
			continue
		words = find_words(text, lexicon.words)
		if words:
			found.append(Match(lexicon, words))
	return found


def _headcount(text: str) -> tuple[int, str] | None:
	"""The largest number of people the text speaks of ("我们12个人", "五位客户")."""
	best = None
	for m in _HEADCOUNT.finditer(text):
		raw = m.group(1)
		if raw.isdigit():
			count = int(raw)
		elif len(raw) == 1:
			count = _CN_DIGITS[raw]
		else:  # 十二, 二十, 二十五
			tens, _, units = raw.partition("十")
			count = (_CN_DIGITS.get(tens, 1) * 10 if "十" in raw else 0) + _CN_DIGITS.get(units, 0)
		if best is None or count > best[0]:
			best = (count, m.group(0))
	return best


def signals(text: str, lexicons: Iterable[Lexicon | Mapping[str, Any]]) -> list[Match]:
	"""The Signal lexicons the text matches. A group lexicon also matches a head count in the
	text ("我们8个人"), with that count as its value when it is larger."""
	text = normalise(text)
	lexicons = coerce(lexicons)
	found = matches(text, lexicons, "Signal")
	count = _headcount(text)
	group = next((lex for lex in lexicons if lex.kind == "Signal" and lex.fact in NUMERIC_FACTS), None)
	if count and group:
		said = next((m for m in found if m.lexicon is group), None)
		value = max(count[0], int(group.value) if said else 0)
		words = (*(said.words if said else ()), normalise(count[1]))
		found = [m for m in found if m is not said] + [Match(_with_value(group, value), words)]
	return found


def _with_value(lexicon: Lexicon, value: int) -> Lexicon:
	return Lexicon(lexicon.name, lexicon.kind, lexicon.words, lexicon.fact, str(value), "", lexicon.weight)


def merge_facts(facts: Mapping[str, Any], found: Iterable[Match]) -> tuple[dict[str, Any], dict[str, Match]]:
	"""The facts with what the text says added, and which match set each changed fact.

	Text only adds: a box the agent ticked stays ticked, a larger head count stays, and a goods
	category other than General is never replaced."""
	merged = dict(facts)
	sources: dict[str, Match] = {}
	for match in found:
		fact, value = match.lexicon.fact, match.lexicon.value
		current = merged.get(fact)
		if fact in NUMERIC_FACTS:
			if int(value) > int(current or 0):
				merged[fact], sources[fact] = int(value), match
		elif fact == "goods_category":
			if str(current or "").strip().casefold() in PLAIN_GOODS and fact not in sources:
				merged[fact], sources[fact] = value, match
		elif not _truthy(current) and fact not in sources:
			merged[fact], sources[fact] = value, match
	return merged, sources


def anger(
	text: str,
	lexicons: Iterable[Lexicon | Mapping[str, Any]],
	thresholds: Sequence[float] = DEFAULT_ANGER_THRESHOLDS,
) -> Anger:
	"""Anger 0–3: angry words (by weight), an intensity word beside them, !!/?? runs (three or more
	count twice), a character said three times over ("快快快"), a shouted Latin word."""
	validate_thresholds(thresholds)
	lexicons = coerce(lexicons)
	raw = str(text or "")
	plain = normalise(raw)
	points = 0.0
	words: list[str] = []
	for match in matches(plain, lexicons, "Anger"):
		points += match.lexicon.weight * len(match.words)
		words.extend(match.words)
	runs = _PUNCT_RUN.findall(plain)
	if runs:
		points += 2 if max(len(run) for run in runs) >= 3 else 1
		words.append(max(runs, key=len))
	repeated = [m.group(0) for m in _REPEATED.finditer(plain)]
	if repeated:
		points += 1
		words.append(repeated[0])
	shouted = _SHOUTING.findall(raw)
	if shouted:
		points += 1
		words.append(shouted[0])
	if points:
		intensity = [w for m in matches(plain, lexicons, "Intensity") for w in m.words]
		if intensity:
			points += 1
			if not any(intensity[0] in w for w in words):
				words.append(intensity[0])
	level = sum(1 for limit in thresholds if points >= limit)
	return Anger(level=level, points=points, words=tuple(dict.fromkeys(words)))


def validate_thresholds(thresholds: Sequence[float]) -> None:
	if len(thresholds) != 3 or any(t <= 0 for t in thresholds) or list(thresholds) != sorted(thresholds):
		raise PolicyViolation("The anger thresholds must be three rising numbers above zero")


def type_hint(text: str, lexicons: Iterable[Lexicon | Mapping[str, Any]]) -> Match | None:
	"""The complaint type whose hint words occur most often in the text (the first such lexicon
	on a tie), or None."""
	found = matches(normalise(text), coerce(lexicons), "Type Hint")
	if not found:
		return None
	return max(found, key=lambda m: (sum(len(w) for w in m.words), -found.index(m)))


def _truthy(value: Any) -> bool:
	if isinstance(value, str):
		return value.strip().lower() not in {"", "0", "false", "no"}
	return bool(value)
