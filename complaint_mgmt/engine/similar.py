"""Similar complaints: TF-IDF cosine over character bigrams with an inverted index, plus exact
matches on waybill, batch and customer (and a bonus for the same route).

Pure Python and compact: a posting list is an ``array('i')`` of document numbers in the order the
complaints were added (oldest first), so a query reads only the most recent ``recent_postings``
complaints of each term, scans only its ``query_terms`` rarest terms, and skips terms that occur in
more than ``common_share`` of all complaints (they say little about the event; they still count in
the norms). Weights are binary term presence × idf.
"""

from __future__ import annotations

import heapq
import math
from array import array
from collections.abc import Mapping
from dataclasses import dataclass

from complaint_mgmt.engine.triage_text import char_ngrams, join_overlapping, normalise

EXACT_FIELDS: tuple[str, ...] = ("waybill_no", "batch_no", "customer")
ROUTE_BONUS = 0.1


@dataclass(frozen=True)
class Similar:
	key: str
	score: float  # 0–1: text cosine, +0.1 same route; 1.0 for an exact match
	reasons: tuple[str, ...]  # "waybill_no", "batch_no", "customer", "route", "text"
	words: tuple[str, ...]  # the rarest words both texts share


def terms(text: str) -> set[str]:
	return set(char_ngrams(normalise(text), sizes=(2,)))


class SimilarIndex:
	def __init__(
		self, recent_postings: int = 2000, common_share: float = 0.02, query_terms: int = 32
	) -> None:
		self.recent_postings = recent_postings
		self.common_share = common_share
		self.query_terms = query_terms
		self.keys: list[str] = []
		self.numbers: dict[str, int] = {}
		self.routes: list[str] = []
		self.norms = array("f")
		self.removed: set[int] = set()
		self.postings: dict[str, array] = {}
		self.exact: dict[str, dict[str, list[int]]] = {field: {} for field in EXACT_FIELDS}

	def __len__(self) -> int:
		return len(self.keys) - len(self.removed)

	def idf(self, term: str) -> float:
		return math.log(1 + len(self.keys) / len(self.postings[term]))

	def add(
		self, key: str, text: str, exact: Mapping[str, str | None] | None = None, *, bulk: bool = False
	) -> None:
		"""Index a complaint (again: its earlier version is forgotten). ``bulk``: many are loaded
		at once and ``refresh_norms`` follows."""
		if key in self.numbers:
			self.removed.add(self.numbers[key])
		number = len(self.keys)
		self.keys.append(key)
		self.numbers[key] = number
		exact = exact or {}
		self.routes.append(str(exact.get("route") or ""))
		found = terms(text)
		for term in found:
			posting = self.postings.get(term)
			if posting is None:
				self.postings[term] = array("i", (number,))
			else:
				posting.append(number)
		self.norms.append(1.0 if bulk else math.sqrt(sum(self.idf(t) ** 2 for t in found)) or 1.0)
		for field in EXACT_FIELDS:
			value = str(exact.get(field) or "").strip().casefold()
			if value:
				self.exact[field].setdefault(value, []).append(number)

	def refresh_norms(self) -> None:
		"""Recompute every complaint's norm with today's idf (after loading many at once)."""
		squares = [0.0] * len(self.keys)
		for term, posting in self.postings.items():
			weight = self.idf(term) ** 2
			for number in posting:
				squares[number] += weight
		self.norms = array("f", (math.sqrt(s) or 1.0 for s in squares))

	def search(
		self,
		text: str,
		exact: Mapping[str, str | None] | None = None,
		*,
		k: int = 5,
		min_score: float = 0.35,
		exclude: str | None = None,
	) -> list[Similar]:
		"""The ``k`` most similar complaints: exact matches first, then by text score."""
		if not self.keys:
			return []
		exact = exact or {}
		skip = set(self.removed)
		if exclude in self.numbers:
			skip.add(self.numbers[exclude])
		found = [t for t in terms(text) if t in self.postings]
		weights = {t: self.idf(t) ** 2 for t in found}
		query_norm = math.sqrt(sum(weights.values())) or 1.0
		common = self.common_share * len(self.keys)
		scores: dict[int, float] = {}
		get = scores.get
		# the rarest terms say most about the event; common ones are left out of the scan
		scanned = sorted(
			(t for t in found if len(self.postings[t]) <= max(common, 50)), key=lambda t: -weights[t]
		)
		for term in scanned[: self.query_terms]:
			posting = self.postings[term]
			weight = weights[term]
			for number in posting[-self.recent_postings :]:
				scores[number] = get(number, 0.0) + weight
		route = str(exact.get("route") or "")
		norms = self.norms
		ranked: dict[int, tuple[float, list[str]]] = {}
		for number, dot in scores.items():
			score = dot / (query_norm * norms[number])
			if route and self.routes[number] == route:
				score += ROUTE_BONUS
			if score >= min_score and number not in skip:
				ranked[number] = (
					min(score, 0.99),
					["text"] + (["route"] if route and self.routes[number] == route else []),
				)
		for field in EXACT_FIELDS:
			value = str(exact.get(field) or "").strip().casefold()
			for number in self.exact[field].get(value, ()) if value else ():
				if number in skip:
					continue
				_score, reasons = ranked.get(number, (0.0, []))
				ranked[number] = (1.0, [field, *reasons])
		best = heapq.nlargest(k, ranked.items(), key=lambda item: (item[1][0], item[0]))
		query = normalise(text)
		return [
			Similar(
				key=self.keys[number],
				score=round(score, 3),
				reasons=tuple(dict.fromkeys(reasons)),
				words=self.shared_words(found, number, query),
			)
			for number, (score, reasons) in best
		]

	def shared_words(self, found: list[str], number: int, query: str, count: int = 5) -> tuple[str, ...]:
		"""The rarest bigrams of the query that the complaint also has, joined into phrases."""
		shared = [t for t in found if _contains(self.postings[t], number)]
		shared.sort(key=lambda t: (len(self.postings[t]), t))
		return join_overlapping(shared[: count * 2], query)[:count]


def _contains(posting: array, number: int) -> bool:
	"""Whether a sorted posting list holds ``number`` (binary search)."""
	lo, hi = 0, len(posting)
	while lo < hi:
		mid = (lo + hi) // 2
		if posting[mid] < number:
			lo = mid + 1
		else:
			hi = mid
	return lo < len(posting) and posting[lo] == number
