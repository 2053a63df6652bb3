"""What the app tells the customer: in their language, on the complaint's timeline as Communications."""

from __future__ import annotations

import email

import frappe
import pytest

from tests.factories.doctypes import ComplaintFactory, UserFactory


@pytest.fixture
def agent():
	return UserFactory(roles=["Complaint Agent"]).name


def queued_html(name: str) -> str:
	queued = frappe.get_last_doc("Email Queue", filters={"reference_name": name})
	parts = email.message_from_string(queued.message).walk()
	return "".join(p.get_payload(decode=True).decode() for p in parts if p.get_content_type() == "text/html")


def test_a_chinese_customer_reads_the_priority_in_chinese_whoever_files_the_complaint(agent, outbox):
	frappe.local.lang = "en"  # the agent works in English
	doc = ComplaintFactory(channel="Email", customer_language="zh", complaint_type="Bad Attitude")
	body = queued_html(doc.name)
	assert "一般" in body  # General
	assert "General" not in body
	assert frappe.local.lang == "en"  # the agent's own language is left as it was


@pytest.fixture
def sms_gateway():
	"""A gateway address where nothing listens: sending is attempted and fails."""
	sms = frappe.get_single("SMS Settings")
	sms.sms_gateway_url = "http://127.0.0.1:9/sms"
	sms.message_parameter = "text"
	sms.receiver_parameter = "to"
	sms.save()


def messages(name: str) -> list[frappe._dict]:
	return frappe.get_all(
		"Communication",
		filters={
			"reference_doctype": "Complaint",
			"reference_name": name,
			"communication_type": "Communication",
		},
		fields=[
			"name",
			"subject",
			"content",
			"communication_medium",
			"recipients",
			"phone_no",
			"delivery_status",
		],
		order_by="creation asc",
	)


def test_the_acknowledgement_email_is_a_communication_on_the_complaints_timeline(agent, outbox):
	doc = ComplaintFactory(channel="Email", customer_language="en", customer_email="li@example.com")
	[ack] = messages(doc.name)
	assert ack.communication_medium == "Email" and ack.recipients == "li@example.com"
	assert doc.name in ack.subject and "We have received your complaint" in ack.content
	assert ack.delivery_status == "Sending"  # queued; the Email Queue reports the outcome to it
	queued = frappe.get_last_doc("Email Queue", filters={"reference_name": doc.name})
	assert queued.communication == ack.name
	assert not frappe.db.exists("Comment", {"reference_name": doc.name, "content": ["like", "%queued%"]})


def test_a_message_that_cannot_be_sent_is_on_the_timeline_with_the_reason(agent):
	doc = ComplaintFactory(channel="Hotline 400")  # SMS, but no gateway and no email account
	[ack] = messages(doc.name)
	assert ack.delivery_status == "Error"
	assert ack.communication_medium == "SMS"
	assert "SMS Settings" in ack.content and "email account" in ack.content
	assert doc.name in ack.content  # what we would have said is kept for whoever calls the customer


def test_an_sms_is_recorded_with_the_phone_number_and_the_gateways_answer(agent, sms_gateway):
	from complaint_mgmt.services.customer_messages import deliver_sms

	doc = ComplaintFactory(channel="Hotline 400", customer_phone="13800138000", customer_language="zh")
	[ack] = messages(doc.name)
	assert (ack.communication_medium, ack.phone_no, ack.delivery_status) == ("SMS", "13800138000", "Sending")
	assert "已收到投诉" in ack.content
	deliver_sms(ack.name)  # the background job; nothing listens at the gateway's address
	failed = frappe.get_doc("Communication", ack.name)
	assert failed.delivery_status == "Error"
	assert "127.0.0.1" in failed.content or "Connection" in failed.content


def test_the_extension_notice_is_a_communication_in_the_customers_language(agent, outbox):
	from complaint_mgmt.api.complaint import grant_extension

	doc = ComplaintFactory(channel="Email", complaint_type="Damaged", customer_language="zh")
	grant_extension(doc.name, 24, "等待第三方驿站调取监控")
	notice = messages(doc.name)[-1]
	assert notice.communication_medium == "Email"
	assert "调查需要延长时间" in notice.content and "等待第三方驿站调取监控" in notice.content
	assert "新的预计时间" in notice.subject or doc.name in notice.subject


def test_a_portal_customer_is_notified_and_the_notification_is_recorded(agent):
	customer = UserFactory(user_type="Website User").name
	doc = ComplaintFactory(
		channel="Online Chat", customer_email=None, customer_phone=None, portal_user=customer
	)
	[ack] = messages(doc.name)
	assert (ack.communication_medium, ack.recipients, ack.delivery_status) == ("Other", customer, "Sent")
	assert frappe.db.exists("Notification Log", {"for_user": customer, "document_name": doc.name})


# ------------------------------------------------------------------ the handling notice
@pytest.fixture
def quick_pdf(monkeypatch):
	from complaint_mgmt.services import notices

	monkeypatch.setattr(
		notices, "render_pdf", lambda doc, print_format: b"%PDF-1.4 notice of " + doc.name.encode()
	)


def open_link(url: str):
	from urllib.parse import parse_qs, urlparse

	from complaint_mgmt.api.portal import handling_notice

	key = parse_qs(urlparse(url).query)["key"][0]
	frappe.set_user("Guest")
	frappe.local.response = frappe._dict()
	try:
		handling_notice(key)
		return frappe.local.response
	finally:
		frappe.set_user("Administrator")


def test_the_handling_notice_is_emailed_as_an_attachment_and_recorded(agent, outbox, quick_pdf):
	from complaint_mgmt.services import notices

	doc = ComplaintFactory(channel="Hotline 400", customer_email="zhao@example.com")
	notices.send(frappe.get_doc("Complaint", doc.name))
	notice = messages(doc.name)[-1]
	assert notice.communication_medium == "Email" and notice.recipients == "zhao@example.com"
	queued = frappe.get_last_doc("Email Queue", filters={"communication": notice.name})
	assert "notice" in queued.message.lower() and "application/pdf" in queued.message


def test_without_email_the_handling_notice_goes_by_sms_as_a_link_that_opens_only_that_notice(
	agent, sms_gateway, quick_pdf
):
	import re

	from complaint_mgmt.services import notices

	doc = ComplaintFactory(channel="Email", customer_email=None, customer_phone="13900139000")
	other = ComplaintFactory(customer_email=None, customer_phone="13700137000")
	for complaint in (doc, other):
		notices.send(frappe.get_doc("Complaint", complaint.name))
	sms = messages(doc.name)[-1]
	assert (sms.communication_medium, sms.phone_no) == ("SMS", "13900139000")
	link = re.search(r"http\S+key=\w+", sms.content).group(0)
	response = open_link(link)
	assert response.type == "pdf"
	assert frappe.safe_encode(response.filecontent) == b"%PDF-1.4 notice of " + doc.name.encode()
	assert other.name not in response.filename
	with pytest.raises(frappe.DoesNotExistError):
		open_link(link[:-3] + "abc")  # a guessed key opens nothing


# ------------------------------------------------------------------ progress feedback (SPEC §4)
def test_a_general_complaint_gets_its_progress_message_once_when_due(agent, outbox):
	from frappe.utils import add_days, now_datetime

	from complaint_mgmt.services.progress_feedback import send_due

	doc = ComplaintFactory(
		channel="Email",
		complaint_type="Bad Attitude",
		customer_language="zh",
		received_at=add_days(now_datetime(), -7),
	)
	doc.reload()
	assert doc.priority == "General" and doc.progress_feedback_due_at
	before = len(messages(doc.name))
	assert send_due() >= 1
	progress = messages(doc.name)[-1]
	assert len(messages(doc.name)) == before + 1
	assert "正在处理中" in progress.content and "/complaint-status?complaint=" in progress.content
	assert frappe.db.get_value("Complaint", doc.name, "progress_feedback_at")
	send_due()
	assert len(messages(doc.name)) == before + 1  # once


def test_no_progress_message_before_it_is_due_or_for_other_priorities_or_finished_complaints(
	agent, outbox, settings
):
	from frappe.utils import add_days, now_datetime

	from complaint_mgmt.services.progress_feedback import send_due

	fresh = ComplaintFactory(channel="Email", complaint_type="Bad Attitude")
	important = ComplaintFactory(
		channel="Email", complaint_type="Damaged", received_at=add_days(now_datetime(), -7)
	)
	rejected = ComplaintFactory(
		channel="Email", complaint_type="Bad Attitude", received_at=add_days(now_datetime(), -7)
	)
	rejected.db_set({"workflow_state": "Rejected", "rejection_reason": "重复投诉"})
	frappe.get_doc("Complaint", rejected.name).save()
	counts = {d.name: len(messages(d.name)) for d in (fresh, important, rejected)}
	send_due()
	assert {d.name: len(messages(d.name)) for d in (fresh, important, rejected)} == counts
	assert not frappe.db.get_value("Complaint", rejected.name, "progress_feedback_due_at")
