"""Intake benchmark: recording one complaint through the app against a bare insert of the same row.

Run with ``benchmarks/run intake`` (it prepares a dedicated site of the bench); or inside a bench:
``cd sites && ../env/bin/python ../apps/complaint_mgmt/benchmarks/intake.py --site S``.

Reports, in one run:
- full intake: ``frappe.get_doc({...Complaint...}).insert()`` then commit, one complaint at a time
  (controllers, priority, SLA clocks, duplicates, incidents, acknowledgement, assignment),
- bare insert: the same row through ``db_insert()`` (no controller), then commit,
- SQL statements per full intake (every statement through ``frappe.db.sql``), median and max,
- the full intake rate as a share of the bare insert rate.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import time

import frappe
from frappe.utils import now_datetime

MARK = "BENCH-INTAKE"


def complaint_values(rng: random.Random, i: int, channel: str, types: list[str]) -> dict:
	return {
		"doctype": "Complaint",
		"subject": "快件延误",
		"channel": channel,
		"complaint_type": rng.choice(types),
		"received_at": now_datetime(),
		"customer_name": "客户",
		"customer_phone": f"138{rng.randrange(10**8):08d}",
		"waybill_no": f"SF{rng.randrange(10**10):010d}",
		"intake_reference": f"{MARK}-{i}-{rng.randrange(10**9)}",
		"description": "<p>快件三天没有更新物流信息</p>",
	}


class StatementCounter:
	"""Counts the statements sent through ``frappe.db.sql`` while it is installed."""

	def __init__(self):
		self.count = 0
		self._sql = frappe.db.sql

	def __enter__(self):
		def counting(*args, **kwargs):
			self.count += 1
			return self._sql(*args, **kwargs)

		frappe.db.sql = counting
		return self

	def __exit__(self, *exc):
		frappe.db.sql = self._sql


def remove_bench_rows() -> None:
	names = frappe.get_all("Complaint", filters={"intake_reference": ["like", f"{MARK}%"]}, pluck="name")
	for chunk in range(0, len(names), 500):
		part = names[chunk : chunk + 500]
		for child in frappe.get_meta("Complaint").get_table_fields():
			frappe.db.delete(child.options, {"parent": ["in", part], "parenttype": "Complaint"})
		for linked in ("Complaint Escalation", "ToDo", "Communication", "Comment"):
			field = "complaint" if linked == "Complaint Escalation" else "reference_name"
			frappe.db.delete(linked, {field: ["in", part]})
		frappe.db.delete("Complaint", {"name": ["in", part]})
	frappe.db.commit()


def full_intake(values: list[dict]) -> tuple[list[float], list[int]]:
	times, statements = [], []
	for row in values:
		with StatementCounter() as counter:
			start = time.perf_counter()
			frappe.get_doc(dict(row)).insert(ignore_permissions=True)
			frappe.db.commit()
			times.append(time.perf_counter() - start)
		statements.append(counter.count)
	return times, statements


def bare_insert(values: list[dict]) -> list[float]:
	times = []
	for row in values:
		start = time.perf_counter()
		doc = frappe.get_doc(dict(row))
		doc.set_new_name()
		doc.set_parent_in_children()
		doc.db_insert()
		frappe.db.commit()
		times.append(time.perf_counter() - start)
	return times


def main() -> None:
	parser = argparse.ArgumentParser()
	parser.add_argument("--site", required=True)
	parser.add_argument("--sites-path", default=".")
	parser.add_argument("--count", type=int, default=300)
	parser.add_argument("--json", help="also write the results to this file")
	args = parser.parse_args()

	frappe.init(site=args.site, sites_path=args.sites_path)
	frappe.connect()
	frappe.flags.mute_emails = True
	frappe.set_user("Administrator")
	rng = random.Random(11)
	channel = frappe.get_all("Complaint Channel", filters={"enabled": 1}, pluck="name", limit=1)[0]
	types = frappe.get_all("Complaint Type", filters={"is_group": 0}, pluck="name")
	remove_bench_rows()
	try:
		warm = [complaint_values(rng, i, channel, types) for i in range(10)]
		full_intake(warm)  # caches, connections
		times, statements = full_intake([complaint_values(rng, i, channel, types) for i in range(args.count)])
		bare = bare_insert([complaint_values(rng, i, channel, types) for i in range(args.count)])
	finally:
		remove_bench_rows()
	full_ms, bare_ms = statistics.median(times) * 1000, statistics.median(bare) * 1000
	results = {
		"count": args.count,
		"full_intake_median_ms": round(full_ms, 2),
		"full_intake_per_s": round(1000 / full_ms, 1),
		"bare_insert_median_ms": round(bare_ms, 2),
		"bare_insert_per_s": round(1000 / bare_ms, 1),
		"full_share_of_bare_rate_percent": round(100 * bare_ms / full_ms, 1),
		"statements_per_intake_median": statistics.median(statements),
		"statements_per_intake_max": max(statements),
	}
	print(json.dumps(results, indent=2))
	if args.json:
		with open(args.json, "w") as fh:
			json.dump(results, fh, indent=2)
	frappe.destroy()


if __name__ == "__main__":
	main()
