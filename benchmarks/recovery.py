"""Customer recovery benchmark (issue 12): the Customer Recovery report over N complaints and M
shipments, and the shipment API's rows per second — each beside the naive way.

Run with ``benchmarks/run recovery --complaints 100000 --shipments 2000000`` (the issue's sizes;
it prepares a dedicated site of the bench); or inside a bench:
``cd sites && ../env/bin/python ../apps/complaint_mgmt/benchmarks/recovery.py --site S``.

Setup (bulk SQL, not measured): N closed complaints of N/2 customers over the past year and M
shipments of those customers, before and after their complaints. Measured:
- the rebuild of the report's rollup (``services.recovery_stat.rebuild``);
- the report over the whole year (``services.recovery_report``: one grouped statement on the
  rollup), best of 3;
- the same figures from the raw records (``services.recovery_check``: indexed lookups per
  customer, the report's way before the rollup), best of 3, checked equal to the report's;
- the naive report: per complaint, the complaint document and its customer's shipments through
  the ORM — on a sample of ``--naive-sample`` complaints, extrapolated to N;
- ``services.shipments.ingest`` (what the API calls) on ``--api-rows`` new rows in batches of 5,000,
  against one ORM insert per row on ``--naive-rows`` rows.
Everything it created is deleted at the end.
"""

from __future__ import annotations

import argparse
import json
import random
import time
from datetime import timedelta

import frappe
from frappe.utils import now_datetime

MARK = "BENCHRCV"


def insert(doctype: str, fields: tuple, rows: list[tuple]) -> None:
	from complaint_mgmt.services.importing import insert_many

	insert_many(doctype, fields, rows, chunk=2000)


def setup(complaints: int, shipments: int, now) -> None:
	rng = random.Random(12)
	customers = max(1, complaints // 2)
	stamp = ("Administrator", "Administrator")
	insert(
		"Complaint Customer",
		(
			"name",
			"creation",
			"modified",
			"owner",
			"modified_by",
			"customer_key",
			"phone_key",
			"customer_tier",
		),
		[
			(f"{MARK}C{i:07d}", now, now, *stamp, f"1{i:010d}", f"1{i:010d}", "Standard")
			for i in range(customers)
		],
	)
	rows = []
	closures = {}
	for i in range(complaints):
		customer = i % customers
		received = now - timedelta(minutes=rng.randrange(24 * 60, 360 * 24 * 60))
		closed = received + timedelta(hours=rng.randrange(4, 150))
		closures[customer] = max(closures.get(customer, closed), closed)
		head = (f"{MARK}{i:08d}", now, now, *stamp, f"{MARK} complaint", "Closed", "General", "Delay")
		rows.append(
			(
				*head,
				"Hotline 400",
				received,
				closed,
				f"{MARK}C{customer:07d}",
				f"1{customer:010d}",
				"上海-北京",
			)
		)
	insert("Complaint", COMPLAINT_FIELDS, rows)
	frappe.db.commit()  # a table is created next (Frappe refuses DDL inside a transaction with writes)
	frappe.db.sql("create temporary table bench_closure (c int primary key, closed datetime(6))")
	insert_rows("bench_closure", ("c", "closed"), sorted(closures.items()))
	for first in range(0, shipments, SHIPMENT_CHUNK):
		last = min(first + SHIPMENT_CHUNK, shipments) - 1
		frappe.db.sql(SHIPMENTS_SQL.format(first=first, last=last), shipment_params(customers, now))
		frappe.db.commit()
	frappe.db.sql("drop temporary table bench_closure")
	frappe.db.commit()


# the shipments are made by the database from MariaDB's sequence table, 250,000 per statement (a
# hash of the number picks the customer, the day from 200 before to 120 after their last closure,
# the freight): ~20× faster than sending them as multi-row INSERTs from Python
SHIPMENT_CHUNK = 250_000
SHIPMENTS_SQL = """
insert into `tabCustomer Shipment` (name, creation, modified, owner, modified_by, waybill_no, customer,
	customer_key, shipped_at, freight, source)
select concat(%(mark)s, 'S', lpad(s.seq, 9, '0')), %(now)s, %(now)s, 'Administrator', 'Administrator',
	concat(%(mark)s, 'S', lpad(s.seq, 9, '0')), concat(%(mark)s, 'C', lpad(k.c, 7, '0')),
	concat('1', lpad(k.c, 10, '0')),
	least(k.closed + interval floor(crc32(concat('d', s.seq)) / 4294967296 * 320 * 86400 - 200 * 86400) second,
		%(latest)s),
	8 + crc32(concat('f', s.seq)) %% 52, %(mark)s
from seq_{first}_to_{last} s join bench_closure k on k.c = crc32(concat('c', s.seq)) %% %(customers)s"""


def shipment_params(customers: int, now) -> dict:
	return {"mark": MARK, "now": now, "latest": now - timedelta(minutes=1), "customers": customers}


def insert_rows(table: str, fields: tuple, rows: list[tuple]) -> None:
	columns = ", ".join(fields)
	one = "(" + ", ".join(["%s"] * len(fields)) + ")"
	for start in range(0, len(rows), 5000):
		part = rows[start : start + 5000]
		values = [v for row in part for v in row]
		frappe.db.sql(f"insert into {table} ({columns}) values {', '.join([one] * len(part))}", values)


COMPLAINT_FIELDS = ("name", "creation", "modified", "owner", "modified_by", "subject", "workflow_state")
COMPLAINT_FIELDS += ("priority", "complaint_type", "channel", "received_at", "closed_at", "customer")
COMPLAINT_FIELDS += ("customer_key", "route")


def naive_report(sample: int, window_days: int) -> float:
	"""Per complaint: the document, then its customer's shipments, compared in Python."""
	names = frappe.get_all("Complaint", filters={"name": ["like", f"{MARK}%"]}, pluck="name", limit=sample)
	start = time.perf_counter()
	retained = 0
	for name in names:
		doc = frappe.get_doc("Complaint", name)
		shipped = frappe.get_all(
			"Customer Shipment", filters={"customer": doc.customer}, fields=["shipped_at", "freight"]
		)
		after = [s.shipped_at for s in shipped if s.shipped_at > doc.closed_at]
		retained += bool(after and min(after) - doc.closed_at <= timedelta(days=window_days))
	return (time.perf_counter() - start) / max(len(names), 1)


def best_of_3(run) -> tuple[float, object]:
	timings, result = [], None
	for _ in range(3):
		start = time.perf_counter()
		result = run()
		timings.append(time.perf_counter() - start)
	return round(min(timings), 3), result


def api_rows(count: int, now, prefix: str, customers: int) -> list[dict]:
	"""New shipments, every other one of a customer who complained (their rollup rows move)."""
	rng = random.Random(13)
	fmt = "%Y-%m-%d %H:%M:%S"
	return [
		{
			"waybill_no": f"{prefix}{n:09d}",
			"customer": f"+86 1{rng.randrange(customers):010d}"
			if n % 2
			else f"+86 1{rng.randrange(10**9, 10**10)}",
			"shipped_at": (now - timedelta(minutes=rng.randrange(1, 10**5))).strftime(fmt),
			"freight": rng.randrange(8, 60),
		}
		for n in range(count)
	]


def clean() -> None:
	for doctype, field in (
		("Customer Recovery Stat", "name"),
		("Customer Shipment", "name"),
		("Complaint", "name"),
		("Complaint Customer", "name"),
	):
		frappe.db.sql(f"delete from `tab{doctype}` where `{field}` like %s", (f"{MARK}%",))
		frappe.db.commit()


def main() -> None:
	parser = argparse.ArgumentParser()
	parser.add_argument("--site", required=True)
	parser.add_argument("--sites-path", default=".")
	parser.add_argument("--complaints", type=int, default=10_000)
	parser.add_argument("--shipments", type=int, default=200_000)
	parser.add_argument("--naive-sample", type=int, default=500)
	parser.add_argument("--api-rows", type=int, default=20_000)
	parser.add_argument("--naive-rows", type=int, default=500)
	parser.add_argument("--json", help="also write the results to this file")
	args = parser.parse_args()

	frappe.init(site=args.site, sites_path=args.sites_path)
	frappe.connect()
	frappe.set_user("Administrator")
	now = now_datetime()
	clean()
	try:
		results = measure(args, now)
	finally:
		clean()
	print(json.dumps(results, indent=2))
	if args.json:
		with open(args.json, "w") as fh:
			json.dump(results, fh, indent=2)
	frappe.destroy()


def measure(args, now) -> dict:
	from complaint_mgmt.engine import recovery as rules
	from complaint_mgmt.services import recovery_check, recovery_report, recovery_stat, shipments

	started = time.perf_counter()
	setup(args.complaints, args.shipments, now)
	results = {"complaints": args.complaints, "shipments": args.shipments}
	results["setup_s"] = round(time.perf_counter() - started, 1)
	start = time.perf_counter()
	rebuilt = recovery_stat.rebuild()
	results["rollup_rebuild_s"] = round(time.perf_counter() - start, 1)
	results["rollup_rows"] = rebuilt["rows"]
	window = recovery_stat.window_days()
	filters = frappe._dict(
		from_date=(now - timedelta(days=366)).date(), to_date=now.date(), window_days=window
	)
	results["report_s"], effects = best_of_3(lambda: recovery_report.effects(filters))
	results["report_customers"] = effects[0].customers
	results["report_recovery_rate"] = effects[0].recovery_rate
	results["raw_s"], raw = best_of_3(lambda: rules.effects(recovery_check.raw_cases(filters), window))
	results["raw_equals_report"] = [e.as_dict() for e in raw] == [e.as_dict() for e in effects]
	per_complaint = naive_report(args.naive_sample, window)
	results["naive_report_sample"] = args.naive_sample
	results["naive_report_s_extrapolated"] = round(per_complaint * args.complaints, 1)

	rows = api_rows(args.api_rows, now, f"{MARK}S9", max(1, args.complaints // 2))
	start = time.perf_counter()
	for at in range(0, len(rows), 5000):
		shipments.ingest(rows[at : at + 5000])
		frappe.db.commit()
	results["api_rows"] = args.api_rows
	results["api_rows_per_s"] = round(args.api_rows / (time.perf_counter() - start))
	start = time.perf_counter()
	for row in api_rows(args.naive_rows, now, f"{MARK}S8", max(1, args.complaints // 2)):
		row["customer_key"] = row.pop("customer")
		frappe.get_doc({"doctype": "Customer Shipment", **row}).insert(ignore_permissions=True)
	frappe.db.commit()
	results["naive_rows"] = args.naive_rows
	results["naive_rows_per_s"] = round(args.naive_rows / (time.perf_counter() - start))
	return results


if __name__ == "__main__":
	main()
