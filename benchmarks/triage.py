"""Triage benchmark (issue 14), on synthetic complaints worded by the demo's phrase bank.

Run with ``benchmarks/run triage`` or directly (no site needed, the engine is pure Python):
``nice -n 10 python benchmarks/triage.py --train 100000 --index 200000 --queries 200``.

Reports:
- training: feature extraction + naive Bayes on ``--train`` complaints (held-out 20 %), seconds,
  held-out type accuracy, n-grams kept, stored size of the model (JSON) and its memory,
- suggestion: one complaint's lexicon signals, anger and type hint, features, prediction and
  explanation, ms per complaint,
- similar search: over an index of ``--index`` complaints, ms per query, and the index's memory
  and build time.
Targets: suggestion ≤ 50 ms, search ≤ 100 ms over 200,000, training on 100,000 ≤ 60 s.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

from complaint_mgmt import demo_phrases
from complaint_mgmt.engine import similar, triage, triage_model, triage_text
from complaint_mgmt.engine.triage_defaults import DEFAULT_LEXICONS

CHANNELS = ("Hotline 400", "Online Chat", "Email", "WeCom / DingTalk", "Customer Portal")
ROUTES = [
	f"{a}-{b}" for a in ("上海", "北京", "广州", "深圳", "杭州") for b in ("成都", "武汉", "西安", "南京")
]


def complaints(n: int, seed: int = 14):
	"""``n`` synthetic complaints: (key, subject, description, channel, type, exact fields)."""
	rng = random.Random(seed)
	kinds = list(demo_phrases.PHRASES)
	for i in range(n):
		kind = rng.choice(kinds)
		facts = {
			"complaint_type": kind,
			"waybill_no": f"SF{rng.randrange(10**11, 10**12)}",
			"route": rng.choice(ROUTES),
			"goods_category": rng.choice(("General",) * 9 + ("Fresh",)),
		}
		subject, description = demo_phrases.text(rng, facts, {})
		exact = {
			"waybill_no": facts["waybill_no"],
			"route": facts["route"],
			"batch_no": f"PC{i // 50}" if i % 10 == 0 else None,
			"customer": f"138{rng.randrange(10**6):08d}",
		}
		yield f"CMP-{i:07d}", subject, description, rng.choice(CHANNELS), kind, exact


def deep_mb(root) -> float:
	"""Memory held by an object and everything it refers to (containers, strings, numbers), MB."""
	seen: set[int] = set()
	stack = [root]
	total = 0
	while stack:
		obj = stack.pop()
		if id(obj) in seen:
			continue
		seen.add(id(obj))
		total += sys.getsizeof(obj)
		if isinstance(obj, dict):
			stack.extend(obj.keys())
			stack.extend(obj.values())
		elif isinstance(obj, (list, tuple, set, frozenset)):
			stack.extend(obj)
		elif hasattr(obj, "__dict__"):
			stack.append(vars(obj))
	return total / 2**20


def measure_memory(build):
	"""What ``build`` returns, its seconds, and the memory it holds (MB)."""
	started = time.perf_counter()
	result = build()
	seconds = time.perf_counter() - started
	return result, seconds, deep_mb(result)


def bench_training(n: int) -> tuple[dict, triage_model.Model]:
	rows = list(complaints(n))
	started = time.perf_counter()
	examples = [(key, triage_text.features(s, d, ch), kind, None) for key, s, d, ch, kind, _ in rows]
	featured = time.perf_counter() - started
	result = triage_model.evaluate(examples, percent=20)
	seconds = time.perf_counter() - started
	stored = json.dumps(result.model.to_dict(), ensure_ascii=False, separators=(",", ":"))
	model, _s, model_mb = measure_memory(lambda: triage_model.Model.from_dict(json.loads(stored)))
	return {
		"complaints": n,
		"seconds": round(seconds, 1),
		"feature_seconds": round(featured, 1),
		"type_accuracy_held_out": round(result.accuracy, 3),
		"n_grams": len(result.model.grams),
		"stored_kb": len(stored.encode("utf-8")) // 1024,
		"memory_mb": round(model_mb, 1),
	}, model


def bench_suggestion(model: triage_model.Model, queries: int) -> dict:
	"""What the form's suggestion computes: signals, anger and type hint from the seeded lexicons,
	then the learned type with its explanation."""
	lexicons = triage.coerce(DEFAULT_LEXICONS)
	times = []
	for _key, subject, description, channel, _kind, _exact in complaints(queries, seed=99):
		started = time.perf_counter()
		raw = f"{subject} {description}"
		triage.merge_facts({}, triage.signals(raw, lexicons))
		triage.anger(raw, lexicons)
		triage.type_hint(raw, lexicons)
		text = triage_text.normalise(raw)
		model.predict(triage_text.features(subject, description, channel), text=text)
		times.append((time.perf_counter() - started) * 1000)
	return {
		"queries": queries,
		"median_ms": round(statistics.median(times), 2),
		"max_ms": round(max(times), 2),
	}


def bench_search(n: int, queries: int) -> dict:
	rows = list(complaints(n, seed=7))

	def build():
		index = similar.SimilarIndex()
		for key, subject, description, _channel, _kind, exact in rows:
			index.add(key, f"{subject} {description}", exact, bulk=True)
		index.refresh_norms()
		return index

	index, build_seconds, memory_mb = measure_memory(build)
	times = []
	for _key, subject, description, _channel, _kind, exact in complaints(queries, seed=99):
		started = time.perf_counter()
		index.search(f"{subject} {description}", exact, k=5)
		times.append((time.perf_counter() - started) * 1000)
	return {
		"complaints": n,
		"build_seconds": round(build_seconds, 1),
		"memory_mb": round(memory_mb, 1),
		"queries": queries,
		"median_ms": round(statistics.median(times), 2),
		"p95_ms": round(sorted(times)[int(len(times) * 0.95) - 1], 2),
		"max_ms": round(max(times), 2),
	}


def main() -> None:
	parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
	parser.add_argument("--train", type=int, default=100000, help="complaints to train on")
	parser.add_argument("--index", type=int, default=200000, help="complaints in the similar-search index")
	parser.add_argument("--queries", type=int, default=200)
	parser.add_argument("--site", help="ignored: the benchmark needs no site")
	parser.add_argument("--json", help="write the results to this file")
	args = parser.parse_args()
	training, model = bench_training(args.train)
	print("training", training, flush=True)
	suggestion = bench_suggestion(model, args.queries)
	print("suggestion", suggestion, flush=True)
	search = bench_search(args.index, args.queries)
	print("similar search", search, flush=True)
	if args.json:
		with open(args.json, "w", encoding="utf-8") as fh:
			json.dump(
				{"training": training, "suggestion": suggestion, "similar_search": search}, fh, indent=1
			)


if __name__ == "__main__":
	main()
