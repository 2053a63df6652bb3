"""The SLA sweep beside other sweeps and beside users: real commits, each worker in its own thread
with its own database connection, as scheduler workers and web workers run on a server."""

from __future__ import annotations

import threading
import time
from datetime import timedelta

import frappe
import pytest
from frappe.utils import get_datetime, now_datetime

from complaint_mgmt.services import notify
from complaint_mgmt.tasks import sla as sla_task
from tests.factories.doctypes import ComplaintFactory, UserFactory

LATE = 24  # complaints whose investigation report is an hour overdue
SIDE_RECORDS = {
	"Complaint Escalation": "complaint",
	"Notification Log": "document_name",
	"ToDo": "reference_name",
	"Comment": "reference_name",
	"Version": "docname",
	"Email Queue": "reference_name",
	"Communication": "reference_name",
}


@pytest.fixture
def late(committed):
	"""Urgent complaints (fresh goods: 24 h to the investigation report), committed for the workers;
	returns their names and a moment an hour after the last one's deadline."""
	started = now_datetime()
	agent = UserFactory(roles=["Complaint Agent"]).name
	committed.track("User", agent)
	names = []
	for i in range(LATE):
		doc = ComplaintFactory(goods_category="Fresh", route=f"R{i}-{frappe.generate_hash(length=6)}")
		committed.track("Complaint", doc.name)
		names.append(doc.name)
	committed.commit()
	due = frappe.get_all(
		"Complaint Milestone",
		filters={"parent": ["in", names], "milestone": "Investigation Report"},
		pluck="due_at",
	)
	yield names, max(get_datetime(d) for d in due) + timedelta(minutes=61)
	frappe.db.rollback()
	for doctype, field in SIDE_RECORDS.items():
		for name in frappe.get_all(doctype, filters={field: ["in", names]}, pluck="name"):
			committed.track(doctype, name)
	for name in frappe.get_all("Error Log", filters={"creation": [">=", started]}, pluck="name"):
		committed.track("Error Log", name)


def in_thread(site: str, sites_path: str, work, results: list, errors: list):
	def run():
		try:
			frappe.init(site=site, sites_path=sites_path)
			frappe.connect()
			frappe.set_user("Administrator")
			results.append(work())
		except Exception as error:
			errors.append(error)
		finally:
			frappe.destroy()

	return threading.Thread(target=run)


def levels_recorded(names: list[str]) -> dict[str, list[int]]:
	rows = frappe.get_all(
		"Complaint Escalation",
		filters={"complaint": ["in", names], "milestone": "Investigation Report"},
		fields=["complaint", "level"],
		order_by="level asc",
	)
	found: dict[str, list[int]] = {name: [] for name in names}
	for row in rows:
		found[row.complaint].append(row.level)
	return found


def test_two_sweeps_at_once_both_end_cleanly_and_no_escalation_is_repeated(late, site):
	names, when = late
	results, errors = [], []
	sites_path = frappe.local.sites_path
	workers = [
		in_thread(site, sites_path, lambda: sla_task.sweep(now=when), results, errors) for _ in range(2)
	]
	for worker in workers:
		worker.start()
	for worker in workers:
		worker.join(600)
	assert errors == []
	assert sorted(r["skipped"] for r in results) == [0, 1]  # the second saw the first and left
	frappe.db.rollback()
	assert levels_recorded(names) == {name: [1, 2, 3] for name in names}
	assert not frappe.db.exists("Error Log", {"method": ["like", "%SLA escalation failed%"]})


def test_a_users_save_waits_for_at_most_one_complaint_of_a_running_sweep(late, site, monkeypatch):
	names, when = late

	def slow_mail_server(*args, **kwargs):
		time.sleep(0.25)

	# each escalation notifies people; a slow mail server makes each one take a while
	monkeypatch.setattr(notify, "users", slow_mail_server)
	sites_path = frappe.local.sites_path
	results, errors = [], []
	sweeper = in_thread(site, sites_path, lambda: sla_task.sweep(now=when), results, errors)

	def users_save():
		doc = frappe.get_doc("Complaint", names[-1])
		doc.resolution_summary = "客户来电补充了签收照片"
		begun = time.monotonic()
		doc.save()
		frappe.db.commit()
		return time.monotonic() - begun

	saves = []
	user = in_thread(site, sites_path, users_save, saves, errors)
	sweeper.start()
	time.sleep(3)  # the sweep is escalating by now (it takes about 20 s)
	user.start()
	user.join(600)
	sweeper.join(600)
	assert errors == []
	assert saves[0] < 5, f"the save waited {saves[0]:.1f} s"
	assert results[0]["escalations"] >= 3 * LATE  # the site's other open complaints may be late too
	frappe.db.rollback()
	assert levels_recorded(names) == {name: [1, 2, 3] for name in names}
