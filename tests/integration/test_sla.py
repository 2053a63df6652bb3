"""SLA milestones, pauses, extensions and the escalation sweep on a real site."""

from __future__ import annotations

import threading
from datetime import timedelta

import frappe
import pytest
from frappe.utils import get_datetime

from complaint_mgmt.tasks.sla import sweep
from tests.factories.doctypes import (
	ComplaintBusinessCalendarFactory,
	ComplaintEscalationRuleFactory,
	ComplaintFactory,
	ComplaintSLAPolicyFactory,
	UserFactory,
)


@pytest.fixture
def staff():
	return {
		role: UserFactory(roles=[role]).name
		for role in ("Complaint Agent", "Complaint Supervisor", "Operations Manager", "Complaint Manager")
	}


def milestone(name: str, which: str):
	return frappe.get_all(
		"Complaint Milestone",
		filters={"parent": name, "milestone": which},
		fields=[
			"name",
			"status",
			"due_at",
			"met_at",
			"escalation_level",
			"next_escalation_at",
			"target_minutes",
		],
	)[0]


def escalations(name: str) -> list[tuple[str, int]]:
	rows = frappe.get_all(
		"Complaint Escalation",
		filters={"complaint": name},
		fields=["milestone", "level"],
		order_by="level asc",
	)
	return [(r.milestone, r.level) for r in rows]


def test_urgent_complaint_gets_the_documents_deadlines(staff):
	doc = ComplaintFactory(goods_category="Fresh", channel="Hotline 400")
	received = get_datetime(doc.received_at)
	hours = {
		m: (get_datetime(milestone(doc.name, m).due_at) - received)
		for m in ("Acknowledge", "Assign", "Investigation Report")
	}
	assert hours == {
		"Acknowledge": timedelta(hours=1),
		"Assign": timedelta(hours=2),
		"Investigation Report": timedelta(hours=24),
	}
	assign = milestone(doc.name, "Assign")
	assert assign.met_at and assign.status == "Met"
	ack = milestone(doc.name, "Acknowledge")  # no SMS gateway: not acknowledged, the clock runs
	assert not ack.met_at and ack.status == "On Track"


def test_admin_changes_the_urgent_acknowledge_target_and_new_complaints_follow(staff):
	policy = frappe.get_doc("Complaint SLA Policy", "Standard")
	for row in policy.targets:
		if row.milestone == "Acknowledge" and row.priority == "Urgent":
			row.target_hours = 0.5
	policy.save()
	doc = ComplaintFactory(goods_category="Medical")
	ack = milestone(doc.name, "Acknowledge")
	assert get_datetime(ack.due_at) - get_datetime(doc.received_at) == timedelta(minutes=30)


def test_urgent_complaint_escalates_level_by_level_exactly_once(staff):
	doc = ComplaintFactory(goods_category="Fresh")
	due = get_datetime(milestone(doc.name, "Investigation Report").due_at)

	sweep(now=due - timedelta(hours=5))  # 79 % of 24 h used: level 1
	assert ("Investigation Report", 1) in escalations(doc.name)
	sweep(now=due - timedelta(hours=5))
	assert escalations(doc.name).count(("Investigation Report", 1)) == 1

	sweep(now=due + timedelta(minutes=1))  # breached: level 2
	row = milestone(doc.name, "Investigation Report")
	assert row.status == "Breached" and row.escalation_level == 2
	assert frappe.db.get_value("Complaint", doc.name, "sla_status") == "Breached"
	assert frappe.db.exists(
		"Notification Log", {"for_user": staff["Complaint Supervisor"], "document_name": doc.name}
	)

	sweep(now=due + timedelta(minutes=61))  # an hour late: level 3 brings in the manager
	sweep(now=due + timedelta(minutes=61))
	levels = [lvl for m, lvl in escalations(doc.name) if m == "Investigation Report"]
	assert levels == [1, 2, 3]
	assert frappe.db.exists(
		"Notification Log", {"for_user": staff["Complaint Manager"], "document_name": doc.name}
	)
	assert milestone(doc.name, "Investigation Report").next_escalation_at  # level 4 is scheduled


def test_a_late_sweep_applies_every_crossed_level_once(staff):
	sms = frappe.get_single("SMS Settings")
	sms.update(
		{"sms_gateway_url": "http://127.0.0.1:9/sms", "message_parameter": "text", "receiver_parameter": "to"}
	)
	sms.save()
	doc = ComplaintFactory(complaint_type="Bad Attitude")  # General, acknowledged and assigned at once
	due = get_datetime(milestone(doc.name, "Investigation Report").due_at)
	sweep(now=due + timedelta(hours=5))
	assert [lvl for m, lvl in escalations(doc.name) if m == "Investigation Report"] == [1, 2, 3, 4]
	# level 3 raised General to Important (logged); Important's shorter resolution target is then
	# breached too, and escalates in the same sweep; level 4 handed the lead to a supervisor
	raised = frappe.get_all(
		"Complaint Priority Change",
		filters={"parent": doc.name, "automatic": 1},
		fields=["from_priority", "to_priority"],
		order_by="idx asc",
	)
	assert (raised[0].from_priority, raised[0].to_priority) == ("General", "Important")
	assert ("Resolution", 1) in escalations(doc.name)
	assert frappe.db.get_value("Complaint", doc.name, "lead_owner") == staff["Complaint Supervisor"]


def test_nothing_escalates_while_the_clock_is_paused(staff):
	doc = ComplaintFactory(complaint_type="Bad Attitude")
	before = get_datetime(milestone(doc.name, "Investigation Report").due_at)
	frappe.db.set_value("Complaint", doc.name, "workflow_state", "Solution Proposed")
	paused = frappe.get_doc("Complaint", doc.name)
	paused.workflow_state = "Awaiting Customer"
	paused.save()
	row = milestone(doc.name, "Investigation Report")
	assert row.status == "Paused" and not row.next_escalation_at
	sweep(now=before + timedelta(days=3))
	assert not escalations(doc.name)


def test_one_extension_before_the_deadline_and_no_second(staff):
	from complaint_mgmt.api.complaint import grant_extension

	doc = ComplaintFactory(complaint_type="Damaged")
	before = get_datetime(milestone(doc.name, "Investigation Report").due_at)
	new_due = get_datetime(grant_extension(doc.name, 24, "等待第三方驿站调取监控"))
	assert new_due - before == timedelta(hours=24)
	assert frappe.db.exists("Comment", {"reference_name": doc.name, "content": ["like", "%extended%"]})
	assert frappe.db.exists(
		"Communication", {"reference_name": doc.name, "content": ["like", "%等待第三方驿站调取监控%"]}
	)
	with pytest.raises(frappe.ValidationError, match="Only one extension"):
		grant_extension(doc.name, 12, "再次延期")
	assert get_datetime(milestone(doc.name, "Investigation Report").due_at) == new_due


def test_business_calendar_moves_deadlines_past_closed_hours(staff):
	ComplaintBusinessCalendarFactory(calendar_name="Office Hours")
	ComplaintSLAPolicyFactory(
		policy_name="Letters",
		channel="Letter",
		calendar="Office Hours",
		at_risk_percent=80,
		targets=[{"milestone": "Investigation Report", "priority": "General", "target_hours": 9}],
	)
	friday_evening = get_datetime("2026-11-20 17:00:00")
	doc = ComplaintFactory(channel="Letter", complaint_type="Bad Attitude", received_at=friday_evening)
	assert frappe.db.get_value("Complaint", doc.name, "sla_policy") == "Letters"
	# 1 h on Friday, 8 h on Monday
	assert get_datetime(milestone(doc.name, "Investigation Report").due_at) == get_datetime(
		"2026-11-23 17:00:00"
	)


def test_two_sweeps_at_once_escalate_each_level_exactly_once(staff, committed, site):
	for user in staff.values():
		committed.track("User", user)
	doc = ComplaintFactory(goods_category="Fresh")
	committed.track("Complaint", doc.name)
	committed.commit()
	due = get_datetime(milestone(doc.name, "Investigation Report").due_at)
	when = due + timedelta(minutes=61)
	errors = []
	sites_path = frappe.local.sites_path
	threads = [threading.Thread(target=lambda: _in_site(site, sites_path, when, errors)) for _ in range(2)]
	for t in threads:
		t.start()
	for t in threads:
		t.join(60)
	assert not errors
	frappe.db.rollback()
	names = frappe.get_all("Complaint Escalation", filters={"complaint": doc.name}, pluck="name")
	for name in names:
		committed.track("Complaint Escalation", name)
	assert sorted(lvl for m, lvl in escalations(doc.name) if m == "Investigation Report") == [1, 2, 3]
	for log in frappe.get_all("Notification Log", filters={"document_name": doc.name}, pluck="name"):
		committed.track("Notification Log", log)
	for todo in frappe.get_all("ToDo", filters={"reference_name": doc.name}, pluck="name"):
		committed.track("ToDo", todo)


def _in_site(site, sites_path, when, errors):
	try:
		frappe.init(site=site, sites_path=sites_path)
		frappe.connect()
		sweep(now=when)
	except Exception as error:
		errors.append(error)
	finally:
		frappe.destroy()


def test_an_admins_server_script_runs_on_each_escalation(staff):
	frappe.get_doc(
		{
			"doctype": "Server Script",
			"name": "Escalation to comment",
			"script_type": "DocType Event",
			"reference_doctype": "Complaint Escalation",
			"doctype_event": "After Insert",
			"script": (
				"frappe.get_doc('Complaint', doc.complaint).add_comment("
				"'Comment', 'Hooked: level ' + str(doc.level))"
			),
		}
	).insert()
	doc = ComplaintFactory(goods_category="Fresh")
	due = get_datetime(milestone(doc.name, "Investigation Report").due_at)
	sweep(now=due + timedelta(minutes=1))
	hooked = frappe.get_all(
		"Comment",
		filters={"reference_name": doc.name, "content": ["like", "Hooked: level%"]},
		pluck="content",
	)
	assert "Hooked: level 1" in hooked and "Hooked: level 2" in hooked


def test_sla_monitor_lists_late_clocks_and_respects_who_sees_what(staff, as_user):
	from complaint_mgmt.complaint_management.report.complaint_sla_monitor.complaint_sla_monitor import execute

	mine = ComplaintFactory(complaint_type="Bad Attitude")
	assert frappe.db.get_value("Complaint", mine.name, "lead_owner") == staff["Complaint Agent"]
	other_agent = UserFactory(roles=["Complaint Agent"]).name
	theirs = ComplaintFactory(complaint_type="Bad Attitude")
	frappe.db.set_value("Complaint", theirs.name, {"lead_owner": other_agent, "_assign": "[]"})
	frappe.db.delete("DocShare", {"share_name": theirs.name})
	# just past the acknowledgement deadline: escalated, not yet handed to a supervisor (that
	# reassignment would rightly take the agent's access away)
	due = get_datetime(milestone(mine.name, "Acknowledge").due_at)
	sweep(now=due + timedelta(minutes=1))

	_, rows = execute({"status": "Breached", "milestone": "Acknowledge"})
	assert {mine.name, theirs.name} <= {r.complaint for r in rows}
	as_user(staff["Complaint Agent"])
	_, rows = execute({"status": "Breached"})
	names = {r.complaint for r in rows}
	assert mine.name in names and theirs.name not in names


def test_a_policy_change_re_times_open_complaints(staff):
	from complaint_mgmt.tasks.sla import recompute_policy

	doc = ComplaintFactory(goods_category="Fresh")
	policy = frappe.get_doc("Complaint SLA Policy", "Standard")
	for row in policy.targets:
		if row.milestone == "Investigation Report" and row.priority == "Urgent":
			row.target_hours = 12
	policy.save()
	assert recompute_policy("Standard") >= 1
	due = get_datetime(milestone(doc.name, "Investigation Report").due_at)
	assert due - get_datetime(doc.received_at) == timedelta(hours=12)


def test_a_priority_specific_escalation_rule_wins_over_the_general_one(staff):
	ComplaintEscalationRuleFactory(
		rule_name="Urgent investigation, early warning",
		priority="Urgent",
		levels=[{"level": 1, "trigger": "Percent of Target", "threshold": 25, "notify_owners": 1}],
	)
	doc = ComplaintFactory(goods_category="Fresh")
	row = milestone(doc.name, "Investigation Report")
	assert get_datetime(row.next_escalation_at) - get_datetime(doc.received_at) == timedelta(hours=6)
	sweep(now=get_datetime(doc.received_at) + timedelta(hours=7))
	assert [e for e in escalations(doc.name) if e[0] == "Investigation Report"] == [
		("Investigation Report", 1)
	]


def test_invalid_admin_policies_are_refused_with_a_clear_message():
	with pytest.raises(frappe.ValidationError, match="must fire later than level 1"):
		ComplaintEscalationRuleFactory(
			levels=[
				{"level": 1, "trigger": "Percent of Target", "threshold": 80, "notify_owners": 1},
				{"level": 2, "trigger": "Percent of Target", "threshold": 50, "notify_owners": 1},
			]
		)
	with pytest.raises(frappe.ValidationError, match="already the default"):
		ComplaintSLAPolicyFactory(is_default=1)
	with pytest.raises(frappe.ValidationError):
		ComplaintBusinessCalendarFactory(
			working_hours=[{"weekday": "Monday", "start_time": "09:00:00", "end_time": "09:00:00"}]
		)
