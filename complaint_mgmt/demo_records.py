"""What a month of demo complaints leaves behind besides the complaints: owners and their to-dos,
investigations, escalations, surveys, group incidents and compensations.

Bulk inserts where the records are history (nobody is told anything about the past); the real
workflow for compensations, so that every approval tier and payment state is reached the way users
reach it.
"""

from __future__ import annotations

import json
import random
from datetime import datetime, timedelta

import frappe
from frappe.desk.form import assign_to
from frappe.model.workflow import apply_workflow
from frappe.utils import add_days, nowdate

from complaint_mgmt.engine import approval as approval_rules
from complaint_mgmt.engine import survey as survey_rules
from complaint_mgmt.services import compensation as compensation_service
from complaint_mgmt.services import policy, sla_policy
from complaint_mgmt.services import survey as survey_service
from complaint_mgmt.services.import_book import reserve_names
from complaint_mgmt.services.importing import insert_many

STAMP = ("owner", "modified_by", "creation", "modified", "docstatus", "idx")


def _stamp(at: datetime) -> tuple:
	return ("Administrator", "Administrator", at, at, 0, 0)


def set_owners(rows: list[dict], staff: dict[str, list[str]], rng: random.Random) -> None:
	"""Departments and owners as assignment gives them, with to-dos for the open complaints."""
	groups: dict[tuple, list[str]] = {}
	todos = []
	departments: dict[str, str] = {}
	for row in rows:
		if not row.get("assigned_at"):
			continue
		if row["complaint_type"] not in departments:
			departments[row["complaint_type"]] = policy.type_details(row["complaint_type"]).department
		department = departments[row["complaint_type"]]
		if row["priority"] == "Urgent":
			lead, co = rng.choice(staff["Complaint Supervisor"]), rng.choice(staff["Operations Manager"])
		elif row["priority"] == "Important" and staff.get(department):
			lead, co = staff[department][0], None
		else:
			lead, co = rng.choice(staff["Complaint Agent"]), None
		groups.setdefault((department, lead, co), []).append(row["name"])
		if row["status"] not in ("Closed", "Rejected", "Resolved"):
			todos.append((row["name"], lead, row["assigned_at"]))
	complaint = frappe.qb.DocType("Complaint")
	for (department, lead, co), names in groups.items():
		(
			frappe.qb.update(complaint)
			.set(complaint.department, department)
			.set(complaint.lead_owner, lead)
			.set(complaint.co_owner, co)
			.where(complaint.name.isin(names))
			.run()
		)
	fields = [
		"name",
		*STAMP,
		"status",
		"priority",
		"date",
		"allocated_to",
		"description",
		"reference_type",
		"reference_name",
		"assigned_by",
	]
	insert_many(
		"ToDo",
		fields,
		[
			(
				frappe.generate_hash(length=10),
				*_stamp(at),
				"Open",
				"Medium",
				at.date(),
				user,
				f"Complaint {name}",
				"Complaint",
				name,
				"Administrator",
			)
			for name, user, at in todos
		],
	)
	for name, user, _at in todos:
		frappe.qb.update(complaint).set(complaint._assign, json.dumps([user])).where(
			complaint.name == name
		).run()


def investigations(rows: list[dict], rng: random.Random) -> int:
	"""An investigation for every Important or Urgent complaint that reached that stage."""
	chosen = [
		r for r in rows if r["priority"] != "General" and r.get("assigned_at") and r["status"] != "Rejected"
	]
	names = reserve_names("Complaint Investigation", len(chosen))
	records = []
	for name, row in zip(names, chosen, strict=True):
		reported = row.get("investigation_reported_at")
		liability = rng.choices(("Company", "Customer", "Third Party", "Force Majeure"), (70, 12, 14, 4))[0]
		records.append(
			(
				name,
				*_stamp(row["assigned_at"]),
				row["name"],
				"Report Submitted" if reported else "Open",
				row["report_due"],
				reported,
				liability if reported else None,
				rng.choice(("Origin Branch", "Hub", "Line-haul", "Last-mile Courier")) if reported else None,
				"<p>扫描记录与监控显示问题发生在转运环节。</p>" if reported else None,
				"加强交接扫描复核,易碎件单独装载。" if reported else None,
			)
		)
	insert_many(
		"Complaint Investigation",
		[
			"name",
			*STAMP,
			"complaint",
			"status",
			"deadline",
			"report_submitted_at",
			"liability",
			"responsible_node",
			"findings",
			"improvement_measure",
		],
		records,
	)
	return len(records)


def escalations(clocks: list[tuple]) -> int:
	"""The escalation records of every level the clocks reached (the sweep's history)."""
	rules: dict = {}
	records = []
	for complaint, clock, priority in clocks:
		key = (clock.milestone, priority)
		if key not in rules:
			rules[key] = sla_policy.escalation_levels(*key)[0]
		for level, at in clock.fired:
			records.append(
				(
					frappe.generate_hash(length=10),
					*_stamp(at),
					complaint,
					clock.milestone,
					level,
					at,
					rules[key],
					clock.due_at,
					0,
					f"Level {level}: {clock.milestone}",
				)
			)
	insert_many(
		"Complaint Escalation",
		[
			"name",
			*STAMP,
			"complaint",
			"milestone",
			"level",
			"escalated_at",
			"rule",
			"due_at",
			"extensions",
			"reason",
		],
		records,
	)
	return len(records)


def surveys(rows: list[dict], rng: random.Random, now: datetime) -> int:
	"""Most closed complaints answered the survey within the 3 days, most of them satisfied."""
	scale = survey_service.survey_policy()
	chosen = []
	for row in rows:
		if row["status"] != "Closed" or rng.random() > 0.75:
			continue
		at = row["closed_at"] + timedelta(hours=rng.randrange(1, 80))
		if at < now:
			chosen.append((row, at))
	names = reserve_names("Complaint Survey", len(chosen))
	records = []
	for name, (row, at) in zip(names, chosen, strict=True):
		scores = {
			"Handling Efficiency": rng.choices((5, 4, 3, 2), (55, 32, 9, 4))[0],
			"Reasonableness of the Solution": rng.choices((5, 4, 3, 2, 1), (50, 33, 10, 5, 2))[0],
		}
		low = survey_rules.low_score_items(scores, scale)
		records.append(
			(
				name,
				*_stamp(at),
				row["name"],
				rng.choice(("Phone", "SMS", "SMS", "Portal")),
				at,
				row["complaint_type"],
				*scores.values(),
				1 if low else 0,
				"\n".join(low),
				rng.choice(("处理及时,满意。", "赔偿到账慢了一些。", "希望以后不要再出现类似问题。", "")),
			)
		)
	insert_many(
		"Complaint Survey",
		[
			"name",
			*STAMP,
			"complaint",
			"method",
			"surveyed_at",
			"complaint_type",
			"efficiency_score",
			"solution_score",
			"low_score",
			"low_score_items",
			"comment",
		],
		records,
	)
	return len(records)


def incidents(rows: list[dict]) -> int:
	"""Group incidents: the complaints about one delayed batch belong to one incident."""
	by_batch: dict[str, list[dict]] = {}
	for row in rows:
		if row.get("batch_no"):
			by_batch.setdefault(row["batch_no"], []).append(row)
	complaint = frappe.qb.DocType("Complaint")
	for batch, members in by_batch.items():
		first = min(m["received_at"] for m in members)
		incident = frappe.get_doc(
			{
				"doctype": "Complaint Incident",
				"title": f"批次 {batch} 集体延误",
				"incident_key": f"batch:{batch}",
				"strategy": "batch",
				"status": "Open",
				"complaint_count": len(members),
				"first_complaint_at": first,
				"last_complaint_at": max(m["received_at"] for m in members),
				"risk_notified_at": first,
			}
		).insert(ignore_permissions=True)
		frappe.qb.update(complaint).set(complaint.incident, incident.name).where(
			complaint.name.isin([m["name"] for m in members])
		).run()
	return len(by_batch)


# a compensation paid at every approval tier (an agent, a department manager, the general manager),
# and one in every other state; the oldest complaints got furthest
AGENT, MANAGER, GM = (300, "Complaint Agent"), (1500, "Department Manager"), (4000, "General Manager")
PAID = (AGENT, MANAGER, GM)
PLAN = (
	(AGENT, "Payment Failed"), (GM, "Paying"), (MANAGER, "Approved"), (GM, "Rejected"),
	(MANAGER, "Pending Approval"), (AGENT, "Draft"),
)  # fmt: skip


def paid_compensations(rows: list[dict], staff: dict[str, list[str]], now: datetime) -> int:
	"""Compensations paid earlier in the month: history, stored as the workflow left them."""
	matrix = compensation_service.approval_matrix()
	names = reserve_names("Compensation", len(rows))
	comps, lines = [], []
	for name, row, (amount, approver) in zip(names, rows, PAID, strict=False):
		approved = min((row.get("investigation_reported_at") or row["received_at"]) + timedelta(hours=2), now)
		paid = min(approved + timedelta(days=1), now)
		level = approval_rules.required_level(amount, matrix=matrix)
		comps.append(
			(
				name,
				*_stamp(approved),
				row["name"],
				"Paid",
				"CNY",
				amount,
				level.name,
				staff[approver][0],
				approved,
				"加强易碎件包装检查。",
				"Accepted",
				paid.date(),
				"Primary",
				f"WX{name.replace('-', '')}",
				paid,
			)
		)
		lines.append((frappe.generate_hash(length=10), *_stamp(approved), name, "Compensation", "lines", "Cash",
			"现金赔偿", amount, "CNY"))  # fmt: skip
	insert_many(
		"Compensation",
		[
			"name",
			*STAMP,
			"complaint",
			"workflow_state",
			"currency",
			"total_amount",
			"required_level",
			"approved_by",
			"approved_at",
			"improvement_measure",
			"customer_response",
			"expected_payment_date",
			"payment_route",
			"payment_reference",
			"paid_at",
		],
		comps,
	)
	insert_many(
		"Compensation Line",
		[
			"name",
			*STAMP,
			"parent",
			"parenttype",
			"parentfield",
			"remedy",
			"description",
			"amount",
			"currency",
		],
		lines,
	)
	return len(comps)


def compensations(candidates: list[dict], staff: dict[str, list[str]]) -> int:
	"""Compensations under way, walked through the Compensation Workflow by the demo staff."""
	made = 0
	for row, ((amount, approver), state) in zip(candidates, PLAN, strict=False):
		frappe.set_user("Administrator")
		doc = frappe.get_doc(
			{
				"doctype": "Compensation",
				"complaint": row["name"],
				"improvement_measure": "加强易碎件包装检查。",
				"expected_payment_date": add_days(nowdate(), 3),
				"lines": [{"remedy": "Cash", "amount": amount, "description": "现金赔偿"}],
			}
		).insert(ignore_permissions=True)
		made += 1
		if state == "Draft":
			continue
		doc = apply_workflow(doc, "Submit for Approval")
		if state == "Pending Approval":
			continue
		decider = staff[approver][0] if state != "Rejected" else staff["Complaint Supervisor"][0]
		# record rules: the approver reaches the complaint by being assigned to it
		assign_to.add(
			{"assign_to": [decider], "doctype": "Complaint", "name": row["name"], "description": "审批赔偿"},
			ignore_permissions=True,
		)
		frappe.set_user(decider)
		doc = apply_workflow(doc, "Reject" if state == "Rejected" else "Approve")
		if state in ("Approved", "Rejected"):
			continue
		frappe.set_user(staff["Complaint Finance"][0])
		doc = apply_workflow(doc, "Start Payment")
		if state == "Payment Failed":
			from complaint_mgmt.api.compensation import record_payment_failure

			record_payment_failure(doc.name, "收款账户信息有误", add_days(nowdate(), 3), use_fallback=True)
	frappe.set_user("Administrator")
	return made
