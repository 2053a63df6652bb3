"""Customer recovery benchmark (issue 12): the Customer Recovery report over N complaints and M
shipments, and the shipment API's rows per second — each beside the naive way.

Run with ``benchmarks/run recovery --complaints 100000 --shipments 2000000`` (the issue's sizes;
it prepares a dedicated site of the bench); or inside a bench:
``cd sites && ../env/bin/python ../apps/complaint_mgmt/benchmarks/recovery.py --site S``.

Setup (bulk SQL, not measured): N closed complaints of N/2 customers over the past year and M
shipments of those customers, before and after their complaints. Measured:
- the report's cohort query and computation over the whole year (``services.recovery_report``);
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
	batch = []
	for n in range(shipments):
		customer = rng.randrange(customers)
		at = closures[customer] + timedelta(days=rng.uniform(-200, 120))
		at = min(at, now - timedelta(minutes=1))
		head = (f"{MARK}S{n:09d}", now, now, *stamp, f"{MARK}S{n:09d}")
		batch.append((*head, f"{MARK}C{customer:07d}", f"1{customer:010d}", at, rng.randrange(8, 60), MARK))
		if len(batch) == 20000:
			insert("Customer Shipment", SHIPMENT_FIELDS, batch)
			batch = []
	insert("Customer Shipment", SHIPMENT_FIELDS, batch)
	frappe.db.commit()


COMPLAINT_FIELDS = ("name", "creation", "modified", "owner", "modified_by", "subject", "workflow_state")
COMPLAINT_FIELDS += ("priority", "complaint_type", "channel", "received_at", "closed_at", "customer")
COMPLAINT_FIELDS += ("customer_key", "route")
SHIPMENT_FIELDS = ("name", "creation", "modified", "owner", "modified_by", "waybill_no", "customer")
SHIPMENT_FIELDS += ("customer_key", "shipped_at", "freight", "source")


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


def api_rows(count: int, now, prefix: str) -> list[dict]:
	rng = random.Random(13)
	fmt = "%Y-%m-%d %H:%M:%S"
	return [
		{
			"waybill_no": f"{prefix}{n:09d}",
			"customer": f"+86 1{rng.randrange(10**9, 10**10)}",
			"shipped_at": (now - timedelta(minutes=rng.randrange(1, 10**5))).strftime(fmt),
			"freight": rng.randrange(8, 60),
		}
		for n in range(count)
	]


def clean() -> None:
	for doctype, field in (
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
	from complaint_mgmt.services import recovery_report, shipments

	started = time.perf_counter()
	setup(args.complaints, args.shipments, now)
	results = {"complaints": args.complaints, "shipments": args.shipments}
	results["setup_s"] = round(time.perf_counter() - started, 1)
	window = 90
	filters = frappe._dict(
		from_date=(now - timedelta(days=366)).date(), to_date=now.date(), window_days=window
	)
	timings = []
	for _ in range(3):
		start = time.perf_counter()
		effects = recovery_report.effects(filters)
		timings.append(time.perf_counter() - start)
	results["report_s"] = round(min(timings), 3)
	results["report_customers"] = effects[0].customers
	results["report_recovery_rate"] = effects[0].recovery_rate
	per_complaint = naive_report(args.naive_sample, window)
	results["naive_report_sample"] = args.naive_sample
	results["naive_report_s_extrapolated"] = round(per_complaint * args.complaints, 1)

	rows = api_rows(args.api_rows, now, f"{MARK}S9")
	start = time.perf_counter()
	for at in range(0, len(rows), 5000):
		shipments.ingest(rows[at : at + 5000])
		frappe.db.commit()
	results["api_rows"] = args.api_rows
	results["api_rows_per_s"] = round(args.api_rows / (time.perf_counter() - start))
	start = time.perf_counter()
	for row in api_rows(args.naive_rows, now, f"{MARK}S8"):
		row["customer_key"] = row.pop("customer")
		frappe.get_doc({"doctype": "Customer Shipment", **row}).insert(ignore_permissions=True)
	frappe.db.commit()
	results["naive_rows"] = args.naive_rows
	results["naive_rows_per_s"] = round(args.naive_rows / (time.perf_counter() - start))
	return results


if __name__ == "__main__":
	main()
