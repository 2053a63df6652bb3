"""Analytics benchmark (issue 13): reports and cards from the rollup against the same figures from
the raw rows, the rollup's rebuild, and what its upkeep adds to one complaint's intake.

Run with ``benchmarks/run analytics --complaints 1000000 --days 730`` (the issue's size; it
prepares a dedicated site of the bench); or inside a bench:
``cd sites && ../env/bin/python ../apps/complaint_mgmt/benchmarks/analytics.py --site S``.

It bulk-loads COMPLAINTS complaints received over DAYS days (two clocks each; surveys,
compensations and escalations for some), then reports in one run:
- the rollup's rebuild over all days (seconds, rows),
- every analysis report and Number Card over the last year of the range (median of --repeat),
- the baseline: the same figures from the raw rows (get_all + Python, services/analytics_check),
- intake of one complaint with and without the rollup's marks (the upkeep's overhead), and the
  scheduled refresh of one marked day.
Everything it loaded is deleted at the end (the rollup of those days is rebuilt empty).
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import time
from datetime import datetime, timedelta

import frappe

MARK = "BENCH-AN-"
REPORTS = (
	("Complaint Volume Trend", {"granularity": "Month"}),
	("Complaint Share", {"group_by": "Complaint Type"}),
	("Complaint Share", {"group_by": "Route"}),
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


def bulk_load(count: int, days: int, end: datetime) -> tuple[datetime, datetime]:
	cleanup()
	rng = random.Random(13)
	types = frappe.get_all("Complaint Type", filters={"is_group": 0}, pluck="name")
	channels = frappe.get_all("Complaint Channel", pluck="name")
	departments = frappe.get_all("Complaint Department", pluck="name")
	owners = [f"agent{i}@bench.invalid" for i in range(60)]
	routes = [f"R{i:03d}" for i in range(300)]
	branches = [f"B{i:03d}" for i in range(120)]
	start = end - timedelta(days=days)
	cols_c = (
		"name", "creation", "modified", "owner", "modified_by", "subject", "channel", "complaint_type",
		"priority", "department", "lead_owner", "route", "origin_branch", "received_at",
		"acknowledged_at", "closed_at", "customer_name", "customer_phone", "workflow_state", "sla_status",
	)  # fmt: skip
	cols_m = ("name", "creation", "modified", "owner", "modified_by", "parent", "parenttype", "parentfield",
		"idx", "milestone", "status", "due_at", "met_at")  # fmt: skip
	cols_s = ("name", "creation", "modified", "owner", "modified_by", "complaint", "efficiency_score",
		"solution_score", "low_score")  # fmt: skip
	cols_p = (
		"name",
		"creation",
		"modified",
		"owner",
		"modified_by",
		"complaint",
		"workflow_state",
		"total_amount",
	)
	complaints, clocks, surveys, paid = [], [], [], []

	def flush(final=False):
		for doctype, cols, rows in (
			("Complaint", cols_c, complaints),
			("Complaint Milestone", cols_m, clocks),
			("Complaint Survey", cols_s, surveys),
			("Compensation", cols_p, paid),
		):
			if rows and (final or len(rows) >= 20_000):
				frappe.db.bulk_insert(doctype, cols, rows, chunk_size=5000)
				rows.clear()
		frappe.db.commit()

	for i in range(count):
		name = f"{MARK}{i:08d}"
		received = start + timedelta(seconds=rng.randrange(days * 86400))
		closed = received + timedelta(hours=rng.uniform(2, 120)) if rng.random() < 0.9 else None
		ack = received + timedelta(minutes=rng.uniform(5, 180))
		priority = rng.choice(("Urgent", "Important", "General", "General"))
		base = (name, received, received, "Administrator", "Administrator")
		complaints.append(
			(
				*base, "延误", rng.choice(channels), rng.choice(types), priority, rng.choice(departments),
				rng.choice(owners), rng.choice(routes), rng.choice(branches), received, ack, closed,
				"客户", "13800000000", "Closed" if closed else "Investigating", "Met" if closed else "On Track",
			)
		)  # fmt: skip
		for idx, (milestone, hours) in enumerate((("Acknowledge", 2), ("Resolution", 72)), start=1):
			met = ack if milestone == "Acknowledge" else closed
			clocks.append(
				(f"{name}-{idx}", received, received, "Administrator", "Administrator", name, "Complaint",
				"milestones", idx, milestone, "Met" if met else "On Track", received + timedelta(hours=hours), met)
			)  # fmt: skip
		if closed and rng.random() < 0.3:
			e, s = rng.randint(1, 5), rng.randint(1, 5)
			surveys.append((f"{name}-S", *base[1:], name, e, s, int(min(e, s) < 4)))
		if rng.random() < 0.1:
			paid.append((f"{name}-P", *base[1:], name, "Paid", rng.randrange(20, 2000)))
		if len(complaints) >= 20_000:
			flush()
	flush(final=True)
	return start, end


def cleanup() -> None:
	for doctype, field in (
		("Complaint Milestone", "parent"),
		("Complaint Survey", "complaint"),
		("Compensation", "complaint"),
		("Complaint", "name"),
	):
		frappe.db.sql(f"delete from `tab{doctype}` where `{field}` like %s", (f"{MARK}%",))
	frappe.db.commit()


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


def main() -> None:
	parser = argparse.ArgumentParser()
	parser.add_argument("--site", required=True)
	parser.add_argument("--sites-path", default=".")
	parser.add_argument("--complaints", type=int, default=1_000_000)
	parser.add_argument("--days", type=int, default=730)
	parser.add_argument("--repeat", type=int, default=3)
	parser.add_argument("--intakes", type=int, default=30)
	parser.add_argument("--skip-baseline", action="store_true")
	parser.add_argument("--json", help="also write the results to this file")
	args = parser.parse_args()
	frappe.init(site=args.site, sites_path=args.sites_path)
	frappe.connect()
	frappe.set_user("Administrator")
	from complaint_mgmt.api import dashboard
	from complaint_mgmt.services import analytics, analytics_check

	end = datetime.combine(frappe.utils.getdate(), datetime.min.time())
	started = time.perf_counter()
	start, end = bulk_load(args.complaints, args.days, end)
	results = {
		"complaints": args.complaints,
		"days": args.days,
		"load_s": round(time.perf_counter() - started, 1),
	}
	results["rebuild"] = analytics.rebuild(str(start.date()), str(end.date()))
	year_start = max(start, end - timedelta(days=365)).date()
	period = {"from_date": str(year_start), "to_date": str(end.date())}
	results["period"] = period
	results["rollup_rows"] = frappe.db.count("Complaint Daily Stat")
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
		baseline = timed(lambda: analytics_check.complaint_facts(year_start, end.date() + timedelta(days=1)))
		results["baseline_get_all_python_s"] = baseline
		slowest = max([*reports.values(), *results["cards_s"].values()])
		results["slowest_report_or_card_s"] = slowest
		results["speedup_vs_slowest"] = round(baseline / slowest, 1)
	results["intake"] = intake_overhead(args.intakes)
	frappe.cache.sadd(analytics.DIRTY_KEY, str(end.date() - timedelta(days=3)))
	results["refresh_one_marked_day_s"] = timed(lambda: analytics.refresh())
	cleanup()
	intakes = frappe.get_all(
		"Complaint", filters={"intake_reference": ["like", f"{MARK}INTAKE-%"]}, pluck="name"
	)
	if intakes:
		frappe.db.delete("Complaint Milestone", {"parent": ["in", intakes]})
		frappe.db.delete("Complaint", {"name": ["in", intakes]})
	analytics.rebuild(str(start.date()), str(frappe.utils.getdate()))
	frappe.db.commit()
	print(json.dumps(results, indent=2, ensure_ascii=False, default=str))
	if args.json:
		with open(args.json, "w", encoding="utf-8") as fh:
			json.dump(results, fh, indent=2, ensure_ascii=False, default=str)


if __name__ == "__main__":
	main()
