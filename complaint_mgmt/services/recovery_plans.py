"""Recovery plans (issue 12, SPEC §8): suggested by rules when a complaint closes or its survey
comes back low, started in one click, measures carried out by their owners (vouchers and services
issued, priority service marked on the customer), owners reminded of due measures."""

from __future__ import annotations

import frappe
from frappe import _
from frappe.query_builder.functions import Sum
from frappe.utils import add_days, getdate, now_datetime, nowdate

from complaint_mgmt.engine import recovery as rules
from complaint_mgmt.services import compensation, notify, recovery_settings, vouchers

PLAN, RULE, MEASURE = "Recovery Plan", "Recovery Suggestion Rule", "Recovery Measure"
SUGGESTED, ACTIVE, COMPLETED = "Suggested", "Active", "Completed"
# measures that give the customer something from the voucher ledger
LEDGER_MEASURES = {"E-Voucher": "Voucher", "Free Value-Added Service": "Service"}


# ------------------------------------------------------------------ plan and rule validation
def validate(plan) -> None:
	customer = frappe.db.get_value("Complaint", plan.complaint, "customer")
	if not customer:
		frappe.throw(_("Complaint {0} has no customer record").format(plan.complaint))
	plan.customer = plan.customer or customer
	if plan.customer != customer:
		frappe.throw(
			_("Complaint {0} is not a complaint of customer {1}").format(plan.complaint, plan.customer)
		)
	for row in plan.measures:
		if (row.cost or 0) < 0:
			frappe.throw(_("Row {0}: a cost cannot be negative").format(row.idx))
		if row.measure_type == "Free Value-Added Service" and not row.service:
			frappe.throw(_("Row {0}: choose the service the customer gets").format(row.idx))
	plan.strategy = plan.strategy or (plan.measures[0].measure_type if plan.measures else None)
	plan.total_cost = sum(row.cost or 0 for row in plan.measures if row.status != "Cancelled")
	plan.start_date = plan.start_date or nowdate()
	if plan.workflow_state == COMPLETED and not plan.completed_on:
		plan.completed_on = nowdate()


def validate_rule(rule) -> None:
	if rule.condition == "Repeat Complainer" and ((rule.threshold or 0) < 2 or (rule.window_days or 0) < 1):
		frappe.throw(_("A repeat complainer rule needs at least 2 complaints and a window of at least 1 day"))
	if rule.condition == "High Compensation" and (rule.threshold or 0) <= 0:
		frappe.throw(_("A high compensation rule needs an amount above 0"))


def on_update(plan) -> None:
	"""An active plan gives what its measures promise."""
	if plan.workflow_state not in (ACTIVE, COMPLETED):
		return
	for row in plan.measures:
		kind = LEDGER_MEASURES.get(row.measure_type)
		if kind and not row.voucher and row.status != "Cancelled" and (row.cost or 0) > 0:
			name = vouchers.issue(
				plan.customer,
				row.cost,
				complaint=plan.complaint,
				source=plan,
				row=row.name,
				kind=kind,
				service=row.service if kind == "Service" else None,
			)
			row.db_set("voucher", name, update_modified=False)
		if row.measure_type == "Priority Service" and row.status == "Done":
			frappe.db.set_value("Complaint Customer", plan.customer, "priority_service", 1)


# ------------------------------------------------------------------ suggestion
def case_facts(complaint) -> rules.CaseFacts:
	table = frappe.qb.DocType("Compensation")
	paid = (
		frappe.qb.from_(table)
		.select(Sum(table.total_amount))
		.where(table.complaint == complaint.name)
		.where(table.workflow_state.isin(compensation.LOCKED_STATES))
		.run()
	)[0][0]
	tier = frappe.db.get_value("Complaint Customer", complaint.customer, "customer_tier")
	dates = frappe.get_all(
		"Complaint",
		filters={"customer": complaint.customer},
		pluck="received_at",
		order_by="received_at desc",
		limit=500,
	)
	return rules.CaseFacts(
		low_score=bool(frappe.db.exists("Complaint Survey", {"complaint": complaint.name, "low_score": 1})),
		priority=complaint.priority or "",
		customer_tier="Key Account" if "Key Account" in (tier, complaint.customer_tier) else (tier or ""),
		closed_at=frappe.utils.get_datetime(complaint.closed_at) if complaint.closed_at else None,
		complaint_dates=tuple(frappe.utils.get_datetime(d) for d in dates if d),
		compensation_total=float(paid or 0),
	)


def active_rules() -> list[dict]:
	return frappe.get_all(
		RULE,
		filters={"enabled": 1},
		fields=["rule_name", "condition", "threshold", "window_days", "strategy", "department", "enabled"],
		order_by="creation asc",
	)


def suggest_for(complaint_name: str) -> str | None:
	"""A closed complaint that meets a rule gets a suggested plan (or its suggested plan more
	reasons); returns the plan."""
	complaint = frappe.get_doc("Complaint", complaint_name)
	if not complaint.closed_at or not complaint.customer:
		return None
	found = rules.suggest(case_facts(complaint), active_rules())
	if not found:
		return None
	existing = frappe.db.get_value(
		PLAN, {"complaint": complaint.name}, ["name", "workflow_state"], as_dict=True
	)
	if existing and existing.workflow_state != SUGGESTED:
		return existing.name  # a plan is under way or was decided on: the people in charge decide
	plan = frappe.get_doc(PLAN, existing.name) if existing else new_plan(complaint)
	reasons = set(filter(None, (plan.suggestion_reasons or "").split("\n")))
	strategies = {row.measure_type for row in plan.measures}
	due = add_days(nowdate(), recovery_settings.get().measure_due_days or 0)
	for suggestion in found:
		reasons.add(f"{_(suggestion.rule)}: {_(suggestion.reason)}")
		if suggestion.strategy not in strategies:
			strategies.add(suggestion.strategy)
			plan.append(
				"measures",
				{
					"measure_type": suggestion.strategy,
					"department": suggestion.department,
					"assigned_to": complaint.lead_owner,
					"due_date": due,
					"status": "Planned",
				},
			)
	plan.suggestion_reasons = "\n".join(sorted(reasons))
	plan.flags.ignore_permissions = True
	plan.save()
	return plan.name


def new_plan(complaint):
	return frappe.get_doc(
		{
			"doctype": PLAN,
			"customer": complaint.customer,
			"complaint": complaint.name,
			"workflow_state": SUGGESTED,
			"cause": complaint.resolution_summary,
		}
	)


def on_complaint_update(doc, method=None) -> None:
	"""doc_events: a closure may call for a plan."""
	if doc.closed_at and doc.has_value_changed("closed_at"):
		suggest_for(doc.name)


def on_survey_insert(doc, method=None) -> None:
	"""doc_events: a low score calls for a plan."""
	if doc.low_score:
		suggest_for(doc.complaint)


def create_plan(complaint_name: str) -> str:
	"""One click on the complaint: its suggested plan, or a new plan with a personalised measure."""
	complaint = frappe.get_doc("Complaint", complaint_name)
	complaint.check_permission("read")
	frappe.has_permission(PLAN, "create", throw=True)
	existing = frappe.db.get_value(PLAN, {"complaint": complaint.name})
	if existing:
		return existing
	if not complaint.customer:
		frappe.throw(_("Complaint {0} has no customer record").format(complaint.name))
	plan = new_plan(complaint)
	plan.append(
		"measures",
		{
			"measure_type": "Personalised Plan",
			"department": "Customer Service",
			"assigned_to": complaint.lead_owner or frappe.session.user,
			"due_date": add_days(nowdate(), recovery_settings.get().measure_due_days or 0),
		},
	)
	plan.insert()
	return plan.name


# ------------------------------------------------------------------ reminders
def remind_due() -> int:
	"""Daily: owners of open measures of active plans due soon are reminded, once per measure."""
	horizon = add_days(nowdate(), recovery_settings.get().reminder_days or 0)
	plan, measure = frappe.qb.DocType(PLAN), frappe.qb.DocType(MEASURE)
	rows = (
		frappe.qb.from_(measure)
		.join(plan)
		.on(plan.name == measure.parent)
		.select(measure.name, measure.parent, measure.assigned_to, measure.measure_type, measure.due_date)
		.where(measure.parenttype == PLAN)
		.where(plan.workflow_state == ACTIVE)
		.where(measure.status == "Planned")
		.where(measure.due_date <= horizon)
		.where(measure.reminded_at.isnull())
		.where(measure.assigned_to.isnotnull())
		.run(as_dict=True)
	)
	for row in rows:
		subject = _("Recovery measure due {0}: {1} ({2})").format(
			getdate(row.due_date), _(row.measure_type), row.parent
		)
		notify.users([row.assigned_to], subject, PLAN, row.parent)
	if rows:
		frappe.qb.update(measure).set(measure.reminded_at, now_datetime()).where(
			measure.name.isin([r.name for r in rows])
		).run()
	return len(rows)
