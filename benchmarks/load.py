"""Production-mode load test: gunicorn and RQ workers on loopback, guests filing complaints on the
portal form while logged-in agents list, open and update complaints in the desk.

Run with ``benchmarks/run load`` (it prepares a dedicated site of the bench); or inside a bench:
``cd sites && ../env/bin/python ../apps/complaint_mgmt/benchmarks/load.py --site S``.

The script starts gunicorn (``--web-workers``) and RQ workers (``--rq-workers``) itself on a free
loopback port, sends ``--submissions`` portal submissions from ``--clients`` concurrent guests
(``POST /api/method/frappe.website.doctype.web_form.web_form.accept``, each with a unique waybill
number) and runs ``--agents`` desk clients meanwhile, then stops everything it started. It is
bounded: each request times out after 120 s, the load after ``--max-seconds``, the catch-up wait
after ``--catch-up-seconds``. It reports lost (accepted but not stored), failed, duplicated, HTTP
statuses (5xx), p50/p95 latencies, and how long the side effects (background jobs, assignment
notifications, requests still in gunicorn's backlog) took to catch up after the load.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from urllib.parse import urlencode

import frappe

ACCEPT = "/api/method/frappe.website.doctype.web_form.web_form.accept"
TIMEOUT = 120  # as nginx's proxy_read_timeout and gunicorn's -t in production
OUTBOX = "Load Test Outbox"


def free_port() -> int:
	with socket.socket() as probe:
		probe.bind(("127.0.0.1", 0))
		return probe.getsockname()[1]


def prepare(agents: int) -> tuple[list[str], list[str]]:
	"""Agents with API keys (the desk clients), an outgoing mail account, the types a guest may pick."""
	credentials = []
	for i in range(agents):
		email = f"load-agent-{i}@load.invalid"
		if not frappe.db.exists("User", email):
			frappe.get_doc(
				{
					"doctype": "User",
					"email": email,
					"first_name": f"Load Agent {i}",
					"send_welcome_email": 0,
					"roles": [{"role": "Complaint Agent"}],
				}
			).insert(ignore_permissions=True)
		user = frappe.get_doc("User", email)
		user.api_key = user.api_key or frappe.generate_hash(length=15)
		secret = frappe.generate_hash(length=15)
		user.api_secret = secret
		user.save(ignore_permissions=True)
		credentials.append(f"token {user.api_key}:{secret}")
	if not frappe.db.exists("Email Account", OUTBOX):
		# as in production, mail is queued; nothing listens on its port and no scheduler flushes it
		account = frappe.get_doc(
			{
				"doctype": "Email Account",
				"email_account_name": OUTBOX,
				"email_id": "complaints@load.invalid",
				"enable_outgoing": 1,
				"default_outgoing": 1,
				"smtp_server": "127.0.0.1",
				"smtp_port": free_port(),
				"no_smtp_authentication": 1,
			}
		)
		account.flags.ignore_validate = True
		account.insert(ignore_permissions=True)
	# the clients play nginx on loopback: their X-Forwarded-For names each customer (rate limits)
	settings = frappe.get_single("Complaint Settings")
	if "127.0.0.1" not in (settings.trusted_proxies or "").split():
		settings.trusted_proxies = "\n".join(filter(None, [settings.trusted_proxies, "127.0.0.1"]))
		settings.save(ignore_permissions=True)
	types = frappe.get_all("Complaint Type", filters={"is_group": 0, "enabled": 1}, pluck="name")
	frappe.db.commit()
	return credentials, types


def start(port: int, web_workers: int, rq_workers: int, log_dir: str) -> list[subprocess.Popen]:
	"""gunicorn and RQ workers as a production bench runs them (same Python, same sites dir)."""
	bin_dir = os.path.dirname(sys.executable)
	commands = [
		[
			os.path.join(bin_dir, "gunicorn"),
			"-b",
			f"127.0.0.1:{port}",
			"-w",
			str(web_workers),
			"-t",
			"120",
			"--graceful-timeout",
			"30",
			"--preload",
			"frappe.app:application",
		]
	]
	worker = [sys.executable, "-m", "frappe.utils.bench_helper", "frappe", "worker"]
	commands += [[*worker, "--queue", "short,default,long"] for _ in range(rq_workers)]
	processes = []
	for n, command in enumerate(commands):
		log = open(os.path.join(log_dir, f"load-{'web' if n == 0 else f'worker-{n}'}.log"), "ab")
		processes.append(subprocess.Popen(command, stdout=log, stderr=log, start_new_session=True))
	return processes


def stop(processes: list[subprocess.Popen]) -> None:
	for process in processes:
		if process.poll() is None:
			os.killpg(process.pid, signal.SIGTERM)
	deadline = time.monotonic() + 30
	for process in processes:
		try:
			process.wait(max(0.1, deadline - time.monotonic()))
		except subprocess.TimeoutExpired:
			os.killpg(process.pid, signal.SIGKILL)


class Client:
	"""One keep-alive connection; returns (status, seconds), status 0 for a connection failure."""

	def __init__(self, port: int, site: str, auth: str | None = None):
		self.port, self.headers = port, {"Host": site, "X-Frappe-Site-Name": site}
		if auth:
			self.headers["Authorization"] = auth
		self.conn = None

	def request(self, method: str, path: str, body: str | None = None, form: bool = False, address=None):
		headers = dict(self.headers)
		if address:
			# nginx sets the customer's address; each customer is one address (guest rate limits)
			headers["X-Forwarded-For"] = address
		if body is not None:
			headers["Content-Type"] = "application/x-www-form-urlencoded" if form else "application/json"
		started = time.perf_counter()
		try:
			if self.conn is None:
				self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=TIMEOUT)
			self.conn.request(method, path, body=body, headers=headers)
			response = self.conn.getresponse()
			payload = response.read()
			return response.status, time.perf_counter() - started, payload
		except (OSError, http.client.HTTPException):
			self.conn = None
			return 0, time.perf_counter() - started, b""


def wait_until_up(port: int, site: str, seconds: int = 90) -> None:
	deadline = time.monotonic() + seconds
	while time.monotonic() < deadline:
		if Client(port, site).request("GET", "/api/method/ping")[0] == 200:
			return
		time.sleep(1)
	raise SystemExit(f"gunicorn did not answer within {seconds} s")


def submission(run: str, i: int, types: list[str], rng: random.Random) -> tuple[str, str]:
	waybill = f"LD{run}{i:06d}"
	data = {
		"doctype": "Complaint",
		"web_form_name": "complaint",
		"customer_name": f"负载客户{i}",
		"customer_phone": f"139{rng.randrange(10**8):08d}",
		"customer_email": f"load-{run}-{i}@example.com" if i % 2 else "",
		"waybill_no": waybill,
		"complaint_type": rng.choice(types),
		"expected_resolution": "Apology",
		"description": f"<p>快件延误 {waybill}</p>",
	}
	return waybill, urlencode({"web_form": "complaint", "data": json.dumps(data, ensure_ascii=False)})


def portal_load(args, port, run, types, deadline, results) -> None:
	counter = iter(range(args.submissions))
	lock = threading.Lock()

	def guest(n: int) -> None:
		client, rng = Client(port, args.site), random.Random(n)
		while time.monotonic() < deadline:
			with lock:
				i = next(counter, None)
			if i is None:
				return
			waybill, body = submission(run, i, types, rng)
			address = f"10.{i >> 16 & 255}.{i >> 8 & 255}.{i & 255}"
			status, seconds, _payload = client.request("POST", ACCEPT, body, form=True, address=address)
			with lock:
				results["portal"].append((waybill, status, seconds))

	threads = [threading.Thread(target=guest, args=(n,)) for n in range(args.clients)]
	for thread in threads:
		thread.start()
	for thread in threads:
		thread.join()


def desk_load(port, site, auth, stop_event, results, lock) -> None:
	"""An agent: list their complaints, open one, update it; again until the portal load ends."""
	client, rng = Client(port, site, auth), random.Random(auth)
	listing = "/api/resource/Complaint?" + urlencode(
		{
			"fields": json.dumps(["name", "workflow_state", "priority"]),
			"limit_page_length": 20,
			"order_by": "modified desc",
		}
	)
	while not stop_event.is_set():
		status, seconds, payload = client.request("GET", listing)
		calls = [("list", status, seconds)]
		names = [row["name"] for row in json.loads(payload or b"{}").get("data", [])] if status == 200 else []
		if names:
			name = rng.choice(names)
			status, seconds, _ = client.request(
				"GET", f"/api/method/frappe.desk.form.load.getdoc?doctype=Complaint&name={name}"
			)
			calls.append(("open", status, seconds))
			body = json.dumps({"expected_resolution_detail": f"called back {time.time():.0f}"})
			status, seconds, _ = client.request("PUT", f"/api/resource/Complaint/{name}", body)
			calls.append(("update", status, seconds))
		else:
			time.sleep(0.5)
		with lock:
			results["desk"].extend(calls)


def percentile(values: list[float], share: float) -> float | None:
	if not values:
		return None
	ordered = sorted(values)
	return round(ordered[min(len(ordered) - 1, int(share * len(ordered)))] * 1000, 1)


def stored(waybills: list[str]) -> Counter:
	rows = frappe.get_all("Complaint", filters={"waybill_no": ["in", waybills]}, pluck="waybill_no")
	return Counter(rows)


def caught_up(names: list[str]) -> bool:
	"""Background queues drained and every assigned complaint's assignment notification written."""
	from frappe.utils.background_jobs import get_queue_list, get_redis_conn
	from rq import Queue
	from rq.registry import StartedJobRegistry

	conn = get_redis_conn()
	for name in get_queue_list():
		queue = Queue(name, connection=conn)
		if queue.count or StartedJobRegistry(queue=queue).count:
			return False
	frappe.db.rollback()
	assigned = frappe.get_all(
		"Complaint", filters={"name": ["in", names], "lead_owner": ["is", "set"]}, pluck="name"
	)
	notified = frappe.get_all(
		"Notification Log",
		filters={"document_type": "Complaint", "document_name": ["in", assigned], "type": "Assignment"},
		pluck="document_name",
		distinct=True,
	)
	return len(set(notified)) == len(assigned)


def main() -> None:
	parser = argparse.ArgumentParser()
	parser.add_argument("--site", required=True)
	parser.add_argument("--sites-path", default=".")
	parser.add_argument("--submissions", type=int, default=2000)
	parser.add_argument("--clients", type=int, default=50)
	parser.add_argument("--agents", type=int, default=5)
	parser.add_argument("--web-workers", type=int, default=4)
	parser.add_argument("--rq-workers", type=int, default=2)
	parser.add_argument("--max-seconds", type=int, default=900)
	parser.add_argument("--catch-up-seconds", type=int, default=300)
	parser.add_argument("--json", help="also write the results to this file")
	args = parser.parse_args()

	frappe.init(site=args.site, sites_path=args.sites_path)
	frappe.connect()
	credentials, types = prepare(args.agents)
	errors_before = frappe.db.count("Error Log")
	run = f"{random.randrange(10**4):04d}"
	port = free_port()
	processes = start(port, args.web_workers, args.rq_workers, frappe.get_site_path("logs"))
	results: dict[str, list] = {"portal": [], "desk": []}
	try:
		wait_until_up(port, args.site)
		started = time.monotonic()
		stop_event, lock = threading.Event(), threading.Lock()
		desk = [
			threading.Thread(target=desk_load, args=(port, args.site, auth, stop_event, results, lock))
			for auth in credentials
		]
		for thread in desk:
			thread.start()
		portal_load(args, port, run, types, started + args.max_seconds, results)
		load_seconds = time.monotonic() - started
		stop_event.set()
		for thread in desk:
			thread.join(TIMEOUT + 5)

		waybills = [waybill for waybill, _status, _s in results["portal"]]
		accepted = [waybill for waybill, status, _s in results["portal"] if status == 200]
		waited = time.monotonic()
		names: list[str] = []
		# a request the client gave up on may still be stored: wait for gunicorn's backlog too
		while time.monotonic() - waited < args.catch_up_seconds:
			frappe.db.rollback()
			names = frappe.get_all(
				"Complaint", filters={"waybill_no": ["in", waybills or [""]]}, pluck="name"
			)
			if len(names) >= len(waybills) and caught_up(names):
				break
			time.sleep(0.5)
		catch_up = time.monotonic() - waited
		complete = caught_up(names)
		counts = stored(waybills)
	finally:
		stop(processes)

	portal_seconds = [s for _w, status, s in results["portal"] if status == 200]
	desk_seconds = [s for _k, status, s in results["desk"] if status == 200]
	report = {
		"config": {
			k: getattr(args, k) for k in ("submissions", "clients", "agents", "web_workers", "rq_workers")
		},
		"load_seconds": round(load_seconds, 1),
		"portal": {
			"sent": len(results["portal"]),
			"accepted": len(accepted),
			"stored": sum(1 for waybill in accepted if counts[waybill]),
			"lost": sum(1 for waybill in accepted if not counts[waybill]),
			"duplicated": sum(1 for count in counts.values() if count > 1),
			"timed_out": sum(1 for _w, status, _s in results["portal"] if status == 0),
			"never_stored": sum(1 for waybill in waybills if not counts[waybill]),
			"not_accepted_but_stored": sum(
				1 for w, status, _s in results["portal"] if status != 200 and counts[w]
			),
			"statuses": dict(Counter(str(status) for _w, status, _s in results["portal"])),
			"p50_ms": percentile(portal_seconds, 0.5),
			"p95_ms": percentile(portal_seconds, 0.95),
			"per_second": round(len(accepted) / load_seconds, 1) if load_seconds else None,
		},
		"desk": {
			kind: {
				"requests": sum(1 for k, _st, _s in results["desk"] if k == kind),
				"statuses": dict(Counter(str(st) for k, st, _s in results["desk"] if k == kind)),
				"p50_ms": percentile([s for k, st, s in results["desk"] if k == kind and st == 200], 0.5),
				"p95_ms": percentile([s for k, st, s in results["desk"] if k == kind and st == 200], 0.95),
			}
			for kind in ("list", "open", "update")
		},
		"desk_p50_ms": percentile(desk_seconds, 0.5),
		"desk_p95_ms": percentile(desk_seconds, 0.95),
		"http_5xx": sum(1 for _w, st, _s in results["portal"] + results["desk"] if st >= 500),
		"side_effects_caught_up_seconds": round(catch_up, 1) if complete else None,
		"error_log_entries": frappe.db.count("Error Log") - errors_before,
	}
	print(json.dumps(report, indent=1, ensure_ascii=False))
	if args.json:
		with open(args.json, "w") as f:
			json.dump(report, f, indent=1, ensure_ascii=False)
	frappe.destroy()


if __name__ == "__main__":
	main()
