"""Realistic demo data: a month of Chinese express-delivery complaints.

Most of the month is history: complaints received over the past days with their lifecycle
already recorded (acknowledged, assigned, investigated, resolved, closed or rejected) go through
the bulk import (``services.importing``: priority by the rules, clocks judged by their recorded
times), then get their owners, investigations, escalations, surveys, incidents and compensations.
The last hours' complaints are recorded through the full intake, as the desk would.

Every record carries an intake reference ``DEMO-nnnnnn``; running again creates only the
missing ones, so the command is safe to repeat and to extend with a larger ``--count``.
"""

from __future__ import annotations

import random
import secrets
import time
from datetime import timedelta

import frappe
from frappe.utils import now_datetime

from complaint_mgmt import demo_records, demo_recovery, demo_rows
from complaint_mgmt.engine import importing as import_rules
from complaint_mgmt.services.import_book import ImportBook
from complaint_mgmt.services.importing import import_rows

DEMO_DOMAIN = "demo.complaint.localhost"
STAFF = (
	("agent1", "王", "芳", ["Complaint Agent"]),
	("agent2", "李", "娜", ["Complaint Agent"]),
	("agent3", "张", "伟", ["Complaint Agent"]),
	("agent4", "刘", "洋", ["Complaint Agent"]),
	("supervisor1", "陈", "静", ["Complaint Supervisor"]),
	("supervisor2", "杨", "磊", ["Complaint Supervisor"]),
	("manager1", "赵", "敏", ["Complaint Manager"]),
	("ops1", "黄", "强", ["Operations Manager"]),
	("ops2", "周", "杰", ["Operations Manager"]),
	("warehouse1", "吴", "军", ["Department Manager"]),
	("transport1", "徐", "涛", ["Department Manager"]),
	("delivery1", "孙", "丽", ["Department Manager"]),
	("finance1", "马", "超", ["Department Manager", "Complaint Finance"]),
	("it1", "朱", "明", ["Department Manager"]),
	("cs1", "胡", "婷", ["Department Manager"]),
	("risk1", "郭", "勇", ["Risk Manager"]),
	("quality1", "林", "霞", ["Quality Manager"]),
	("gm1", "何", "刚", ["General Manager"]),
)
DEPARTMENT_OF = {
	"warehouse1": "Warehouse",
	"transport1": "Transport",
	"delivery1": "Delivery",
	"finance1": "Finance",
	"it1": "IT",
	"cs1": "Customer Service",
}


def ensure_staff() -> None:
	for login, last, first, roles in STAFF:
		email = f"{login}@{DEMO_DOMAIN}"
		if not frappe.db.exists("User", email):
			password = secrets.token_urlsafe(12)  # each demo user their own, shown once below
			frappe.get_doc(
				{
					"doctype": "User",
					"email": email,
					"first_name": first,
					"last_name": last,
					"language": "zh",
					"time_zone": frappe.db.get_single_value("System Settings", "time_zone"),
					"send_welcome_email": 0,
					"new_password": password,
					"roles": [{"role": role} for role in roles],
				}
			).insert(ignore_permissions=True)
			print(frappe._("Demo user {0}: password {1} (shown only now)").format(email, password))
		# demo addresses are fictitious: their bell notifications stay, emails about them do not
		if frappe.db.exists("Notification Settings", email):
			frappe.db.set_value("Notification Settings", email, "enable_email_notifications", 0)
		department = DEPARTMENT_OF.get(login)
		if department:
			dep = frappe.get_doc("Complaint Department", department)
			if not dep.manager:
				dep.manager = email
				dep.append("members", {"user": email, "active": 1})
				dep.save(ignore_permissions=True)


def _staff() -> dict[str, list[str]]:
	"""Demo users by role, and department managers by department."""
	found: dict[str, list[str]] = {}
	for login, _last, _first, roles in STAFF:
		for role in roles:
			found.setdefault(role, []).append(f"{login}@{DEMO_DOMAIN}")
		if login in DEPARTMENT_OF:
			found.setdefault(DEPARTMENT_OF[login], []).append(f"{login}@{DEMO_DOMAIN}")
	return found


def _record_live(rows: list[dict]) -> None:
	"""The last hours' complaints, recorded through the full intake as the desk does."""
	live = {"doctype": "Complaint"}
	for row in rows:
		doc = {
			**live,
			**{k: v for k, v in row.items() if k in demo_rows.HEADER and k not in import_rules.CLOCK_ONLY},
		}
		for column in ("status", "acknowledged_at", "assigned_at", "closed_at"):
			doc.pop(column, None)
		frappe.get_doc(doc).insert(ignore_permissions=True)


def make_demo(count: int = 2000, days: int = 30, commit: bool = True, echo=None) -> int:
	"""Create the missing demo complaints ``DEMO-000001`` … ``count``; returns how many were created."""
	echo = echo or (lambda text: None)
	started = time.perf_counter()

	def say(text: str) -> None:
		echo(f"[{time.perf_counter() - started:5.1f} s] {text}")

	muted = frappe.flags.mute_emails
	frappe.flags.mute_emails = True  # the demo's customers and staff are fictitious
	try:
		return _load(count, days, commit, say)
	finally:
		frappe.flags.mute_emails = muted


def _load(count: int, days: int, commit: bool, say) -> int:
	ensure_staff()
	now = now_datetime()
	book = ImportBook(now)
	channels = sorted(c for c in book.rules.channels if c != "Customer Portal")
	existing = set(
		frappe.get_all(
			"Complaint", filters={"intake_reference": ["like", "DEMO-%"]}, pluck="intake_reference"
		)
	)
	rows = []
	for index in range(1, count + 1):
		if f"DEMO-{index:06d}" in existing:
			continue
		rng = random.Random(index)
		facts = demo_rows.facts_of(rng, index, channels, now, days)
		demo_rows.lifecycle(rng, facts, book, now)
		rows.append(facts)
	live = [r for r in rows if now - r["received_at"] < timedelta(hours=demo_rows.LIVE_HOURS)]
	history = [r for r in rows if r not in live]
	say(
		f"{len(rows)} demo complaints to create: {len(history)} from the past month, {len(live)} of the last hours"
	)

	result = import_rows(
		demo_rows.HEADER,
		[[r.get(c) for c in demo_rows.HEADER] for r in history],
		commit=commit,
		progress=lambda done, total: say(f"history imported: {done}/{total}"),
	)
	if result.refused:
		raise ValueError(f"demo rows refused: {result.refused[:3]}")
	named = dict(zip([r["intake_reference"] for r in history], result.names, strict=True))
	for row in history:
		row["name"] = named[row["intake_reference"]]
	rng = random.Random(count)
	staff = _staff()
	demo_records.set_owners(history, staff, rng)
	say(f"owners set; {demo_records.investigations(history, rng)} investigations")
	say(
		f"{demo_records.escalations(result.clocks)} escalations recorded; {demo_records.surveys(history, rng, now)} surveys"
	)
	say(f"{demo_records.incidents(history)} group incidents")
	candidates = sorted(
		(
			r
			for r in history
			if demo_rows.compensated(int(r["intake_reference"][5:])) and r["status"] != "Rejected"
		),
		key=lambda r: r["received_at"],
	)
	paid_count = len(demo_records.PAID)
	paid = demo_records.paid_compensations(candidates[:paid_count], staff, now)
	under_way = demo_records.compensations(
		candidates[paid_count : paid_count + len(demo_records.PLAN)], staff
	)
	say(f"{paid} compensations paid, {under_way} under way through the approval workflow")
	say(demo_recovery.load(history, now, count))
	_record_live(live)
	say(f"{len(live)} complaints recorded through the full intake")
	say(_analysis_pages(now))
	if commit:
		frappe.db.commit()
	return len(rows)


def _analysis_pages(now) -> str:
	"""What the scheduler would fill in over time: the rollup behind the reports and cards, the
	early-warning scan, last month's and this month's analysis reports, the triage model."""
	from complaint_mgmt.services import analysis_report, analytics, early_warning, triage_model

	rollup = analytics.rebuild()
	alerts = early_warning.scan()
	reports = {analysis_report.generate(), analysis_report.generate(now.date())}
	model = triage_model.train()
	triage = model.get("message") or f"too few closed complaints to train ({model.get('labelled')})"
	return (
		f"rollup {rollup['rows']} rows; {len(alerts)} alerts; analysis reports {', '.join(sorted(reports))};"
		f" triage: {triage}"
	)


# records that point at a complaint, and the field that does
LINKED_RECORDS = {
	"ToDo": "reference_name",
	"Comment": "reference_name",
	"Notification Log": "document_name",
	"DocShare": "share_name",
}


def remove_demo() -> int:
	"""Delete the demo complaints and what hangs off them (the demo staff stays)."""
	names = frappe.get_all("Complaint", filters={"intake_reference": ["like", "DEMO-%"]}, pluck="name")
	for start in range(0, len(names), 1000):
		chunk = names[start : start + 1000]
		for child in ("Complaint Milestone", "Complaint Priority Change", "Complaint Evidence"):
			frappe.db.delete(child, {"parent": ["in", chunk], "parenttype": "Complaint"})
		frappe.db.delete("Complaint Escalation", {"complaint": ["in", chunk]})
		demo_recovery.remove(chunk)
		for doctype, children in (
			("Complaint Investigation", ("Complaint Investigation Evidence",)),
			("Compensation", ("Compensation Line", "Compensation Payment Attempt")),
		):
			records = frappe.get_all(doctype, filters={"complaint": ["in", chunk]}, pluck="name")
			for child in children:
				frappe.db.delete(child, {"parent": ["in", records or [""]], "parenttype": doctype})
			frappe.db.delete(doctype, {"name": ["in", records or [""]]})
		surveys = frappe.get_all("Complaint Survey", filters={"complaint": ["in", chunk]}, pluck="name")
		frappe.db.delete("Notification Log", {"document_name": ["in", surveys or [""]]})
		frappe.db.delete("Complaint Survey", {"name": ["in", surveys or [""]]})
		for doctype, field in LINKED_RECORDS.items():
			frappe.db.delete(doctype, {field: ["in", chunk]})
		frappe.db.delete("Complaint", {"name": ["in", chunk]})
	linked = frappe.get_all("Complaint", filters={"incident": ["is", "set"]}, pluck="incident", distinct=True)
	frappe.db.delete("Complaint Incident", {"name": ["not in", linked or [""]]})
	frappe.db.commit()
	return len(names)
