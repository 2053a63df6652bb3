"""The customer's complaint form on the website (Web Form "complaint"), used without an account."""

from __future__ import annotations

import json
import os

import frappe
import pytest
from frappe import _
from frappe.website.doctype.web_form.web_form import accept

from tests.factories.doctypes import ComplaintFactory, UserFactory

PNG_BYTES = b"\x89PNG\r\n\x1a\n" + os.urandom(32)


@pytest.fixture
def agent():
	return UserFactory(roles=["Complaint Agent"]).name


@pytest.fixture
def guest():
	frappe.set_user("Guest")
	yield
	frappe.set_user("Administrator")


def form(**values) -> str:
	data = {
		"customer_name": "王女士",
		"customer_phone": "13912345678",
		"customer_email": "wang@example.com",
		"waybill_no": "SF1300000001",
		"complaint_type": "Bad Attitude",
		"description": "<p>快递员态度恶劣，把快件扔在门口。</p>",
		"expected_resolution": "Apology",
	}
	data.update(values)
	return json.dumps(data)


def submit(**values):
	try:
		return accept("complaint", form(**values))
	finally:
		frappe.flags.in_web_form = False


def test_a_guest_files_a_complaint_that_is_recorded_acknowledged_and_assigned(agent, outbox, guest):
	doc = submit()
	frappe.set_user("Administrator")
	saved = frappe.get_doc("Complaint", doc.name)
	assert saved.channel == "Customer Portal"  # Complaint Settings → Portal Channel
	assert saved.subject == "Bad Attitude on waybill SF1300000001"
	assert (saved.customer_name, saved.customer_phone) == ("王女士", "13912345678")
	assert saved.ack_status == "Sent" and saved.ack_via == "Email"
	assert saved.customer_language == "en"  # the language the form was read in
	assert frappe.db.exists("ToDo", {"reference_name": doc.name, "allocated_to": agent, "status": "Open"})


def test_a_customer_who_gives_only_a_phone_is_acknowledged_by_sms(agent, guest):
	sms = frappe.get_single("SMS Settings")
	sms.update(
		{"sms_gateway_url": "http://127.0.0.1:9/sms", "message_parameter": "text", "receiver_parameter": "to"}
	)
	sms.flags.ignore_permissions = True
	sms.save()
	doc = submit(customer_email="")  # the portal channel answers by email, which this customer has not
	assert frappe.db.get_value("Complaint", doc.name, ["ack_status", "ack_via"]) == ("Sent", "SMS")


def upload(name: str = "parcel.png") -> str:
	"""What the browser does first (frappe.handler.upload_file, guests allowed): an unattached File."""
	file = frappe.get_doc({"doctype": "File", "file_name": name, "content": PNG_BYTES, "is_private": 0})
	return file.insert(ignore_permissions=True).file_url


def test_a_photo_sent_with_consent_becomes_private_evidence(agent, outbox, guest):
	doc = submit(portal_attachment=upload(), evidence_consent=1)
	frappe.set_user("Administrator")
	saved = frappe.get_doc("Complaint", doc.name)
	assert len(saved.evidence) == 1
	row = saved.evidence[0]
	assert row.evidence_kind == "Photo" and row.file.startswith("/private/files/")
	assert frappe.db.get_value("File", {"file_url": row.file}, ["is_private", "attached_to_name"]) == (
		1,
		doc.name,
	)
	assert saved.consent_recorded_at


@pytest.mark.parametrize(
	("values", "message"),
	[
		({"portal_attachment": "/files/parcel.png"}, "consent"),
		({"customer_phone": "12345"}, "Phone number"),
		({"customer_phone": "", "customer_email": ""}, "phone number or email"),
		({"waybill_no": "not a waybill"}, "Waybill number"),
		({"portal_attachment": "/private/files/someone-elses.pdf", "evidence_consent": 1}, "not received"),
	],
)
def test_bad_input_is_refused_and_nothing_is_kept(agent, outbox, guest, values, message):
	before = frappe.db.count("Complaint"), frappe.db.count("File")
	with pytest.raises(frappe.ValidationError, match=message):
		submit(**values)
	frappe.db.rollback()  # what a failed web request does
	frappe.set_user("Administrator")
	assert (frappe.db.count("Complaint"), frappe.db.count("File")) == before


def test_a_file_someone_else_uploaded_cannot_be_claimed(agent, outbox):
	theirs = upload("their-receipt.png")  # uploaded by Administrator
	frappe.set_user("Guest")
	with pytest.raises(frappe.ValidationError, match="not received"):
		submit(portal_attachment=theirs, evidence_consent=1)


def test_a_logged_in_customer_is_linked_to_the_complaint(agent, outbox):
	customer = UserFactory(roles=[], user_type="Website User")
	frappe.set_user(customer.name)
	frappe.local.lang = "zh"
	doc = submit()
	frappe.set_user("Administrator")
	assert frappe.db.get_value("Complaint", doc.name, ["portal_user", "customer_language"]) == (
		customer.name,
		"zh",
	)


def test_the_form_offers_the_sub_types_in_the_readers_language():
	frappe.set_user("Guest")
	frappe.local.lang = "zh"
	web_form = frappe.get_doc("Web Form", "complaint")
	context = frappe._dict()
	frappe.form_dict.is_new = True
	frappe.local.path = "complaint/new"
	try:
		web_form.get_context(context)
	finally:
		frappe.form_dict.pop("is_new", None)
		del frappe.local.path
	field = next(f for f in context.web_form_doc.web_form_fields if f.fieldname == "complaint_type")
	options = {o["value"]: o["label"] for o in json.loads(field.options)}
	assert "Damaged" in options and "Service Quality" not in options  # a category only groups
	assert options["Damaged"] == "货损货差类 · 破损"


def test_a_customer_follows_the_complaint_with_its_number_and_phone(agent, outbox):
	from complaint_mgmt.api.portal import track

	doc = ComplaintFactory(complaint_type="Damaged", customer_phone="13912345678")
	frappe.set_user("Guest")
	status = track(doc.name.lower(), "+86 139 1234 5678")
	assert status["complaint"] == doc.name and status["status"] == _(doc.workflow_state)
	assert status["complaint_type"] == "Damaged" and status["expected_by"] and not status["closed_at"]


@pytest.mark.parametrize("which", ["wrong contact", "unknown number"])
def test_a_wrong_contact_and_an_unknown_number_get_the_same_refusal(agent, outbox, which):
	from complaint_mgmt.api.portal import track

	doc = ComplaintFactory(customer_phone="13912345678", customer_email="wang@example.com")
	frappe.set_user("Guest")
	number, contact = (
		(doc.name, "13900000000") if which == "wrong contact" else ("CMP-1999-000001", "13912345678")
	)
	with pytest.raises(frappe.ValidationError, match="No complaint matches this number and phone or email"):
		track(number, contact)


def test_the_status_page_and_the_form_answer_a_visitor():
	from frappe.utils import set_request
	from frappe.website.serve import get_response

	frappe.set_user("Guest")
	for path, text in (("complaint-status", "Follow Your Complaint"), ("complaint/new", "File a Complaint")):
		set_request(method="GET", path=f"/{path}")  # routing web forms needs a request
		frappe.form_dict.clear()
		try:
			response = get_response(path)
		finally:
			del frappe.local.request
			if hasattr(frappe.local, "path"):
				del frappe.local.path
		assert response.status_code == 200 and text in response.get_data(as_text=True), path


def test_a_logged_in_customer_still_downloads_the_photo_they_sent_once_it_is_evidence(agent, outbox):
	from frappe.core.doctype.file.utils import find_file_by_url

	customer, stranger = (UserFactory(roles=[], user_type="Website User").name for _ in range(2))
	frappe.set_user(customer)
	doc = submit(portal_attachment=upload("my-parcel.png"), evidence_consent=1)
	frappe.set_user("Administrator")
	url = frappe.get_doc("Complaint", doc.name).evidence[0].file
	assert url.startswith("/private/files/")
	frappe.set_user(customer)
	assert find_file_by_url(url) is not None  # their own photo, now the complaint's evidence
	frappe.set_user(stranger)
	assert find_file_by_url(url) is None
	frappe.set_user("Administrator")
