"""The SLA sweep escalates a page of milestones at a time (tasks/sla_escalation_batch.py): a few
statements a page, and what one complaint of the page needs (a user holds it, its level is recorded
already, an admin's script refuses it) does not stop the others."""

from __future__ import annotations

import threading
from datetime import timedelta

import frappe
import pytest
from frappe.utils import get_datetime

from complaint_mgmt.services import analytics, escalation_actions
from complaint_mgmt.tasks.sla import sweep
from tests.factories.doctypes import (
	ComplaintEscalationRuleFactory,
	ComplaintFactory,
	UserFactory,
)
from tests.integration.test_lean_intake import QueryCounter
from tests.integration.test_sweep_concurrency import SIDE_RECORDS

PAGE = 12  # complaints due at once, each one level of its acknowledgement clock
# statements of a sweep escalating them, caches warm (measured: 15 — its lock 2, the status pass 1,
# the page 10 with the role's users, the last read 1, commits aside); row by row it took 5 more
# for each escalation
STATEMENTS_FOR_A_PAGE = 18
MILESTONE = "Acknowledge"


@pytest.fixture
def one_level_at_a_quarter():
	"""Urgent acknowledgements escalate once, at 25 % of their hour (15 min), telling the agents."""
	made = {
		"User": UserFactory(roles=["Complaint Agent"]).name,
		"Complaint Escalation Rule": ComplaintEscalationRuleFactory(
			rule_name=f"Urgent acknowledgement, one early level {frappe.generate_hash(length=6)}",
			milestone=MILESTONE,
			priority="Urgent",
			levels=[
				{
					"level": 1,
					"trigger": "Percent of Target",
					"threshold": 25,
					"notify_role": "Complaint Agent",
				}
			],
		).name,
	}
	return made


def urgent(made: dict, count: int) -> tuple[list[str], object]:
	"""Fresh-goods complaints (Urgent: an hour to acknowledge, by phone: not acknowledged at once)
	and a moment 20 min after the last one came in: only the new level is due."""
	names = [ComplaintFactory(goods_category="Fresh").name for _ in range(count)]
	received = frappe.get_all("Complaint", filters={"name": ["in", names]}, pluck="received_at")
	return names, max(get_datetime(r) for r in received) + timedelta(minutes=20)


def recorded(names: list[str]) -> dict[str, list[int]]:
	found: dict[str, list[int]] = {name: [] for name in names}
	for row in frappe.get_all(
		"Complaint Escalation",
		filters={"complaint": ["in", names], "milestone": MILESTONE},
		fields=["complaint", "level"],
		order_by="level asc",
	):
		found[row.complaint].append(row.level)
	return found


def level(name: str) -> int:
	return frappe.db.get_value(
		"Complaint Milestone", {"parent": name, "milestone": MILESTONE}, "escalation_level"
	)


def test_a_page_of_escalations_takes_a_few_statements(one_level_at_a_quarter, monkeypatch):
	sent = []
	monkeypatch.setattr(escalation_actions, "send_notices", sent.extend)  # counted apart: a job
	sweep(now=urgent(one_level_at_a_quarter, 1)[1])  # warm caches, as on a running site
	names, when = urgent(one_level_at_a_quarter, PAGE)
	sent.clear()
	with QueryCounter() as counter:
		result = sweep(now=when)
	assert result["escalations"] == PAGE
	assert recorded(names) == {name: [1] for name in names}
	assert [level(name) for name in names] == [1] * PAGE
	assert len(sent) == PAGE  # each escalation tells the agents
	assert len(counter.statements) <= STATEMENTS_FOR_A_PAGE, "\n".join(counter.statements)


def test_a_level_recorded_already_is_not_recorded_again_and_the_page_goes_on(one_level_at_a_quarter):
	names, when = urgent(one_level_at_a_quarter, 3)
	row = frappe.get_all(
		"Complaint Milestone",
		filters={"parent": names[1], "milestone": MILESTONE},
		fields=["milestone", "due_at", "extensions", "status"],
	)[0]
	earlier = escalation_actions.record_escalation(
		{
			"complaint": names[1],
			"milestone": MILESTONE,
			"level": 1,
			"due_at": row.due_at,
			"escalated_at": when - timedelta(minutes=5),
			"extensions": 0,
			"reason": "recorded by an earlier sweep",
		}
	)
	sweep(now=when)
	assert recorded(names) == {names[0]: [1], names[1]: [1], names[2]: [1]}
	assert frappe.db.get_value("Complaint Escalation", earlier, "reason") == "recorded by an earlier sweep"
	assert not frappe.db.exists(
		"Error Log", {"method": ["like", "%SLA escalation failed%"], "reference_name": ["in", names]}
	)


def test_an_escalation_an_admins_script_refuses_fails_alone(one_level_at_a_quarter):
	names, when = urgent(one_level_at_a_quarter, 3)
	frappe.get_doc(
		{
			"doctype": "Server Script",
			"name": "Refuse one escalation",
			"script_type": "DocType Event",
			"reference_doctype": "Complaint Escalation",
			"doctype_event": "Before Insert",
			"script": f"if doc.complaint == '{names[1]}':\n\tfrappe.throw('not this one')",
		}
	).insert()
	try:
		sweep(now=when)
		assert recorded(names) == {names[0]: [1], names[1]: [], names[2]: [1]}
		assert [level(name) for name in names] == [1, 0, 1]
		assert frappe.db.exists(
			"Error Log", {"method": ["like", "%SLA escalation failed%"], "reference_name": names[1]}
		)
	finally:
		frappe.db.rollback()
		frappe.cache.delete_value("server_script_map")  # the rolled-back script must not linger
		frappe.db.delete("Error Log", {"reference_name": ["in", names]})  # should one outlive the test
		frappe.flags.complaint_real_commit()


def test_a_complaint_a_user_holds_is_escalated_by_the_next_sweep(one_level_at_a_quarter, committed, site):
	names, when = urgent(one_level_at_a_quarter, 3)
	for doctype, name in one_level_at_a_quarter.items():
		committed.track(doctype, name)
	for name in names:
		committed.track("Complaint", name)
	committed.commit()
	held, release, errors = threading.Event(), threading.Event(), []
	sites_path = frappe.local.sites_path

	def user_saving():  # a user's save holds the complaint's row until it commits
		try:
			frappe.init(site=site, sites_path=sites_path)
			frappe.connect()
			frappe.db.sql("SELECT `name` FROM `tabComplaint` WHERE `name` = %s FOR UPDATE", names[1])
			held.set()
			release.wait(120)
			frappe.db.rollback()
		except Exception as error:
			errors.append(error)
			held.set()
		finally:
			frappe.destroy()

	user = threading.Thread(target=user_saving)
	user.start()
	try:
		assert held.wait(60)
		sweep(now=when)
		assert recorded(names) == {names[0]: [1], names[1]: [], names[2]: [1]}
	finally:
		release.set()
		user.join(60)
	assert errors == []
	sweep(now=when)
	assert recorded(names) == {name: [1] for name in names}
	assert [level(name) for name in names] == [1, 1, 1]
	frappe.db.rollback()
	for doctype, field in SIDE_RECORDS.items():  # what the intake committed beside the complaints
		for name in frappe.get_all(doctype, filters={field: ["in", names]}, pluck="name"):
			committed.track(doctype, name)


def test_the_sweep_s_escalations_mark_their_complaints_days_for_the_analysis_rollup(
	one_level_at_a_quarter,
):
	"""Like any saved escalation, those of the sweep tell the analysis rollup their complaint's day
	(its escalation count moves), without reading the complaint again."""
	names, when = urgent(one_level_at_a_quarter, 2)
	days = [
		get_datetime(d).date()
		for d in frappe.get_all("Complaint", {"name": ["in", names]}, pluck="received_at")
	]
	analytics._forget()  # the complaints' own marks: sent (tests never commit)
	with QueryCounter() as counter:
		sweep(now=when)
	assert recorded(names) == {name: [1] for name in names}
	assert set(days) <= analytics.pending_days()
	assert not [
		q
		for q in counter.statements
		if "`tabComplaint`" in q and "received_at" in q and "for update" not in q.lower()
	]
