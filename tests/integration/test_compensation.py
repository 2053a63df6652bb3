"""Investigation, compensation suggestion, tiered approval and payment exactly once."""

from __future__ import annotations

import frappe
import pytest
from frappe.model.workflow import WorkflowPermissionError, WorkflowTransitionError, apply_workflow
from frappe.utils import add_days, nowdate

from tests.factories.access import handled_by, managed_department
from tests.factories.doctypes import (
	CompensationFactory,
	ComplaintFactory,
	ComplaintInvestigationFactory,
	UserFactory,
)


@pytest.fixture
def people():
	roles = (
		"Complaint Agent",
		"Department Manager",
		"General Manager",
		"Complaint Finance",
		"Complaint Supervisor",
	)
	return {role: UserFactory(roles=[role]).name for role in roles}


def handled(people, **values):
	"""A complaint the agent handles, in the department manager's department."""
	return handled_by(people["Complaint Agent"], managed_department(people["Department Manager"]), **values)


@pytest.fixture
def damaged(people):
	"""A damaged parcel: goods worth 8,000, insured for 8,000, freight 30."""
	return handled(
		people,
		complaint_type="Damaged",
		goods_value=8000,
		declared_value=8000,
		is_insured=1,
		insured_value=8000,
		freight=30,
	)


def cash_line(amount: float) -> list[dict]:
	return [{"remedy": "Cash", "amount": amount, "description": "现金赔偿"}]


def approve(name: str):
	return apply_workflow(frappe.get_doc("Compensation", name), "Approve")


def submit(comp):
	return apply_workflow(frappe.get_doc("Compensation", comp.name), "Submit for Approval")


def approved_by_agent(complaint, amount: float, people, as_user):
	"""A compensation of ``amount`` cash, submitted and approved by an agent."""
	comp = CompensationFactory(complaint=complaint.name, lines=cash_line(amount))
	submit(comp)
	as_user(people["Complaint Agent"])
	approve(comp.name)
	return comp


def test_damaged_parcel_gets_the_matrix_remedy_with_every_number_explained(people, damaged):
	comp = CompensationFactory(complaint=damaged.name)
	lines = {line.remedy: line for line in comp.lines}
	assert set(lines) == {"Reship", "Freight Waiver"}  # the basic solution of SPEC §6
	assert lines["Freight Waiver"].amount == 30
	assert "30" in lines["Freight Waiver"].explanation
	assert comp.total_amount == 30
	# the optional upgrade, 10 % of the goods value, is offered with its arithmetic, not granted
	assert "10% of goods value 8000.00 = 800.00" in comp.suggested_upgrades
	assert comp.workflow_state == "Draft"


def test_a_450_voucher_is_approved_by_an_agent(people, damaged, as_user):
	comp = CompensationFactory(complaint=damaged.name, lines=[{"remedy": "Voucher", "amount": 450}])
	submit(comp)
	as_user(people["Complaint Agent"])
	assert approve(comp.name).workflow_state == "Approved"


@pytest.mark.parametrize(
	("amount", "approver", "allowed"),
	[
		(450, "Complaint Agent", True),
		(1500, "Complaint Agent", False),
		(1500, "Department Manager", True),
		(6000, "Department Manager", False),
		(6000, "General Manager", True),
	],
)
def test_approval_follows_the_matrix(people, damaged, as_user, amount, approver, allowed):
	comp = CompensationFactory(complaint=damaged.name, lines=cash_line(amount))
	submit(comp)
	as_user(people[approver])
	if allowed:
		assert approve(comp.name).workflow_state == "Approved"
		assert frappe.db.get_value("Compensation", comp.name, "approved_by") == people[approver]
	else:
		with pytest.raises(frappe.ValidationError, match="needs"):
			approve(comp.name)
		assert frappe.db.get_value("Compensation", comp.name, "workflow_state") == "Pending Approval"


def test_a_media_case_needs_the_general_manager_whatever_the_amount(people, as_user):
	complaint = handled(people, complaint_type="Bad Attitude", media_involved=1)
	comp = CompensationFactory(complaint=complaint.name, lines=[{"remedy": "Voucher", "amount": 100}])
	assert comp.required_level == "General Manager"
	submit(comp)
	as_user(people["Department Manager"])
	with pytest.raises(frappe.ValidationError, match="Media Exposure"):
		approve(comp.name)
	as_user(people["General Manager"])
	assert approve(comp.name).workflow_state == "Approved"


def test_an_agent_cannot_approve_1500_through_rest(people, damaged, as_user):
	from frappe.client import set_value

	comp = CompensationFactory(complaint=damaged.name, lines=cash_line(1500))
	submit(comp)
	as_user(people["Complaint Agent"])
	with pytest.raises(frappe.ValidationError):
		set_value("Compensation", comp.name, "workflow_state", "Approved")
	with pytest.raises(frappe.ValidationError):
		frappe.get_doc("Compensation", comp.name).update({"workflow_state": "Approved"}).save()
	assert frappe.db.get_value("Compensation", comp.name, "workflow_state") == "Pending Approval"


def test_pay_once_with_a_unique_reference(people, damaged, as_user):
	comp = approved_by_agent(damaged, 450, people, as_user)
	as_user(people["Complaint Finance"])
	paying = apply_workflow(frappe.get_doc("Compensation", comp.name), "Start Payment")
	with pytest.raises(frappe.ValidationError, match="payment reference"):
		apply_workflow(paying, "Confirm Paid")
	doc = frappe.get_doc("Compensation", comp.name)
	doc.payment_reference = "WX20261122000001"
	doc.save()
	paid = apply_workflow(frappe.get_doc("Compensation", comp.name), "Confirm Paid")
	assert paid.workflow_state == "Paid" and paid.paid_at
	with pytest.raises((WorkflowTransitionError, WorkflowPermissionError)):
		apply_workflow(frappe.get_doc("Compensation", comp.name), "Confirm Paid")

	as_user("Administrator")
	other = CompensationFactory(complaint=damaged.name, lines=cash_line(100))
	other.payment_reference = "WX20261122000001"
	with pytest.raises(frappe.UniqueValidationError):
		other.save()


def test_paying_without_approval_negative_and_above_cap_are_refused(people, damaged):
	comp = CompensationFactory(complaint=damaged.name, lines=cash_line(450))
	doc = frappe.get_doc("Compensation", comp.name)
	doc.workflow_state = "Paying"
	with pytest.raises(frappe.ValidationError):
		doc.save()
	assert frappe.db.get_value("Compensation", comp.name, "workflow_state") == "Draft"

	before = frappe.db.count("Compensation")
	with pytest.raises(frappe.ValidationError, match="negative"):
		CompensationFactory(complaint=damaged.name, lines=cash_line(-10))
	with pytest.raises(frappe.ValidationError, match="exceeds the cap"):
		CompensationFactory(complaint=damaged.name, lines=cash_line(9000))  # insured for 8,000
	assert frappe.db.count("Compensation") == before


def test_an_approved_amount_cannot_be_changed(people, damaged, as_user):
	comp = approved_by_agent(damaged, 450, people, as_user)
	as_user("Administrator")
	doc = frappe.get_doc("Compensation", comp.name)
	doc.lines[0].amount = 499
	with pytest.raises(frappe.ValidationError, match="cannot change"):
		doc.save()


def test_failed_payment_is_recorded_and_the_customer_told_the_new_date(people, damaged, as_user):
	from complaint_mgmt.api.compensation import record_payment_failure

	comp = approved_by_agent(damaged, 450, people, as_user)
	as_user(people["Complaint Finance"])
	apply_workflow(frappe.get_doc("Compensation", comp.name), "Start Payment")
	new_date = add_days(nowdate(), 3)
	record_payment_failure(comp.name, "收款账户信息有误", new_date, use_fallback=True)
	doc = frappe.get_doc("Compensation", comp.name)
	assert doc.payment_attempts[-1].reason == "收款账户信息有误"
	assert str(doc.expected_payment_date) == str(new_date) and doc.payment_route == "Fallback"
	told = frappe.get_all(
		"Communication",
		filters={"reference_name": doc.complaint, "content": ["like", "%收款账户信息有误%"]},
		pluck="name",
	)
	assert told  # on the complaint's timeline, and on the compensation's
	assert frappe.db.exists(
		"Communication Link", {"parent": told[0], "link_doctype": "Compensation", "link_name": comp.name}
	)


def test_an_objection_is_recorded_and_starts_the_two_hour_clock(people, damaged):
	from frappe.utils import get_datetime

	from complaint_mgmt.api.compensation import record_objection

	comp = CompensationFactory(complaint=damaged.name, lines=cash_line(450))
	record_objection(comp.name, "赔偿金额太低")
	doc = frappe.get_doc("Compensation", comp.name)
	assert doc.customer_response == "Objected" and doc.objection_at
	row = frappe.get_all(
		"Complaint Milestone",
		filters={"parent": damaged.name, "milestone": "Objection Re-evaluation"},
		fields=["started_at", "due_at", "met_at"],
	)[0]
	assert get_datetime(row.due_at) - get_datetime(row.started_at) == frappe.utils.datetime.timedelta(hours=2)
	assert not row.met_at


def test_investigation_checklist_report_and_evidence_retention(people, damaged):
	from complaint_mgmt.api.compensation import submit_investigation_report

	inv = ComplaintInvestigationFactory(complaint=damaged.name)
	items = [row.evidence_item for row in inv.evidence]
	assert any("CCTV" in item for item in items) and any("waybill" in item for item in items)
	inv.evidence[0].attachment = "/private/files/scan.pdf"
	inv.liability, inv.responsible_node = "Company", "Hub"
	inv.findings = "<p>中转场装卸时挤压破损</p>"
	inv.save()
	assert inv.evidence[0].status == "Collected" and inv.evidence[0].collected_by == "Administrator"

	inv.remove(inv.evidence[0])
	with pytest.raises(frappe.ValidationError, match="cannot be deleted"):
		inv.save()
	inv.reload()
	with pytest.raises(frappe.ValidationError, match="cannot be deleted"):
		frappe.delete_doc("Complaint", damaged.name)

	submit_investigation_report(inv.name)
	assert (
		frappe.db.get_value(
			"Complaint Milestone", {"parent": damaged.name, "milestone": "Investigation Report"}, "status"
		)
		== "Met"
	)


@pytest.mark.parametrize(
	("language", "title", "amount"),
	[("zh", "投诉处理告知书", "450"), ("en", "Complaint Handling Notice", "450")],
)
def test_handling_notice_renders_as_a_pdf_in_the_customers_language(people, language, title, amount):
	import io

	from pypdf import PdfReader

	from complaint_mgmt.services import notices

	complaint = ComplaintFactory(
		complaint_type="Damaged",
		customer_language=language,
		goods_value=2000,
		freight=20,
		is_insured=1,
		insured_value=2000,
	)
	inv = ComplaintInvestigationFactory(complaint=complaint.name)
	inv.update({"liability": "Company", "responsible_node": "Hub", "findings": "<p>Crushed at the hub</p>"})
	inv.save()
	CompensationFactory(complaint=complaint.name, lines=cash_line(450))
	pdf = notices.render_pdf(frappe.get_doc("Complaint", complaint.name), notices.HANDLING_NOTICE)
	assert pdf.startswith(b"%PDF")
	text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
	assert title.replace(" ", "") in text.replace(" ", "")
	assert complaint.name in text and amount in text
	if language == "zh":
		assert "公司责任" in text.replace(" ", "")


def test_regulator_explanation_report_lists_the_evidence_chain(people):
	import io

	from pypdf import PdfReader

	from complaint_mgmt.services import notices

	complaint = ComplaintFactory(complaint_type="Damaged", regulator_involved=1, customer_language="en")
	inv = ComplaintInvestigationFactory(complaint=complaint.name)
	pdf = notices.render_pdf(frappe.get_doc("Complaint", complaint.name), notices.REGULATOR_REPORT)
	text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
	assert inv.evidence[0].evidence_item.split()[0] in text


def test_approval_of_an_important_complaint_attaches_the_handling_notice(people, damaged, as_user):
	approved_by_agent(damaged, 450, people, as_user)
	files = frappe.get_all(
		"File",
		filters={"attached_to_doctype": "Complaint", "attached_to_name": damaged.name},
		pluck="file_name",
	)
	assert any(name.endswith(".pdf") and "handling_notice" in name for name in files)


def test_approval_stands_when_the_handling_notice_cannot_be_produced(people, damaged, as_user, monkeypatch):
	from complaint_mgmt.services import notices

	def broken(doc, print_format):
		raise OSError("wkhtmltopdf reported an error")

	monkeypatch.setattr(notices, "render_pdf", broken)
	comp = CompensationFactory(complaint=damaged.name, lines=cash_line(450))
	submit(comp)
	as_user(people["Complaint Agent"])
	assert approve(comp.name).workflow_state == "Approved"
	comments = frappe.get_all(
		"Comment",
		filters={"reference_doctype": "Complaint", "reference_name": damaged.name},
		pluck="content",
	)
	assert any("could not be produced" in c and "wkhtmltopdf" in c for c in comments)
	assert not frappe.get_all(
		"File", filters={"attached_to_doctype": "Complaint", "attached_to_name": damaged.name}
	)


def test_customer_acceptance_is_recorded_on_the_complaint(people, damaged):
	from complaint_mgmt.api.compensation import record_acceptance

	comp = CompensationFactory(complaint=damaged.name, lines=cash_line(100))
	record_acceptance(comp.name)
	assert frappe.db.get_value("Compensation", comp.name, "customer_response") == "Accepted"
	assert frappe.db.get_value("Complaint", damaged.name, "customer_accepted") == 1


def test_a_bulk_approval_cannot_go_above_the_approvers_level(people, as_user, committed):
	"""Frappe's bulk workflow action commits and rolls back per document, so this test commits."""
	import json

	from frappe.model.workflow import bulk_workflow_approval

	complaint = handled(people, complaint_type="Bad Attitude")
	small = CompensationFactory(complaint=complaint.name, lines=cash_line(300))
	large = CompensationFactory(complaint=complaint.name, lines=cash_line(1500))
	for comp in (small, large):
		submit(comp)
	for user in people.values():
		committed.track("User", user)
	committed.track("Complaint", complaint.name)
	for comp in (small, large):
		committed.track("Compensation", comp.name)
	committed.commit()

	as_user(people["Complaint Agent"])
	frappe.db.commit = frappe.flags.complaint_real_commit
	try:
		bulk_workflow_approval(json.dumps([small.name, large.name]), "Compensation", "Approve")
	finally:
		frappe.db.commit = lambda *args, **kwargs: None
	assert frappe.db.get_value("Compensation", small.name, "workflow_state") == "Approved"
	assert frappe.db.get_value("Compensation", large.name, "workflow_state") == "Pending Approval"


def test_customers_are_reminded_of_evidence_they_have_not_sent(people, damaged):
	from frappe.utils import add_days, now_datetime

	from complaint_mgmt.api.compensation import request_customer_evidence
	from complaint_mgmt.services.investigation import send_reminders

	inv = ComplaintInvestigationFactory(complaint=damaged.name)
	assert request_customer_evidence(inv.name) >= 1
	row = next(
		r for r in frappe.get_doc("Complaint Investigation", inv.name).evidence if r.status == "Requested"
	)
	frappe.db.set_value(
		"Complaint Investigation Evidence", row.name, "requested_at", add_days(now_datetime(), -2)
	)
	assert send_reminders() >= 1
	assert frappe.db.get_value("Complaint Investigation Evidence", row.name, "reminders_sent") == 1
