"""Issue 12: the Customer Recovery report reads a rollup kept current by every change that moves
its figures; after random changes it equals the computation from the raw records."""

from __future__ import annotations

import random

import frappe
from frappe.utils import add_days, now_datetime, nowdate

from complaint_mgmt.engine import recovery as rules
from complaint_mgmt.services import (
	policy,
	recovery_check,
	recovery_plans,
	recovery_report,
	recovery_stat,
	shipments,
	vouchers,
)
from tests.factories.doctypes import CompensationFactory, ComplaintFactory, ComplaintSurveyFactory
from tests.integration.test_recovery_report import cohort


def filters(region: str, **extra) -> frappe._dict:
	return frappe._dict(from_date=add_days(nowdate(), -40), to_date=nowdate(), region=region, **extra)


def ship(doc, days_ago: float) -> None:
	at = add_days(now_datetime(), -days_ago).strftime("%Y-%m-%d %H:%M:%S")
	waybill = "SF" + frappe.generate_hash(length=10).upper()
	assert shipments.ingest([{"waybill_no": waybill, "customer": doc.customer_phone, "shipped_at": at}])[
		"stored"
	]


def redeem(doc, value: int) -> None:
	code = frappe.db.get_value("Complaint Voucher", vouchers.issue(doc.customer, value), "code")
	vouchers.redeem(code, "SFRB" + frappe.generate_hash(length=8).upper())


def plan(doc, strategy: str, state: str, satisfaction: int) -> None:
	name = recovery_plans.create_plan(doc.name)
	plan = frappe.get_doc("Recovery Plan", name)
	plan.update({"strategy": strategy, "satisfaction_achieved": satisfaction})
	plan.measures[0].cost = 15
	plan.save()
	for step in ("Active", "Completed")[: 1 + (state == "Completed")]:
		plan.workflow_state = step
		plan.save()


def paid(doc, amount: int) -> None:
	comp = CompensationFactory(complaint=doc.name, lines=[{"remedy": "Cash", "amount": amount}])
	frappe.db.set_value(
		"Compensation",
		comp.name,
		{"workflow_state": "Paying", "approved_by": "Administrator", "approved_at": now_datetime()},
	)
	comp = frappe.get_doc("Compensation", comp.name)
	comp.update({"workflow_state": "Paid", "payment_reference": "WX" + frappe.generate_hash(length=10)})
	comp.save()


def another_complaint(doc, region: str, days_ago: float, close: bool):
	new = ComplaintFactory(complaint_type="Bad Attitude", customer_phone=doc.customer_phone)
	frappe.db.set_value("Complaint", new.name, "workflow_state", "Resolved")
	new = frappe.get_doc("Complaint", new.name)
	if close:
		new.update({"workflow_state": "Closed", "no_further_demand": 1, "resolution_summary": "已解决"})
		new.save()
	frappe.db.set_value(  # as the report's own tests do: a region of their own, an earlier receipt
		"Complaint",
		new.name,
		{"route": region, "region": region, "received_at": add_days(now_datetime(), -days_ago)},
	)
	recovery_stat.refresh([new.customer])  # a direct write: its customer's rows are taken anew
	return frappe.get_doc("Complaint", new.name)


def reopen(doc) -> None:
	doc = frappe.get_doc("Complaint", doc.name)
	doc.workflow_state = policy.settings().reopened_state
	doc.save()


def same_figures(found: list[rules.Effect], expected: list[rules.Effect]) -> None:
	assert [e.as_dict() for e in found] == [e.as_dict() for e in expected]


def test_after_random_changes_the_rollup_equals_the_raw_records():
	region, docs = cohort(5)
	rng = random.Random(12)
	steps = [
		lambda d: ship(d, rng.uniform(1, 30)),
		lambda d: redeem(d, rng.choice((20, 50))),
		lambda d: plan(d, rng.choice(("E-Voucher", "Communication")), rng.choice(("Active", "Completed")), 4),
		lambda d: ComplaintSurveyFactory(complaint=d.name, efficiency_score=rng.randint(1, 5)),
		lambda d: paid(d, rng.choice((100, 300))),
		lambda d: another_complaint(d, region, rng.uniform(1, 30), close=rng.random() < 0.5),
	]
	for _ in range(14):
		doc = rng.choice(docs)
		step = rng.choice(steps)
		if step is steps[2] and frappe.db.exists("Recovery Plan", {"complaint": doc.name}):
			continue
		if step is steps[3] and frappe.db.exists("Complaint Survey", {"complaint": doc.name}):
			continue
		step(doc)
	ship(docs[2], 5)  # whatever the draw: a return, a cost and a later complaint are among them
	redeem(docs[2], 20)
	another_complaint(docs[1], region, 10, close=False)
	reopen(docs[0])

	diff = recovery_check.verify(**filters(region))
	assert diff == [], "\n".join(map(str, diff))
	for window in (None, 3):  # the settings' window (stored) and another (counted from complaints)
		asked = filters(region, window_days=window)
		expected = rules.effects(recovery_check.raw_cases(asked), recovery_report.window_of(asked))
		same_figures(recovery_report.effects(asked), expected)
	assert not frappe.db.exists("Customer Recovery Stat", docs[0].name)  # reopened: no longer a case
	cases = recovery_check.raw_cases(filters(region))
	assert any(case.first_shipment_after for case in cases) and any(case.cost for case in cases)
	assert any(case.complaints_after or case.complaints_before for case in cases)


def test_the_rebuild_restores_what_a_direct_write_left_behind():
	region, (doc, _other) = cohort()
	ship(doc, 5)
	frappe.db.sql(
		"update `tabCustomer Recovery Stat` set first_shipment_after = null, strategy = 'X' where customer = %s",
		doc.customer,
	)
	assert recovery_check.verify(**filters(region)) != []
	recovery_stat.rebuild()
	assert recovery_check.verify(**filters(region)) == []
	assert recovery_report.effects(filters(region))[0].retained == 1


def test_a_handler_counts_only_the_customers_of_complaints_they_handle(as_user):
	from tests.factories.access import handled_by
	from tests.factories.doctypes import UserFactory

	region, (mine, _theirs) = cohort()
	agent = UserFactory(roles=["Complaint Agent"]).name
	handled_by(agent, complaint=mine)
	as_user(agent)
	assert recovery_report.effects(filters(region))[0].customers == 1
	as_user("Administrator")
	assert recovery_report.effects(filters(region))[0].customers == 2


def test_a_retention_window_below_one_day_is_refused():
	import pytest

	with pytest.raises(frappe.ValidationError, match="at least one day"):
		recovery_report.effects(filters("X", window_days=-1))


def test_a_known_customer_s_new_complaint_counts_after_their_closure_at_once():
	region, (doc, _other) = cohort()
	ComplaintFactory(complaint_type="Bad Attitude", customer_phone=doc.customer_phone)
	assert frappe.db.get_value("Customer Recovery Stat", doc.name, "complaints_after") == 1
	assert recovery_check.verify(**filters(region)) == []
