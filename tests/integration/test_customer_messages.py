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
