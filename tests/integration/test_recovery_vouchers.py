"""Issue 12: vouchers and services — issued by an approved compensation or by hand (above a limit
only with an approver), redeemed atomically and once per waybill, expired every night."""

from __future__ import annotations

import frappe
import pytest
from frappe.model.workflow import apply_workflow
from frappe.utils import add_days, nowdate

from complaint_mgmt.api import vouchers as api
from complaint_mgmt.engine.customers import identity
from complaint_mgmt.services import customers, vouchers
from tests.factories.access import handled_by, managed_department
from tests.factories.doctypes import CompensationFactory, UserFactory
from tests.integration.test_sweep_concurrency import in_thread


@pytest.fixture
def people():
	roles = ("Complaint Agent", "Department Manager")
	return {role: UserFactory(roles=[role]).name for role in roles}


def a_customer() -> str:
	number = "137" + str(frappe.utils.random_string(8)).encode().hex()[:8].translate(
		str.maketrans("abcdef", "123456")
	)
	return customers.create(identity(phone=number), "王先生")


def waybill() -> str:
	return "SF" + frappe.generate_hash(length=10).upper()


def test_approving_a_compensation_with_a_voucher_line_issues_the_voucher_once(people, as_user):
	complaint = handled_by(people["Complaint Agent"], managed_department(people["Department Manager"]))
	comp = CompensationFactory(complaint=complaint.name, lines=[{"remedy": "Voucher", "amount": 80}])
	apply_workflow(frappe.get_doc("Compensation", comp.name), "Submit for Approval")
	assert not frappe.db.exists("Complaint Voucher", {"source_name": comp.name})
	as_user(people["Complaint Agent"])
	apply_workflow(frappe.get_doc("Compensation", comp.name), "Approve")
	as_user("Administrator")
	(voucher,) = frappe.get_all(
		"Complaint Voucher",
		filters={"source_name": comp.name},
		fields=["name", "value", "status", "customer", "code"],
	)
	assert voucher.value == 80 and voucher.status == "Issued" and voucher.customer == complaint.customer
	assert len(voucher.code) == 16
	line = frappe.get_doc("Compensation", comp.name).lines[0]
	assert line.done and line.done_reference == voucher.name  # the remedy is carried out
	frappe.get_doc("Compensation", comp.name).save()  # saving it again issues nothing more
	assert frappe.db.count("Complaint Voucher", {"source_name": comp.name}) == 1


def test_a_redemption_marks_the_voucher_used_and_a_second_one_is_refused():
	name = vouchers.issue(a_customer(), 50)
	code = frappe.db.get_value("Complaint Voucher", name, "code")
	first = waybill()
	answer = api.redeem(code.lower(), first)
	assert answer["status"] == "Redeemed" and not answer["repeated"]
	# the same request sent again answers with the same redemption, and redeems nothing more
	again = api.redeem(code, first)
	assert again["repeated"] and again["redemption"] == answer["redemption"]
	assert frappe.db.count("Voucher Redemption", {"voucher": name}) == 1
	with pytest.raises(frappe.ValidationError, match="Redeemed"):
		api.redeem(code, waybill())
	assert frappe.db.get_value("Complaint Voucher", name, "used") == 1


def test_a_service_is_used_as_many_times_as_its_quantity():
	name = vouchers.issue(a_customer(), 20, kind="Service", service="Packing", quantity=2)
	code = frappe.db.get_value("Complaint Voucher", name, "code")
	assert api.redeem(code, waybill())["status"] == "Issued"
	assert api.redeem(code, waybill())["status"] == "Redeemed"
	with pytest.raises(frappe.ValidationError):
		api.redeem(code, waybill())


def test_an_unknown_an_expired_or_a_cancelled_voucher_is_refused():
	with pytest.raises(frappe.DoesNotExistError):
		api.redeem("NOSUCHCODE234567", waybill())
	late = vouchers.issue(
		a_customer(), 30, valid_from=add_days(nowdate(), -100), valid_to=add_days(nowdate(), -1)
	)
	assert vouchers.expire() >= 1
	assert frappe.db.get_value("Complaint Voucher", late, "status") == "Expired"
	with pytest.raises(frappe.ValidationError, match="Expired"):
		api.redeem(frappe.db.get_value("Complaint Voucher", late, "code"), waybill())
	kept = vouchers.issue(a_customer(), 30)
	api.cancel(kept)
	with pytest.raises(frappe.ValidationError, match="Cancelled"):
		api.redeem(frappe.db.get_value("Complaint Voucher", kept, "code"), waybill())


def test_a_voucher_above_the_limit_waits_for_an_approver_of_the_matrix(people, as_user):
	complaint = handled_by(people["Complaint Agent"], managed_department(people["Department Manager"]))
	name = vouchers.issue(complaint.customer, 800)
	assert frappe.db.get_value("Complaint Voucher", name, ["status", "required_level"]) == (
		"Pending Approval",
		"Department Manager",
	)
	with pytest.raises(frappe.ValidationError):
		api.redeem(frappe.db.get_value("Complaint Voucher", name, "code"), waybill())
	as_user(people["Complaint Agent"])
	with pytest.raises(frappe.ValidationError, match="needs Department Manager"):
		api.approve(name)
	as_user(people["Department Manager"])
	api.approve(name)
	assert frappe.db.get_value("Complaint Voucher", name, ["status", "approved_by"]) == (
		"Issued",
		people["Department Manager"],
	)


def test_two_concurrent_redemptions_of_one_code_exactly_one_succeeds(committed, site):
	customer = a_customer()
	name = vouchers.issue(customer, 60)
	code = frappe.db.get_value("Complaint Voucher", name, "code")
	committed.track("Complaint Customer", customer)
	committed.track("Complaint Voucher", name)
	committed.commit()
	results, errors = [], []

	def redeem_on(bill: str):
		def work():
			answer = vouchers.redeem(code, bill)
			frappe.db.commit()
			return answer

		return work

	workers = [
		in_thread(site, frappe.local.sites_path, redeem_on(waybill()), results, errors) for _ in range(2)
	]
	for worker in workers:
		worker.start()
	for worker in workers:
		worker.join(120)
	frappe.db.rollback()
	for redemption in frappe.get_all("Voucher Redemption", filters={"voucher": name}, pluck="name"):
		committed.track("Voucher Redemption", redemption)
	assert len(results) == 1 and len(errors) == 1
	assert isinstance(errors[0], frappe.ValidationError)
	assert frappe.db.count("Voucher Redemption", {"voucher": name}) == 1
	assert frappe.db.get_value("Complaint Voucher", name, ["status", "used"]) == ("Redeemed", 1)
