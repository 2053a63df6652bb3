"""Intake benchmark: recording one complaint through the app against a bare insert of the same row,
and the background jobs that follow it under sustained load.

Run with ``benchmarks/run intake`` (it prepares a dedicated site of the bench); or inside a bench:
``cd sites && ../env/bin/python ../apps/complaint_mgmt/benchmarks/intake.py --site S``.

Reports, in one run:
- intake: ``frappe.get_doc({...Complaint...}).insert()`` then commit, one complaint at a time, as a
  request does it now (controllers, priority, SLA clocks, duplicates, incidents; the side effects
  queued for after the commit),
- intake with its side effects inline (acknowledgement, assignment, …), as every request did before,
- bare insert: the same row through ``db_insert()`` (no controller), then commit,
- the framework alone: the same row through Frappe's ``insert()`` with no method of any app run
  (no controller, no doc_events: naming, defaults, link/mandatory/length checks, sanitising, the
  insert, the post-save bookkeeping), the floor of any intake that keeps the document model,
- SQL statements per intake (every statement through ``frappe.db.sql``), median and max,
- the intake rate as a share of the bare insert rate,
- background: ``--workers`` RQ workers drain the jobs of the intakes above, then ``--clients``
  processes record complaints at ``--rate`` a second for ``--seconds``; reported: the rate reached,
  the jobs' throughput, and how long after the last complaint every side effect was done.

The jobs go to a Redis database of their own (``--queue-db``), which only the workers this script
starts read: nothing of another site or process runs in them, and nothing of this run stays queued.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import time

MARK = "BENCH-INTAKE"
AGENTS = 5


def complaint_values(rng: random.Random, i: int, channel: str, types: list[str], tag: str = "") -> dict:
	from frappe.utils import now_datetime

	return {
		"doctype": "Complaint",
		"subject": "快件延误",
		"channel": channel,
		"complaint_type": rng.choice(types),
		"received_at": now_datetime(),
		"customer_name": "客户",
		"customer_phone": f"138{rng.randrange(10**8):08d}",
		"waybill_no": f"SF{rng.randrange(10**10):010d}",
		"intake_reference": f"{MARK}{tag}-{i}-{rng.randrange(10**9)}",
		"description": "<p>快件三天没有更新物流信息</p>",
	}


class StatementCounter:
	"""Counts the statements sent through ``frappe.db.sql`` while it is installed."""

	def __init__(self):
		import frappe

		self.count = 0
		self._sql = frappe.db.sql

	def __enter__(self):
		import frappe

		def counting(*args, **kwargs):
			self.count += 1
			return self._sql(*args, **kwargs)

		frappe.db.sql = counting
		return self

	def __exit__(self, *exc):
		import frappe

		frappe.db.sql = self._sql


def connect(site: str, sites_path: str) -> None:
	import frappe

	frappe.init(site=site, sites_path=sites_path)
	frappe.connect()
	frappe.set_user("Administrator")


def setup() -> tuple[str, list[str]]:
	"""Agents to assign to (removed afterwards); the channel and the types to use."""
	import frappe

	for n in range(AGENTS):
		email = f"bench-agent-{n}@bench.invalid"
		if not frappe.db.exists("User", email):
			frappe.get_doc(
				{
					"doctype": "User",
					"email": email,
					"first_name": f"Bench Agent {n}",
					"send_welcome_email": 0,
					"roles": [{"role": "Complaint Agent"}],
				}
			).insert(ignore_permissions=True)
	frappe.db.commit()
	channel = frappe.get_all("Complaint Channel", filters={"enabled": 1}, pluck="name", limit=1)[0]
	types = frappe.get_all("Complaint Type", filters={"is_group": 0, "enabled": 1}, pluck="name")
	return channel, types


def remove_bench_rows() -> None:
	import frappe

	names = frappe.get_all("Complaint", filters={"intake_reference": ["like", f"{MARK}%"]}, pluck="name")
	for chunk in range(0, len(names), 500):
		part = names[chunk : chunk + 500]
		actions = frappe.get_all("Workflow Action", filters={"reference_name": ["in", part]}, pluck="name")
		frappe.db.delete("Workflow Action Permitted Role", {"parent": ["in", actions or [""]]})
		for child in frappe.get_meta("Complaint").get_table_fields():
			frappe.db.delete(child.options, {"parent": ["in", part], "parenttype": "Complaint"})
		for linked, field in (
			("Complaint Escalation", "complaint"),
			("ToDo", "reference_name"),
			("Communication", "reference_name"),
			("Comment", "reference_name"),
			("Version", "docname"),
			("Notification Log", "document_name"),
			("Workflow Action", "reference_name"),
		):
			frappe.db.delete(linked, {field: ["in", part]})
		frappe.db.delete("Complaint", {"name": ["in", part]})
	frappe.db.commit()


def remove_agents() -> None:
	import frappe

	for n in range(AGENTS):
		email = f"bench-agent-{n}@bench.invalid"
		for doctype, field in (("ToDo", "allocated_to"), ("Notification Log", "for_user")):
			frappe.db.delete(doctype, {field: email})
		frappe.db.delete("Has Role", {"parent": email, "parenttype": "User"})
		frappe.db.delete("User", {"name": email})
	frappe.db.commit()


def timed_intake(values: list[dict], inline: bool = False) -> tuple[list[float], list[int]]:
	import frappe

	times, statements = [], []
	frappe.flags.in_test = inline  # side effects inline, as before issue 11
	try:
		for row in values:
			with StatementCounter() as counter:
				start = time.perf_counter()
				frappe.get_doc(dict(row)).insert(ignore_permissions=True)
				frappe.db.commit()
				times.append(time.perf_counter() - start)
			statements.append(counter.count)
	finally:
		frappe.flags.in_test = False
	return times, statements


def bare_insert(values: list[dict]) -> list[float]:
	import frappe

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


def framework_insert(values: list[dict]) -> list[float]:
	"""Frappe's own insert pipeline for the same rows, with every app method switched off."""
	import frappe
	from frappe.model.document import Document

	times = []
	run_method = Document.run_method
	Document.run_method = lambda self, method, *args, **kwargs: None
	try:
		for row in values:
			start = time.perf_counter()
			Document(dict(row)).insert(ignore_permissions=True)
			frappe.db.commit()
			times.append(time.perf_counter() - start)
	finally:
		Document.run_method = run_method
	return times


def pending(tag: str) -> int:
	"""Complaints of this run (with ``tag``) whose side effects are not all done yet."""
	import frappe
	from frappe.query_builder.functions import Count

	frappe.db.rollback()  # a fresh snapshot
	complaint = frappe.qb.DocType("Complaint")
	return (
		frappe.qb.from_(complaint)
		.select(Count("*"))
		.where(complaint.intake_reference.like(f"{MARK}{tag}%"))
		.where(complaint.side_effects.isnull() | complaint.side_effects.not_like("%assignment: done%"))
		.run()[0][0]
	)


def wait_until_done(tag: str, limit_s: float) -> float | None:
	"""Seconds until every side effect of the run is done; meanwhile, as the scheduler does every
	minute on a site (no scheduler runs here), a job is asked for once a minute."""
	from complaint_mgmt.services import intake_queue

	start = last_net = time.monotonic()
	while time.monotonic() - start < limit_s:
		if pending(tag) == 0:
			return time.monotonic() - start
		if time.monotonic() - last_net >= 60:
			intake_queue.start()
			last_net = time.monotonic()
		time.sleep(0.2)
	return None


def start_workers(count: int) -> list[subprocess.Popen]:
	command = [sys.executable, "-m", "frappe.utils.bench_helper", "frappe", "worker", "--queue", "short"]
	log = open(os.path.join("..", "logs", "bench-intake-workers.log"), "ab")
	return [subprocess.Popen(command, stdout=log, stderr=log, start_new_session=True) for _ in range(count)]


def stop(processes: list[subprocess.Popen]) -> None:
	import signal

	for process in processes:
		if process.poll() is None:
			os.killpg(process.pid, signal.SIGTERM)
	for process in processes:
		try:
			process.wait(30)
		except subprocess.TimeoutExpired:
			os.killpg(process.pid, signal.SIGKILL)


def client(args) -> None:
	"""One client process of the sustained load: ``--rate`` complaints a second for ``--seconds``."""
	import frappe

	connect(args.site, args.sites_path)
	channel, types = setup()
	rng = random.Random(args.client_seed)
	interval, done, lag = 1 / args.rate, 0, 0.0
	start = time.monotonic()
	while time.monotonic() - start < args.seconds:
		due = start + done * interval
		if (wait := due - time.monotonic()) > 0:
			time.sleep(wait)
		else:
			lag = max(lag, -wait)
		frappe.get_doc(complaint_values(rng, done, channel, types, tag="-load")).insert(
			ignore_permissions=True
		)
		frappe.db.commit()
		done += 1
	print(json.dumps({"done": done, "seconds": time.monotonic() - start, "max_behind_s": round(lag, 2)}))
	frappe.destroy()


def sustained(args) -> dict:
	"""Clients at a sustained rate while the workers run; when every side effect is done."""
	per_client = args.rate / args.clients
	command = [
		sys.executable,
		os.path.abspath(__file__),
		"--site",
		args.site,
		"--sites-path",
		args.sites_path,
	]
	clients = [
		subprocess.Popen(
			[
				*command,
				"--client",
				"--rate",
				str(per_client),
				"--seconds",
				str(args.seconds),
				"--client-seed",
				str(n),
			],
			stdout=subprocess.PIPE,
			text=True,
		)
		for n in range(args.clients)
	]
	reports = [json.loads(c.communicate()[0].strip().splitlines()[-1]) for c in clients]
	ended = time.monotonic()
	left = pending("-load")
	caught_up = wait_until_done("-load", args.catch_up_seconds)
	recorded = sum(r["done"] for r in reports)
	return {
		"clients": args.clients,
		"target_per_s": args.rate,
		"recorded": recorded,
		"reached_per_s": round(recorded / max(r["seconds"] for r in reports), 1),
		"clients_max_behind_schedule_s": max(r["max_behind_s"] for r in reports),
		"side_effects_pending_at_end_of_load": left,
		"caught_up_after_s": round(caught_up, 1) if caught_up is not None else None,
		"caught_up_within_60_s": caught_up is not None and caught_up <= 60,
		"waited_s": round(time.monotonic() - ended, 1),
	}


def main() -> None:
	parser = argparse.ArgumentParser()
	parser.add_argument("--site", required=True)
	parser.add_argument("--sites-path", default=".")
	parser.add_argument("--count", type=int, default=300, help="complaints per one-at-a-time measurement")
	parser.add_argument("--workers", type=int, default=2, help="RQ workers for the background part")
	parser.add_argument("--clients", type=int, default=10, help="client processes of the sustained load")
	parser.add_argument("--rate", type=float, default=50, help="complaints a second, all clients together")
	parser.add_argument("--seconds", type=float, default=60, help="length of the sustained load")
	parser.add_argument("--catch-up-seconds", type=float, default=300)
	parser.add_argument("--queue-db", type=int, default=7, help="Redis database of this run's jobs")
	parser.add_argument("--json", help="also write the results to this file")
	parser.add_argument("--client", action="store_true", help=argparse.SUPPRESS)
	parser.add_argument("--client-seed", type=int, default=0, help=argparse.SUPPRESS)
	args = parser.parse_args()
	if not os.environ.get("FRAPPE_REDIS_QUEUE"):
		# this run's jobs in a Redis database of their own (the workers below inherit it)
		os.environ["FRAPPE_REDIS_QUEUE"] = f"redis://127.0.0.1:6379/{args.queue_db}"
	if args.client:
		client(args)
		return

	import frappe

	connect(args.site, args.sites_path)
	rng = random.Random(11)
	remove_bench_rows()
	channel, types = setup()
	workers = []
	try:
		warm = [complaint_values(rng, i, channel, types, "-queued-warm") for i in range(10)]
		timed_intake(warm)  # caches, connections
		times, statements = timed_intake(
			[complaint_values(rng, i, channel, types, "-queued") for i in range(args.count)]
		)
		inline, _ = timed_intake(
			[complaint_values(rng, i, channel, types, "-inline") for i in range(max(args.count // 3, 10))],
			inline=True,
		)
		bare = bare_insert([complaint_values(rng, i, channel, types, "-bare") for i in range(args.count)])
		framework = framework_insert(
			[complaint_values(rng, i, channel, types, "-framework") for i in range(args.count)]
		)
		backlog = pending("-queued")
		workers = start_workers(args.workers)
		drained = wait_until_done("-queued", args.catch_up_seconds)
		load = sustained(args)
	finally:
		stop(workers)
		remove_bench_rows()
		remove_agents()
		from frappe.utils.background_jobs import get_queue

		get_queue("short").empty()  # this run's queue only (--queue-db)
	intake_ms, inline_ms = statistics.median(times) * 1000, statistics.median(inline) * 1000
	bare_ms = statistics.median(bare) * 1000
	framework_ms = statistics.median(framework) * 1000
	results = {
		"count": args.count,
		"intake_median_ms": round(intake_ms, 2),
		"intake_per_s": round(1000 / intake_ms, 1),
		"intake_with_side_effects_inline_median_ms": round(inline_ms, 2),
		"intake_with_side_effects_inline_per_s": round(1000 / inline_ms, 1),
		"bare_insert_median_ms": round(bare_ms, 2),
		"bare_insert_per_s": round(1000 / bare_ms, 1),
		"intake_share_of_bare_rate_percent": round(100 * bare_ms / intake_ms, 1),
		"framework_insert_median_ms": round(framework_ms, 2),
		"framework_share_of_bare_rate_percent": round(100 * bare_ms / framework_ms, 1),
		"intake_share_of_framework_rate_percent": round(100 * framework_ms / intake_ms, 1),
		"statements_per_intake_median": statistics.median(statements),
		"statements_per_intake_max": max(statements),
		"workers": args.workers,
		"backlog_jobs": backlog,
		"backlog_drained_s": round(drained, 1) if drained is not None else None,
		"jobs_per_s": round(backlog / drained, 1) if drained else None,
		"sustained": load,
		"load_average": os.getloadavg(),
	}
	print(json.dumps(results, indent=2))
	if args.json:
		with open(args.json, "w") as fh:
			json.dump(results, fh, indent=2)
	frappe.destroy()


if __name__ == "__main__":
	main()
