"""SLA sweep benchmark: many open complaints, a few crossing a threshold.

Run with ``benchmarks/run sla_sweep`` (it prepares a dedicated site of the bench); or inside a
bench: ``cd sites && ../env/bin/python ../apps/complaint_mgmt/benchmarks/sla_sweep.py --site S``.

It bulk-loads OPEN complaints (two open milestones each), makes CROSSING of them cross their
at-risk threshold, and reports in one run:
- the sweep with the crossings due (status changes + escalations),
- the sweep with nothing due,
- the naive way: load every open complaint as a document and check its milestones,
- the sweep at a tenth of the open complaints with the same crossings (cost follows crossings).

The escalations' notices are queued for a background job after each commit (not measured here).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import time
from datetime import timedelta

import frappe
from frappe.utils import now_datetime

MARK = "BENCH-"


def bulk_load(open_count: int, now) -> None:
	"""Complaints and milestone rows straight into the tables (no controllers: this is set-up)."""
	from complaint_mgmt.services.importing import insert_many

	frappe.db.delete("Complaint Milestone", {"parent": ["like", f"{MARK}%"]})
	frappe.db.delete("Complaint Escalation", {"complaint": ["like", f"{MARK}%"]})
	frappe.db.delete("Complaint", {"name": ["like", f"{MARK}%"]})
	frappe.db.commit()
	rng = random.Random(7)
	complaints, milestones = [], []
	for i in range(open_count):
		name = f"{MARK}{i:07d}"
		# recent enough that no threshold has been crossed: 0–10 h into a 24 h target
		received = now - timedelta(minutes=rng.randrange(0, 600))
		base = {
			"creation": received,
			"modified": received,
			"owner": "Administrator",
			"modified_by": "Administrator",
		}
		complaints.append(
			{
				**base,
				"name": name,
				"subject": "延误",
				"channel": "Hotline 400",
				"complaint_type": "Delay",
				"received_at": received,
				"customer_name": "客户",
				"customer_phone": "13800000000",
				"priority": "Urgent",
				"workflow_state": "Investigating",
				"sla_status": "On Track",
				"sla_policy": "Standard",
				"description": "<p>bench</p>",
			}
		)
		for idx, (milestone, hours) in enumerate((("Investigation Report", 24), ("Resolution", 24)), start=1):
			at_risk = received + timedelta(hours=hours * 0.75)
			milestones.append(
				{
					**base,
					"name": f"{name}-{idx}",
					"idx": idx,
					"parent": name,
					"parenttype": "Complaint",
					"parentfield": "milestones",
					"milestone": milestone,
					"status": "On Track",
					"started_at": received,
					"target_minutes": hours * 60,
					"due_at": received + timedelta(hours=hours),
					"at_risk_at": at_risk,
					"next_escalation_at": at_risk,
					"escalation_level": 0,
					"policy": "Standard",
					"pauses": "[]",
				}
			)
	complaint_fields, milestone_fields = list(complaints[0]), list(milestones[0])
	complaints = [tuple(row.values()) for row in complaints]
	milestones = [tuple(row.values()) for row in milestones]
	# bound parameters (frappe.db.bulk_insert renders every value through the query builder)
	insert_many("Complaint", complaint_fields, complaints)
	insert_many("Complaint Milestone", milestone_fields, milestones)
	frappe.db.commit()


def make_crossings(count: int, now) -> None:
	"""Move ``count`` investigation clocks 19 h back: past 75 % of 24 h, so level 1 is due."""
	frappe.db.delete("Complaint Escalation", {"complaint": ["like", f"{MARK}%"]})
	ms = frappe.qb.DocType("Complaint Milestone")
	names = (
		frappe.qb.from_(ms)
		.select(ms.name)
		.where(ms.parent.like(f"{MARK}%"))
		.where(ms.milestone == "Investigation Report")
		.orderby(ms.parent)
		.limit(count)
		.run(pluck=True)
	)
	started = now - timedelta(hours=19)
	(
		frappe.qb.update(ms)
		.set(ms.started_at, started)
		.set(ms.due_at, started + timedelta(hours=24))
		.set(ms.at_risk_at, started + timedelta(hours=18))
		.set(ms.next_escalation_at, started + timedelta(hours=18))
		.set(ms.status, "On Track")
		.set(ms.escalation_level, 0)
		.where(ms.name.isin(names))
		.run()
	)
	frappe.db.commit()


def timed(fn, *args) -> float:
	start = time.perf_counter()
	fn(*args)
	return time.perf_counter() - start


def cpu_timed(fn, *args) -> tuple[float, float]:
	"""Wall time and this process's own CPU time (on a shared machine the wall time is mostly
	waiting for a core)."""
	wall, cpu = time.perf_counter(), time.process_time()
	fn(*args)
	return time.perf_counter() - wall, time.process_time() - cpu


def naive_check(now) -> int:
	"""The way to avoid: every open complaint loaded as a document and its clocks checked."""
	from complaint_mgmt.engine import escalation as esc
	from complaint_mgmt.services import sla, sla_policy

	crossed = 0
	rules: dict = {}  # fair to the naive way: rules are loaded once, not per row
	cal, tz = sla_policy.calendar(None)
	for name in frappe.get_all("Complaint", filters={"closed_at": ["is", "not set"]}, pluck="name"):
		doc = frappe.get_doc("Complaint", name)
		for row in doc.milestones:
			if row.met_at:
				continue
			key = (row.milestone, doc.priority)
			if key not in rules:
				rules[key] = sla_policy.escalation_levels(*key)[1]
			levels = rules[key]
			clock = sla.Clock(row, cal, tz)
			applied = set(range(1, (row.escalation_level or 0) + 1))
			if esc.due_levels(levels, applied, clock.engine_clock(), clock.local(now)):
				crossed += 1
	return crossed


def main() -> None:
	parser = argparse.ArgumentParser()
	parser.add_argument("--site", required=True)
	parser.add_argument("--sites-path", default=".")
	parser.add_argument("--open", type=int, default=100_000)
	parser.add_argument("--crossing", type=int, default=1_000)
	parser.add_argument("--repeat", type=int, default=3)
	parser.add_argument("--skip-naive", action="store_true")
	parser.add_argument("--json", help="also write the results to this file")
	parser.add_argument("--queue-db", type=int, default=7, help="Redis database of the notice jobs")
	args = parser.parse_args()
	# the escalation notices are jobs queued after each commit: to a Redis database of their own,
	# which no worker reads (emptied at the end; the sweep's time excludes delivering them)
	os.environ.setdefault("FRAPPE_REDIS_QUEUE", f"redis://127.0.0.1:6379/{args.queue_db}")

	frappe.init(site=args.site, sites_path=args.sites_path)
	frappe.connect()
	frappe.flags.mute_emails = True
	from frappe.utils.background_jobs import get_queue

	from complaint_mgmt.tasks.sla import sweep

	results: dict = {"open": args.open, "crossing": args.crossing}
	now = now_datetime()

	def measure(open_count: int, crossing: int) -> dict:
		bulk_load(open_count, now)
		due_runs, due_cpu, idle_runs = [], [], []
		for _ in range(args.repeat):
			make_crossings(crossing, now)
			wall, cpu = cpu_timed(sweep, now)
			due_runs.append(wall)
			due_cpu.append(cpu)
			escalated = frappe.db.count("Complaint Escalation", {"complaint": ["like", f"{MARK}%"]})
			assert escalated == crossing, f"expected {crossing} escalations, got {escalated}"
			idle_runs.append(timed(sweep, now))
		return {
			"sweep_due_s": statistics.median(due_runs),
			"sweep_due_process_cpu_s": statistics.median(due_cpu),
			"sweep_nothing_due_ms": statistics.median(idle_runs) * 1000,
			"escalations": crossing,
		}

	small = max(args.open // 10, args.crossing)
	results[f"at_{small}_open"] = measure(small, args.crossing)
	results[f"at_{args.open}_open_100_crossing"] = measure(args.open, min(100, args.crossing))
	results[f"at_{args.open}_open"] = measure(args.open, args.crossing)
	if not args.skip_naive:
		make_crossings(args.crossing, now)
		start = time.perf_counter()
		found = naive_check(now)
		results["naive_s"] = time.perf_counter() - start
		results["naive_found"] = found
		results["speedup"] = results["naive_s"] / results[f"at_{args.open}_open"]["sweep_due_s"]
	frappe.db.delete("Complaint Milestone", {"parent": ["like", f"{MARK}%"]})
	frappe.db.delete("Complaint Escalation", {"complaint": ["like", f"{MARK}%"]})
	frappe.db.delete("Complaint", {"name": ["like", f"{MARK}%"]})
	frappe.db.commit()
	notices = get_queue("short")
	results["notice_jobs_queued"] = notices.count
	notices.empty()
	results["load_average"] = os.getloadavg()
	print(json.dumps(results, indent=2))
	if args.json:
		with open(args.json, "w") as fh:
			json.dump(results, fh, indent=2)
	frappe.destroy()


if __name__ == "__main__":
	main()
