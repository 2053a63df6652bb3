"""Every path a person takes stops, meets or starts the SLA clocks it should (issue 9, items 0–3)."""

from __future__ import annotations

from datetime import timedelta
from unittest.mock import patch

import frappe
import pytest
from frappe.model.workflow import apply_workflow
from frappe.utils import get_datetime

from complaint_mgmt.tasks.sla import sweep
from tests.factories.doctypes import ComplaintFactory, UserFactory


@pytest.fixture
def staff():
	return {
		role: UserFactory(roles=[role]).name
		for role in (
			"Complaint Agent",
			"Complaint Supervisor",
			"Operations Manager",
			"Complaint Manager",
			"Department Manager",
		)
	}


def clocks(name: str) -> dict[str, frappe._dict]:
	rows = frappe.get_all(
		"Complaint Milestone",
		filters={"parent": name},
		fields=[
			"milestone",
			"status",
			"due_at",
			"met_at",
			"stopped_at",
			"next_escalation_at",
			"started_at",
			"clock_round",
			"escalation_level",
		],
	)
	return {row.milestone: row for row in rows}


def escalations(name: str) -> list[tuple[str, int]]:
	rows = frappe.get_all(
		"Complaint Escalation", filters={"complaint": name}, fields=["milestone", "level"], order_by="level"
	)
	return [(r.milestone, r.level) for r in rows]


def notified(name: str) -> list[str]:
	return frappe.get_all("Notification Log", filters={"document_name": name}, pluck="subject")


def reject(name: str, supervisor: str):
	frappe.set_user(supervisor)
	doc = frappe.get_doc("Complaint", name)
	doc.rejection_reason = "经核实不属于本公司责任范围。"
	doc.save()
	rejected = apply_workflow(frappe.get_doc("Complaint", name), "Reject")
	frappe.set_user("Administrator")
	return rejected


# ------------------------------------------------------------------ item 0: terminal states
def test_a_rejected_complaint_gets_no_escalation_when_its_clocks_pass_due(staff):
	doc = ComplaintFactory(complaint_type="Bad Attitude")
	frappe.db.set_value("Complaint", doc.name, "workflow_state", "New")
	due = get_datetime(clocks(doc.name)["Resolution"].due_at)
	reject(doc.name, staff["Complaint Supervisor"])

	rows = clocks(doc.name)
	for milestone in ("Investigation Report", "Resolution"):
		assert rows[milestone].status == "Stopped", milestone
		assert rows[milestone].stopped_at and not rows[milestone].next_escalation_at
	assert frappe.db.get_value("Complaint", doc.name, "sla_status") == "Stopped"
	before = len(notified(doc.name))
	sweep(now=due + timedelta(days=2))
	assert escalations(doc.name) == []
	assert len(notified(doc.name)) == before
	assert clocks(doc.name)["Resolution"].status == "Stopped"


def test_the_sweep_leaves_a_complaint_alone_that_was_rejected_behind_the_forms_back(staff):
	"""A state written straight to the database (an import, a script) is caught by the sweep."""
	doc = ComplaintFactory(complaint_type="Bad Attitude")
	frappe.db.set_value("Complaint", doc.name, "workflow_state", "Rejected")
	due = get_datetime(clocks(doc.name)["Investigation Report"].due_at)
	sweep(now=due + timedelta(hours=5))
	assert escalations(doc.name) == []
	assert clocks(doc.name)["Investigation Report"].status == "Stopped"
	assert open_todos(doc.name) == []


def test_closing_meets_the_resolution_clock_stops_the_rest_and_starts_the_survey(staff):
	doc = ComplaintFactory(
		complaint_type="Bad Attitude", no_further_demand=1, resolution_summary="已向客户解释并致歉。"
	)
	frappe.db.set_value("Complaint", doc.name, "workflow_state", "Resolved")
	frappe.db.set_value(
		"Complaint Milestone", {"parent": doc.name, "milestone": "Acknowledge"}, "met_at", None
	)
	closed = apply_workflow(frappe.get_doc("Complaint", doc.name), "Close")
	rows = clocks(closed.name)
	assert rows["Resolution"].status == "Met"
	assert rows["Acknowledge"].status == "Stopped" and not rows["Acknowledge"].next_escalation_at
	assert rows["Survey"].status == "On Track" and rows["Survey"].next_escalation_at


def test_a_state_the_admin_adds_and_marks_terminal_stops_the_clocks(staff, settings):
	if not frappe.db.exists("Workflow State", "Withdrawn"):
		frappe.get_doc({"doctype": "Workflow State", "workflow_state_name": "Withdrawn"}).insert()
	if not frappe.db.exists("Workflow Action Master", "Withdraw"):
		frappe.get_doc({"doctype": "Workflow Action Master", "workflow_action_name": "Withdraw"}).insert()
	workflow = frappe.get_doc("Workflow", "Complaint Workflow")
	workflow.append("states", {"state": "Withdrawn", "doc_status": "0", "allow_edit": "Complaint Supervisor"})
	workflow.append(
		"transitions",
		{"state": "New", "action": "Withdraw", "next_state": "Withdrawn", "allowed": "Complaint Supervisor"},
	)
	workflow.save()
	settings(terminal_states=[{"workflow_state": "Withdrawn"}])
	doc = ComplaintFactory(complaint_type="Bad Attitude")
	frappe.db.set_value("Complaint", doc.name, "workflow_state", "New")
	frappe.set_user(staff["Complaint Supervisor"])
	apply_workflow(frappe.get_doc("Complaint", doc.name), "Withdraw")
	assert clocks(doc.name)["Investigation Report"].status == "Stopped"


def test_reopening_a_rejected_complaint_resumes_its_clocks_without_the_rejected_time(staff):
	doc = ComplaintFactory(complaint_type="Bad Attitude")
	frappe.db.set_value("Complaint", doc.name, "workflow_state", "New")
	due = get_datetime(clocks(doc.name)["Investigation Report"].due_at)
	reject(doc.name, staff["Complaint Supervisor"])
	stopped_at = get_datetime(clocks(doc.name)["Investigation Report"].stopped_at)
	frappe.set_user(staff["Complaint Supervisor"])
	later = stopped_at + timedelta(hours=10)
	with patch("complaint_mgmt.services.sla.now_datetime", return_value=later):
		apply_workflow(frappe.get_doc("Complaint", doc.name), "Reopen")
	row = clocks(doc.name)["Investigation Report"]
	assert not row.stopped_at and row.status in ("On Track", "At Risk")
	assert get_datetime(row.due_at) - due == timedelta(hours=10)
	assert row.next_escalation_at


def test_the_patch_stops_the_clocks_of_complaints_already_rejected(staff):
	from complaint_mgmt.patches.v0_3.stop_clocks_of_finished_complaints import execute

	doc = ComplaintFactory(complaint_type="Bad Attitude")
	frappe.db.set_value("Complaint", doc.name, "workflow_state", "Rejected")
	assert clocks(doc.name)["Resolution"].next_escalation_at
	execute()
	execute()  # idempotent
	rows = clocks(doc.name)
	assert rows["Resolution"].status == "Stopped" and not rows["Resolution"].next_escalation_at
	assert rows["Assign"].status == "Met"
	assert frappe.db.get_value("Complaint", doc.name, "sla_status") == "Stopped"


# ------------------------------------------------------------------ item 1: a person meets the clocks
@pytest.fixture
def no_agents():
	"""Only a supervisor exists: a General complaint finds nobody in its pool and stays unassigned."""
	return UserFactory(roles=["Complaint Supervisor"]).name


def unassigned_complaint(**values):
	doc = ComplaintFactory(complaint_type="Bad Attitude", **values)
	assert not frappe.db.get_value("Complaint", doc.name, "lead_owner")
	assert not clocks(doc.name)["Assign"].met_at
	return doc


def test_an_acknowledgement_made_by_phone_is_recorded_and_meets_the_clock(staff, as_user):
	from frappe.utils import add_to_date, now_datetime

	from complaint_mgmt.api.complaint import record_acknowledgement

	two_hours_ago = add_to_date(now_datetime(), hours=-2).replace(microsecond=0)
	# no SMS gateway: the automatic acknowledgement failed
	doc = ComplaintFactory(complaint_type="Bad Attitude", received_at=two_hours_ago)
	assert frappe.db.get_value("Complaint", doc.name, "ack_status") == "Failed"
	frappe.db.set_value("Complaint", doc.name, "workflow_state", "New")
	called = get_datetime(doc.received_at) + timedelta(minutes=40)
	as_user(staff["Complaint Agent"])
	record_acknowledgement(doc.name, "Phone", str(called), "客户已知悉,将在72小时内答复")

	saved = frappe.get_doc("Complaint", doc.name)
	assert (saved.ack_status, saved.acknowledged_by) == ("Recorded", staff["Complaint Agent"])
	assert get_datetime(saved.acknowledged_at) == called
	assert saved.workflow_state == "Acknowledged"
	ack = clocks(doc.name)["Acknowledge"]
	assert ack.status == "Met" and get_datetime(ack.met_at) == called and not ack.next_escalation_at
	assert frappe.db.exists(
		"Communication",
		{"reference_name": doc.name, "communication_medium": "Phone", "content": ["like", "%72小时%"]},
	)
	with pytest.raises(frappe.ValidationError, match="already acknowledged"):
		record_acknowledgement(doc.name, "SMS")


def test_a_manual_acknowledgement_in_the_future_or_before_the_complaint_is_refused(staff):
	from complaint_mgmt.api.complaint import record_acknowledgement

	doc = ComplaintFactory(complaint_type="Bad Attitude")
	received = get_datetime(doc.received_at)
	for when, message in (
		(received + timedelta(days=1), "in the future"),
		(received - timedelta(hours=1), "cannot be earlier"),
	):
		with pytest.raises(frappe.ValidationError, match=message):
			record_acknowledgement(doc.name, "Phone", str(when))
	with pytest.raises(frappe.ValidationError, match="Choose how"):
		record_acknowledgement(doc.name, "Carrier pigeon")
	assert not frappe.db.get_value("Complaint", doc.name, "acknowledged_at")


def test_the_desks_assign_to_meets_the_assign_clock_and_names_the_owner(no_agents):
	from frappe.desk.form.assign_to import add

	doc = unassigned_complaint()
	add({"assign_to": [no_agents], "doctype": "Complaint", "name": doc.name, "description": "请跟进"})
	assert frappe.db.get_value("Complaint", doc.name, "lead_owner") == no_agents
	assign = clocks(doc.name)["Assign"]
	assert assign.status == "Met" and not assign.next_escalation_at


def test_a_bulk_assignment_from_the_list_meets_every_assign_clock(no_agents):
	import json

	from frappe.desk.form.assign_to import add_multiple

	first, second = unassigned_complaint(), unassigned_complaint()
	add_multiple(
		{
			"assign_to": json.dumps([no_agents]),
			"doctype": "Complaint",
			"name": json.dumps([first.name, second.name]),
		}
	)
	for doc in (first, second):
		assert clocks(doc.name)["Assign"].status == "Met"
		assert frappe.db.get_value("Complaint", doc.name, "lead_owner") == no_agents


def test_an_admins_assignment_rule_meets_the_assign_clock(no_agents):
	frappe.get_doc(
		{
			"doctype": "Assignment Rule",
			"__newname": "Complaints to the supervisor",
			"document_type": "Complaint",
			"description": "未分派的投诉交给主管",
			"assign_condition": "not lead_owner",
			"rule": "Round Robin",
			"users": [{"user": no_agents}],
			"assignment_days": [
				{"day": day}
				for day in ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
			],
		}
	).insert()
	doc = ComplaintFactory(complaint_type="Bad Attitude")
	assert frappe.db.get_value("Complaint", doc.name, "lead_owner") == no_agents
	assert clocks(doc.name)["Assign"].status == "Met"


def test_an_empty_department_pool_falls_back_to_the_agents(staff):
	from tests.factories.doctypes import ComplaintDepartmentFactory, ComplaintTypeFactory

	empty = ComplaintDepartmentFactory().name
	kind = ComplaintTypeFactory(department=empty, default_priority="Important").name
	doc = ComplaintFactory(complaint_type=kind)
	assert frappe.db.get_value("Complaint", doc.name, ["priority", "lead_owner"]) == (
		"Important",
		staff["Complaint Agent"],
	)
	assert clocks(doc.name)["Assign"].status == "Met"


def test_an_owner_chosen_on_the_form_is_assigned_and_meets_the_clock(no_agents):
	doc = ComplaintFactory(complaint_type="Bad Attitude", lead_owner=no_agents)
	assert open_todos(doc.name) == [no_agents]
	assert clocks(doc.name)["Assign"].status == "Met"


# ------------------------------------------------------------------ item 2: assignments close
def open_todos(name: str) -> list[str]:
	return frappe.get_all(
		"ToDo",
		filters={"reference_name": name, "reference_type": "Complaint", "status": "Open"},
		pluck="allocated_to",
	)


def test_reassignment_removes_the_previous_owner_on_the_timeline_and_their_access(staff):
	from complaint_mgmt.services.assignment import reassign

	agent, other = staff["Complaint Agent"], UserFactory(roles=["Complaint Agent"]).name
	doc = ComplaintFactory(complaint_type="Bad Attitude")
	assert open_todos(doc.name) == [agent]
	reassign(doc.name, agent, other, doc.subject)
	assert open_todos(doc.name) == [other]
	assert frappe.db.exists("Comment", {"reference_name": doc.name, "comment_type": "Assignment Completed"})
	assert not frappe.has_permission(
		"Complaint", "read", doc=frappe.get_doc("Complaint", doc.name), user=agent
	)
	assert frappe.has_permission("Complaint", "read", doc=frappe.get_doc("Complaint", doc.name), user=other)


def test_changing_the_lead_owner_on_the_form_moves_the_assignment(staff):
	agent, other = staff["Complaint Agent"], UserFactory(roles=["Complaint Agent"]).name
	doc = ComplaintFactory(complaint_type="Bad Attitude")
	current = frappe.get_doc("Complaint", doc.name)
	current.lead_owner = other
	current.save()
	assert open_todos(doc.name) == [other]
	assert (
		frappe.db.get_value("ToDo", {"reference_name": doc.name, "allocated_to": agent}, "status")
		== "Cancelled"
	)


def test_removing_the_leads_assignment_in_the_desk_hands_the_lead_on(staff):
	from frappe.desk.form.assign_to import add, remove

	agent, other = staff["Complaint Agent"], UserFactory(roles=["Complaint Agent"]).name
	doc = ComplaintFactory(complaint_type="Bad Attitude")
	add({"assign_to": [other], "doctype": "Complaint", "name": doc.name})
	remove("Complaint", doc.name, agent)
	assert frappe.db.get_value("Complaint", doc.name, "lead_owner") == other


def test_rejecting_closes_the_open_assignments_and_reopening_restores_them(staff):
	from complaint_mgmt.services.assignment import open_load

	agent = staff["Complaint Agent"]
	doc = ComplaintFactory(complaint_type="Bad Attitude")
	frappe.db.set_value("Complaint", doc.name, "workflow_state", "New")
	load = open_load([agent]).get(agent, 0)
	reject(doc.name, staff["Complaint Supervisor"])
	assert open_todos(doc.name) == []
	assert (
		frappe.db.get_value("ToDo", {"reference_name": doc.name, "allocated_to": agent}, "status") == "Closed"
	)
	assert open_load([agent]).get(agent, 0) == load - 1  # load balancing sees the freed capacity
	frappe.set_user(staff["Complaint Supervisor"])
	apply_workflow(frappe.get_doc("Complaint", doc.name), "Reopen")
	assert open_todos(doc.name) == [agent]


def test_closing_a_complaint_closes_its_assignments(staff):
	doc = ComplaintFactory(
		complaint_type="Bad Attitude", no_further_demand=1, resolution_summary="已向客户解释并致歉。"
	)
	frappe.db.set_value("Complaint", doc.name, "workflow_state", "Resolved")
	apply_workflow(frappe.get_doc("Complaint", doc.name), "Close")
	assert open_todos(doc.name) == []


# ------------------------------------------------------------------ item 3: the objection clock
@pytest.fixture
def offer(staff):
	"""A damaged parcel's compensation sent to the customer, the complaint Awaiting Customer."""
	from tests.factories.doctypes import CompensationFactory

	complaint = ComplaintFactory(
		complaint_type="Damaged", goods_value=8000, is_insured=1, insured_value=8000, freight=30
	)
	frappe.db.set_value("Complaint", complaint.name, "workflow_state", "Solution Proposed")
	apply_workflow(frappe.get_doc("Complaint", complaint.name), "Send to Customer")
	return CompensationFactory(complaint=complaint.name, lines=[{"remedy": "Cash", "amount": 100}])


def objection_clock(complaint: str) -> frappe._dict:
	return clocks(complaint).get("Objection Re-evaluation")


def test_an_objection_starts_one_running_clock_even_while_the_complaint_awaits_the_customer(offer):
	from complaint_mgmt.api.compensation import record_objection

	frappe.db.set_value("Complaint", offer.complaint, "workflow_state", "Awaiting Customer")
	record_objection(offer.name, "金额太低")
	row = objection_clock(offer.complaint)
	assert row.status == "On Track" and not row.met_at and row.next_escalation_at
	assert get_datetime(row.due_at) - get_datetime(row.started_at) == timedelta(hours=2)
	# the complaint follows to the workflow's objection state, and the clock is still not paused there
	assert frappe.db.get_value("Complaint", offer.complaint, "workflow_state") == "Investigating"
	first_due = row.due_at

	with patch(
		"complaint_mgmt.services.objection.now_datetime",
		return_value=get_datetime(row.started_at) + timedelta(hours=1),
	):
		record_objection(offer.name, "还要求道歉")
	row = objection_clock(offer.complaint)
	assert row.due_at == first_due  # a second objection while one is open starts no second clock
	assert "还要求道歉" in frappe.db.get_value("Compensation", offer.name, "objection_reason")


def test_an_objection_in_solution_proposed_is_not_met_at_once(offer):
	from complaint_mgmt.api.compensation import record_objection

	frappe.db.set_value("Complaint", offer.complaint, "workflow_state", "Solution Proposed")
	record_objection(offer.name, "金额太低")
	assert not objection_clock(offer.complaint).met_at


def test_a_paused_state_does_not_pause_the_objection_clock(offer):
	from complaint_mgmt.api.compensation import record_objection

	record_objection(offer.name, "金额太低")
	doc = frappe.get_doc("Complaint", offer.complaint)
	frappe.db.set_value("Complaint", doc.name, "workflow_state", "Solution Proposed")
	apply_workflow(frappe.get_doc("Complaint", doc.name), "Send to Customer")  # a paused state
	assert objection_clock(doc.name).status in ("On Track", "At Risk")
	assert clocks(doc.name)["Investigation Report"].status in ("Paused", "Met")


def test_a_recorded_re_evaluation_meets_the_clock_and_moves_the_complaint_back(offer):
	from complaint_mgmt.api.compensation import record_objection, record_reevaluation

	record_objection(offer.name, "金额太低")
	with pytest.raises(frappe.ValidationError, match="Say what"):
		record_reevaluation(offer.name, "Offer Upheld", " ")
	record_reevaluation(offer.name, "Offer Upheld", "按保价条款赔付已是上限,已电话解释")
	row = objection_clock(offer.complaint)
	assert row.status == "Met" and not row.next_escalation_at
	comp = frappe.get_doc("Compensation", offer.name)
	assert (comp.customer_response, comp.reevaluation_outcome) == ("Pending", "Offer Upheld")
	assert frappe.db.get_value("Complaint", offer.complaint, "workflow_state") == "Solution Proposed"
	with pytest.raises(frappe.ValidationError, match="no open objection"):
		record_reevaluation(offer.name, "Offer Upheld", "再次")


def test_a_revised_offer_meets_the_clock(offer):
	from complaint_mgmt.api.compensation import record_objection

	record_objection(offer.name, "金额太低")
	comp = frappe.get_doc("Compensation", offer.name)
	comp.lines[0].amount = 200
	comp.save()
	assert objection_clock(offer.complaint).status == "Met"
	assert frappe.db.get_value("Compensation", offer.name, "reevaluation_outcome") == "Offer Revised"


def test_a_new_compensation_meets_the_clock(offer):
	from complaint_mgmt.api.compensation import record_objection
	from tests.factories.doctypes import CompensationFactory

	record_objection(offer.name, "金额太低")
	CompensationFactory(complaint=offer.complaint, lines=[{"remedy": "Cash", "amount": 300}])
	assert objection_clock(offer.complaint).status == "Met"
	assert frappe.db.get_value("Compensation", offer.name, "customer_response") == "Pending"


def test_the_complaint_workflows_customer_objected_starts_the_same_single_clock(offer):
	from complaint_mgmt.api.compensation import record_objection

	apply_workflow(frappe.get_doc("Complaint", offer.complaint), "Customer Objected")
	started = objection_clock(offer.complaint).started_at
	record_objection(offer.name, "金额太低")
	assert objection_clock(offer.complaint).started_at == started
	apply_workflow(frappe.get_doc("Complaint", offer.complaint), "Propose Solution")
	assert objection_clock(offer.complaint).status == "Met"


def test_no_objection_on_a_paid_or_cancelled_compensation(offer):
	from complaint_mgmt.api.compensation import record_objection

	for state in ("Paid", "Cancelled"):
		frappe.db.set_value("Compensation", offer.name, "workflow_state", state)
		with pytest.raises(frappe.ValidationError, match="cannot object"):
			record_objection(offer.name, "金额太低")
	assert frappe.db.get_value("Compensation", offer.name, "customer_response") != "Objected"
	assert not objection_clock(offer.complaint)


def test_rejecting_the_complaint_stops_the_objection_clock(offer, staff):
	from complaint_mgmt.api.compensation import record_objection

	record_objection(offer.name, "金额太低")
	frappe.db.set_value("Complaint", offer.complaint, "workflow_state", "New")
	reject(offer.complaint, staff["Complaint Supervisor"])
	row = objection_clock(offer.complaint)
	assert row.status == "Stopped" and not row.next_escalation_at


# ------------------------------------------------------------------ the other paths: REST and list
def test_rejecting_through_the_rest_api_stops_the_clocks_and_closes_the_assignments(staff, as_user):
	from frappe.client import set_value

	doc = ComplaintFactory(complaint_type="Bad Attitude")
	frappe.db.set_value("Complaint", doc.name, "workflow_state", "New")
	as_user(staff["Complaint Supervisor"])
	set_value("Complaint", doc.name, "workflow_state", "Rejected")  # PUT /api/resource does the same save
	assert clocks(doc.name)["Resolution"].status == "Stopped"
	assert open_todos(doc.name) == []


def test_rejecting_several_complaints_from_the_list_stops_each_ones_clocks(staff, as_user):
	import json

	from frappe.model.workflow import bulk_workflow_approval

	names = [ComplaintFactory(complaint_type="Bad Attitude").name for _ in range(2)]
	for name in names:
		frappe.db.set_value("Complaint", name, "workflow_state", "New")
	as_user(staff["Complaint Supervisor"])
	bulk_workflow_approval(json.dumps(names), "Complaint", "Reject")
	for name in names:
		assert frappe.db.get_value("Complaint", name, "workflow_state") == "Rejected"
		assert clocks(name)["Investigation Report"].status == "Stopped"
		assert open_todos(name) == []


def test_setting_the_lead_owner_through_the_rest_api_moves_the_assignment(staff, as_user):
	from frappe.client import set_value

	other = UserFactory(roles=["Complaint Agent"]).name
	doc = ComplaintFactory(complaint_type="Bad Attitude")
	as_user(staff["Complaint Supervisor"])
	set_value("Complaint", doc.name, "lead_owner", other)
	assert open_todos(doc.name) == [other]


def objection_escalations(complaint: str) -> list[tuple[int, int]]:
	return [
		(row.clock_round, row.level)
		for row in frappe.get_all(
			"Complaint Escalation",
			filters={"complaint": complaint, "milestone": "Objection Re-evaluation"},
			fields=["clock_round", "level"],
			order_by="clock_round asc, level asc",
		)
	]


def test_an_objection_after_a_re_evaluated_one_escalates_again(offer):
	"""The customer objects, the objection is re-evaluated, the customer objects again: the clock's
	second run escalates level by level as the first did (its records do not collide with the first
	run's), and the sweep does not keep finding it due."""
	from complaint_mgmt.api.compensation import record_objection, record_reevaluation

	record_objection(offer.name, "金额太低")
	first = objection_clock(offer.complaint)
	sweep(now=get_datetime(first.due_at) + timedelta(hours=1))
	levels = [level for _round, level in objection_escalations(offer.complaint)]
	assert levels, "the default escalation rules escalate an overdue objection"
	record_reevaluation(offer.name, "Offer Upheld", "按保价条款赔付已是上限,已电话解释")

	later = get_datetime(first.due_at) + timedelta(hours=2)
	with patch("complaint_mgmt.services.objection.now_datetime", return_value=later):
		record_objection(offer.name, "还是不满意")
	second = objection_clock(offer.complaint)
	assert second.clock_round == 1 and second.escalation_level == 0 and not second.met_at
	assert get_datetime(second.started_at) == later

	overdue = get_datetime(second.due_at) + timedelta(hours=1)
	sweep(now=overdue)
	assert objection_escalations(offer.complaint) == [(0, n) for n in levels] + [(1, n) for n in levels]
	second = objection_clock(offer.complaint)
	assert second.escalation_level == max(levels)
	assert not second.next_escalation_at or get_datetime(second.next_escalation_at) > overdue
