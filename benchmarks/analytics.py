"""Analytics benchmark (issue 13): reports and cards from the rollup against the same figures from
the raw rows, the rollup's rebuild, and what its upkeep adds to one complaint's intake.

Run with ``benchmarks/run analytics --complaints 1000000 --days 730`` (the issue's size; it
prepares a dedicated site of the bench); or inside a bench:
``cd sites && ../env/bin/python ../apps/complaint_mgmt/benchmarks/analytics.py --site S``.

It bulk-loads COMPLAINTS complaints received over DAYS days, shaped like real ones (see
benchmarks/analytics_data.py: a type's department as its master says, Zipf-skewed types, channels,
routes and branches, agents per department), then reports in one run:
- the rollup's rebuild over all days (seconds, rows),
- every analysis report and Number Card over the last year of the range (median of --repeat),
- the baseline: the same figures from the raw rows (get_all + Python, services/analytics_check),
- intake of one complaint with and without the rollup's marks (the upkeep's overhead), and the
  scheduled refresh of one marked day.
Everything it loaded is deleted at the end (the rollup of those days is rebuilt empty), unless
--keep; --reuse times a kept load again (no load, no rebuild). The 1-minute load average is
recorded before each phase: the machine is shared.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import time
from datetime import datetime, timedelta

import frappe
from analytics_data import MARK, bulk_load, cleanup
from frappe.query_builder.functions import Count

REPORTS = (
	("Complaint Volume Trend", {"granularity": "Month"}),
	("Complaint Share", {"group_by": "Complaint Type"}),
	("Complaint Share", {"group_by": "Route"}),
	("Complaint Share", {"group_by": "Region"}),
	("Complaint Handling Time", {"granularity": "Week"}),
	("Complaint SLA Attainment", {}),
	("Complaint Satisfaction", {}),
	("Complaint Compensation Analysis", {"group_by": "Liability"}),
	("Complaint Handler Evaluation", {"group_by": "Agent"}),
)
CARDS = (
	"todays_intake",
	"open_urgent",
	"at_risk",
	"breached",
	"sla_attainment_this_month",
	"average_score_this_month",
)


def timed(fn, repeat: int = 1) -> float:
	times = []
	for _ in range(repeat):
		started = time.perf_counter()
		fn()
		times.append(time.perf_counter() - started)
	return round(statistics.median(times), 4)


def intake_overhead(count: int) -> dict:
	"""One complaint's intake (insert + commit) with the rollup's marks, and with them switched off."""
	from complaint_mgmt.services import analytics

	rng = random.Random(5)
	mark, flush = analytics.mark_complaint, analytics._flush

	def one(i: int) -> None:
		frappe.get_doc(
			{
				"doctype": "Complaint",
				"subject": "快件延误",
				"channel": "Hotline 400",
				"complaint_type": "Delay",
				"customer_name": "客户",
				"customer_phone": f"138{rng.randrange(10**8):08d}",
				"waybill_no": f"SF{rng.randrange(10**10):010d}",
				"description": "<p>快件三天没有更新物流信息</p>",
				"intake_reference": f"{MARK}INTAKE-{i}-{rng.randrange(10**9)}",
			}
		).insert(ignore_permissions=True)
		frappe.db.commit()

	with_marks, without = [], []
	for i in range(count):  # alternating, so that both see the same table sizes and caches
		started = time.perf_counter()
		one(i)
		with_marks.append(time.perf_counter() - started)
		analytics.mark_complaint = lambda doc, method=None: None
		analytics._flush = lambda: None
		try:
			started = time.perf_counter()
			one(i)
			without.append(time.perf_counter() - started)
		finally:
			analytics.mark_complaint, analytics._flush = mark, flush
	a, b = statistics.median(with_marks), statistics.median(without)
	return {
		"intakes_each": count,
		"median_with_marks_s": round(a, 4),
		"median_without_s": round(b, 4),
		"overhead_percent": round((a - b) * 100 / b, 1),
	}


def phase(results: dict, name: str) -> None:
	"""Say which phase starts (stderr) and note the machine's 1-minute load average."""
	load = round(os.getloadavg()[0], 2)
	results.setdefault("load_average_1min", {})[name] = load
	print(f"{datetime.now():%H:%M:%S} {name} (load {load})", file=sys.stderr, flush=True)


def grain_rows(start, end) -> dict:
	"""Rollup rows per grain over the timed year (what each report sums)."""
	stat = frappe.qb.DocType("Complaint Daily Stat")
	found = (
		frappe.qb.from_(stat)
		.select(stat.grain, Count("*"))
		.where(stat.day >= start)
		.where(stat.day <= end)
		.groupby(stat.grain)
		.run()
	)
	return dict(found)


def main() -> None:
	parser = argparse.ArgumentParser()
	parser.add_argument("--site", required=True)
	parser.add_argument("--sites-path", default=".")
	parser.add_argument("--complaints", type=int, default=1_000_000)
	parser.add_argument("--days", type=int, default=730)
	parser.add_argument("--repeat", type=int, default=3)
	parser.add_argument("--intakes", type=int, default=30)
	parser.add_argument("--skip-baseline", action="store_true")
	parser.add_argument("--keep", action="store_true", help="keep the loaded complaints and rollup")
	parser.add_argument("--reuse", action="store_true", help="time a load kept by --keep again")
	parser.add_argument("--json", help="also write the results to this file")
	args = parser.parse_args()
	frappe.init(site=args.site, sites_path=args.sites_path)
	frappe.connect()
	frappe.set_user("Administrator")
	from complaint_mgmt.api import dashboard
	from complaint_mgmt.services import analytics, analytics_check

	end = datetime.combine(frappe.utils.getdate(), datetime.min.time())
	start = end - timedelta(days=args.days)
	results = {"complaints": args.complaints, "days": args.days, "cpu_count": os.cpu_count()}
	if not args.reuse:
		phase(results, "load")
		cleanup()
		started = time.perf_counter()
		bulk_load(args.complaints, args.days, end)
		results["load_s"] = round(time.perf_counter() - started, 1)
		phase(results, "rebuild")
		results["rebuild"] = analytics.rebuild(str(start.date()), str(end.date()))
	results["loaded"] = frappe.db.count("Complaint", {"name": ["like", f"{MARK}%"]})
	year_start = max(start, end - timedelta(days=365)).date()
	period = {"from_date": str(year_start), "to_date": str(end.date())}
	results["period"] = period
	results["rollup_rows"] = frappe.db.count("Complaint Daily Stat")
	results["rollup_rows_in_period"] = grain_rows(year_start, end.date())
	phase(results, "reports")
	reports = {}
	for report, extra in REPORTS:
		module = frappe.get_attr(
			f"complaint_mgmt.complaint_management.report.{frappe.scrub(report)}.{frappe.scrub(report)}.execute"
		)
		label = report + (f" ({next(iter(extra.values()))})" if extra else "")
		reports[label] = timed(lambda m=module, e=extra: m({**period, **e}), args.repeat)
	results["reports_s"] = reports
	results["cards_s"] = {card: timed(getattr(dashboard, card), args.repeat) for card in CARDS}
	if not args.skip_baseline:
		phase(results, "baseline")
		baseline = timed(lambda: analytics_check.complaint_facts(year_start, end.date() + timedelta(days=1)))
		results["baseline_get_all_python_s"] = baseline
		slowest = max([*reports.values(), *results["cards_s"].values()])
		results["slowest_report_or_card_s"] = slowest
		results["speedup_vs_slowest"] = round(baseline / slowest, 1)
		results["speedup_per_report"] = {k: round(baseline / v, 1) for k, v in reports.items()}
	phase(results, "intake")
	results["intake"] = intake_overhead(args.intakes)
	frappe.cache.sadd(analytics.DIRTY_KEY, str(end.date() - timedelta(days=3)))
	results["refresh_one_marked_day_s"] = timed(lambda: analytics.refresh())
	intakes = frappe.get_all(
		"Complaint", filters={"intake_reference": ["like", f"{MARK}INTAKE-%"]}, pluck="name"
	)
	if intakes:
		frappe.db.delete("Complaint Milestone", {"parent": ["in", intakes]})
		frappe.db.delete("Complaint", {"name": ["in", intakes]})
	if not args.keep:
		phase(results, "cleanup")
		cleanup()
		analytics.rebuild(str(start.date()), str(frappe.utils.getdate()))
	frappe.db.commit()
	phase(results, "done")
	print(json.dumps(results, indent=2, ensure_ascii=False, default=str))
	if args.json:
		with open(args.json, "w", encoding="utf-8") as fh:
			json.dump(results, fh, indent=2, ensure_ascii=False, default=str)


if __name__ == "__main__":
	main()
