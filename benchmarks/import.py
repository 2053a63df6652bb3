"""Bulk import benchmark: rows per second over a large historical file.

Run with ``benchmarks/run import`` (it prepares a dedicated site of the bench); or inside a bench:
``cd sites && ../env/bin/python ../apps/complaint_mgmt/benchmarks/import.py --site S``.

It writes a CSV of ROWS complaints received over the past year (most closed, some open or
rejected, 1 % bad rows), then measures in one run:
- the import of the whole file (priority, SLA clocks, bulk inserts, a commit per chunk),
- the same file again (every row already imported: skipped),
and removes what it imported.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import tempfile
import time
from datetime import timedelta

import frappe
from frappe.utils import now_datetime

MARK = "BENCHIMP-"
HEADER = [
	"intake_reference", "received_at", "channel", "complaint_type", "customer_name", "customer_phone",
	"waybill_no", "goods_category", "goods_value", "group_size", "status", "acknowledged_at", "assigned_at",
	"closed_at", "rejected_at", "rejection_reason",
]  # fmt: skip
CHANNELS = ("Hotline 400", "Online Chat", "Email", "SMS", "Walk-in")
TYPES = ("Delay", "Damaged", "Parcel Lost", "Bad Attitude", "Wrong Freight", "Tracking Anomaly")


def write_file(path: str, rows: int, now) -> None:
	rng = random.Random(11)
	fmt = "%Y-%m-%d %H:%M:%S"
	with open(path, "w", newline="", encoding="utf-8") as fh:
		out = csv.writer(fh)
		out.writerow(HEADER)
		for i in range(rows):
			received = now - timedelta(minutes=rng.randrange(60, 365 * 24 * 60))
			ack = received + timedelta(minutes=rng.randrange(5, 150))
			assigned = received + timedelta(minutes=rng.randrange(10, 400))
			end = received + timedelta(hours=rng.randrange(4, 150))
			status = rng.choices(("Closed", "Investigating", "Rejected"), (90, 7, 3))[0]
			if end > now:
				status = "Investigating"
			row = [
				f"{MARK}{i:07d}", received.strftime(fmt), rng.choice(CHANNELS), rng.choice(TYPES),
				"客户", f"13{rng.randrange(10**8, 10**9)}", f"SF{rng.randrange(10**11, 10**12)}",
				rng.choices(("General", "Fresh", "Medical"), (92, 6, 2))[0], rng.randrange(10, 3000),
				1, status, ack.strftime(fmt), assigned.strftime(fmt),
				end.strftime(fmt) if status == "Closed" else "", end.strftime(fmt) if status == "Rejected" else "",
				"不属于本公司责任" if status == "Rejected" else "",
			]  # fmt: skip
			if i % 100 == 99:
				row[2] = "Carrier Pigeon"  # a bad row: refused with its reason
			out.writerow(row)


def clean() -> None:
	complaint = frappe.qb.DocType("Complaint")
	names = (
		frappe.qb.from_(complaint)
		.select(complaint.name)
		.where(complaint.intake_reference.like(f"{MARK}%"))
		.run(pluck=True)
	)
	for start in range(0, len(names), 5000):
		chunk = names[start : start + 5000]
		frappe.db.delete("Complaint Milestone", {"parent": ["in", chunk]})
		frappe.db.delete("Complaint", {"name": ["in", chunk]})
	frappe.db.commit()


def main() -> None:
	parser = argparse.ArgumentParser()
	parser.add_argument("--site", required=True)
	parser.add_argument("--sites-path", default=".")
	parser.add_argument("--rows", type=int, default=50_000)
	parser.add_argument("--json", help="also write the results to this file")
	args = parser.parse_args()

	frappe.init(site=args.site, sites_path=args.sites_path)
	frappe.connect()
	frappe.set_user("Administrator")
	from complaint_mgmt.services.importing import import_file

	clean()
	folder = tempfile.mkdtemp()
	path = os.path.join(folder, "history.csv")
	write_file(path, args.rows, now_datetime())
	start, cpu = time.perf_counter(), time.process_time()
	result, reasons = import_file(path)
	first, first_cpu = time.perf_counter() - start, time.process_time() - cpu
	start = time.perf_counter()
	again, _ = import_file(path)
	second = time.perf_counter() - start
	results = {
		"rows": args.rows,
		"imported": result.imported,
		"refused_rows": result.refused_rows,
		"import_s": round(first, 2),
		"rows_per_s": round(args.rows / first),
		"import_cpu_s": round(first_cpu, 2),  # this process only: the rest is the database and the machine
		"rerun_skipped": again.skipped,
		"rerun_imported": again.imported,
		"rerun_s": round(second, 2),
		"rerun_rows_per_s": round(args.rows / second),
	}
	clean()
	os.remove(path)
	if reasons:
		os.remove(reasons)
	os.rmdir(folder)
	print(json.dumps(results, indent=2))
	if args.json:
		with open(args.json, "w") as fh:
			json.dump(results, fh, indent=2)
	frappe.destroy()


if __name__ == "__main__":
	main()
