"""Bulk import of historical complaints: priority and clocks as of their dates, bad rows refused,
a re-run imports nothing twice, nothing is sent."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import frappe
import pytest
from frappe.utils import now_datetime

from complaint_mgmt.services.importing import import_rows, read_table, reasons_csv

HEADER = [
	"intake_reference", "received_at", "channel", "complaint_type", "customer_name", "customer_phone",
	"goods_category", "status", "acknowledged_at", "assigned_at", "closed_at",
]  # fmt: skip


def at(hours_ago: float) -> str:
	return (now_datetime() - timedelta(hours=hours_ago)).strftime("%Y-%m-%d %H:%M:%S")


def rows():
	# received 10 days ago: fresh goods, closed in 20 h with every clock met in time
	fresh = [
		"OLD-1",
		at(240),
		"Hotline 400",
		"Delay",
		"王芳",
		"13812345678",
		"Fresh",
		"",
		at(239.5),
		at(239),
		at(220),
	]
	# received 10 days ago: acknowledged after 3 h (2 h target), closed after 4 days
	late = [
		"OLD-2",
		at(240),
		"Email",
		"Delay",
		"李娜",
		"13912345678",
		"",
		"Closed",
		at(237),
		at(236),
		at(144),
	]
	# received 60 h ago, still under investigation: its 48 h report clock ran out
	open_ = [
		"OLD-3",
		at(60),
		"Hotline 400",
		"Damaged",
		"张伟",
		"13712345678",
		"",
		"Investigating",
		at(59),
		at(58),
		"",
	]
	return [fresh, late, open_]


def by_reference(reference: str):
	name = frappe.db.get_value("Complaint", {"intake_reference": reference})
	return frappe.get_doc("Complaint", name) if name else None


def outgoing() -> dict:
	return {
		dt: frappe.db.count(dt)
		for dt in ("Email Queue", "Communication", "Notification Log", "ToDo", "Comment")
	}


def test_good_rows_get_priority_and_clocks_judged_by_their_recorded_times():
	result = import_rows(HEADER, rows(), commit=False)
	assert (result.imported, result.skipped, result.refused) == (3, 0, [])

	fresh = by_reference("OLD-1")
	assert fresh.priority == "Urgent"
	assert "fresh" in fresh.priority_reason.lower()
	assert fresh.workflow_state == "Closed" and fresh.sla_status == "Met"
	assert {row.status for row in fresh.milestones} == {"Met"}
	assert fresh.name.startswith("CMP-")

	late = by_reference("OLD-2")
	clocks = {row.milestone: row for row in late.milestones}
	assert late.priority == "General"
	assert clocks["Acknowledge"].status == "Breached"  # met, but an hour after its deadline
	assert clocks["Acknowledge"].met_at > clocks["Acknowledge"].due_at
	assert clocks["Resolution"].status == "Met"  # 96 h against 120 h
	assert late.sla_status == "Breached"

	open_ = by_reference("OLD-3")
	clocks = {row.milestone: row for row in open_.milestones}
	assert open_.priority == "Important"
	assert clocks["Investigation Report"].status == "Breached"
	assert clocks["Investigation Report"].met_at is None
	assert clocks["Resolution"].status == "At Risk"  # 60 h of 72 h used
	# 12 h past its deadline: every level's moment passed before the import; none fires again
	assert clocks["Investigation Report"].escalation_level == 4
	assert clocks["Investigation Report"].next_escalation_at is None
	assert clocks["Resolution"].next_escalation_at > now_datetime()  # its breach is still to come
	assert open_.sla_status == "Breached"


def test_bad_rows_are_refused_with_reasons_and_nothing_of_them_is_stored():
	bad_channel = ["BAD-1", at(10), "Pigeon", "Delay", "王芳", "13812345678", "", "", "", "", ""]
	bad_phone = ["BAD-2", at(10), "Email", "Delay", "李娜", "12345", "", "", "", "", ""]
	twice = rows()[0][:]
	result = import_rows(HEADER, [rows()[0], bad_channel, bad_phone, twice], commit=False)
	assert result.imported == 1
	assert result.refused_rows == 3
	assert frappe.db.count("Complaint", {"intake_reference": ["like", "BAD-%"]}) == 0
	assert frappe.db.count("Complaint Milestone", {"parent": ["like", "BAD-%"]}) == 0
	reasons = list(csv.reader(io.StringIO(reasons_csv(result.refused))))
	assert reasons[0] == ["Row", "Column", "Reason"]
	assert ["3", "channel", "Unknown channel Pigeon"] in reasons
	assert ["4", "customer_phone", "Phone number 12345 is not valid"] in reasons
	assert ["5", "intake_reference", "OLD-1 is already on row 2"] in reasons


def test_a_second_run_skips_what_the_first_imported():
	first = import_rows(HEADER, rows()[:2], commit=False)  # interrupted after two rows
	again = import_rows(HEADER, rows(), commit=False)
	assert (first.imported, again.imported, again.skipped) == (2, 1, 2)
	assert frappe.db.count("Complaint", {"intake_reference": ["like", "OLD-%"]}) == 3
	assert frappe.db.count("Complaint Milestone", {"parent": ["in", first.names + again.names]}) == 3 * 4


def test_nothing_is_sent_to_customers_or_staff(outbox):
	before = outgoing()
	import_rows(HEADER, rows(), commit=False)
	assert outgoing() == before
	assert by_reference("OLD-3").ack_status == "Sent"  # the old system acknowledged it


def test_an_unknown_column_refuses_the_file():
	with pytest.raises(frappe.ValidationError, match="Unknown columns: colour"):
		import_rows([*HEADER, "colour"], rows(), commit=False)


def test_a_spreadsheet_reads_like_a_csv():
	from openpyxl import Workbook

	book = Workbook()
	sheet = book.active
	sheet.append(HEADER)
	for row in rows():
		sheet.append(row)
	content = io.BytesIO()
	book.save(content)
	header, body = read_table(content.getvalue(), "history.xlsx")
	assert import_rows(header, body, commit=False).imported == 3


def attach(content: bytes, file_name: str) -> str:
	file = frappe.get_doc({"doctype": "File", "file_name": file_name, "content": content, "is_private": 1})
	return file.insert(ignore_permissions=True).file_url


def csv_bytes(header, body) -> bytes:
	out = io.StringIO()
	csv.writer(out).writerows([header, *body])
	return out.getvalue().encode()


def test_the_desk_import_runs_in_a_job_and_leaves_counts_and_a_reason_file(monkeypatch):
	from complaint_mgmt.api.importing import start

	published = []
	monkeypatch.setattr(frappe, "publish_progress", lambda percent, **kw: published.append(percent))
	bad = ["BAD-1", at(10), "Pigeon", "Delay", "王芳", "13812345678", "", "", "", "", ""]
	url = attach(csv_bytes(HEADER, [*rows(), bad]), "history.csv")
	doc = frappe.get_doc({"doctype": "Complaint Import", "import_file": url}).insert()

	start(doc.name)

	doc.reload()
	assert (doc.status, doc.imported, doc.skipped, doc.refused) == ("Completed", 3, 0, 1)
	assert published[-1] == 100
	reasons = frappe.get_doc("File", {"file_url": doc.reasons_file}).get_content()
	reasons = reasons.decode() if isinstance(reasons, bytes) else reasons
	assert "Unknown channel Pigeon" in reasons
	start(doc.name)  # again: everything is already there
	doc.reload()
	assert (doc.imported, doc.skipped) == (0, 3)


def test_a_file_the_import_cannot_read_fails_with_the_reason():
	from complaint_mgmt.api.importing import start

	url = attach(csv_bytes(["colour", *HEADER], []), "history.csv")
	doc = frappe.get_doc({"doctype": "Complaint Import", "import_file": url}).insert()
	start(doc.name)
	doc.reload()
	assert doc.status == "Failed"
	assert "Unknown columns: colour" in doc.error
