"""The complaint's connected records on its form, and the customer's side of the website."""

from __future__ import annotations

import json

import frappe
import pytest
from frappe.utils import set_request
from frappe.website.serve import get_response

from tests.factories.doctypes import ComplaintFactory, ComplaintInvestigationFactory, UserFactory


@pytest.fixture
def agent():
	return UserFactory(roles=["Complaint Agent"]).name


def test_the_complaint_form_connects_investigations_compensations_escalations_and_surveys(agent):
	from frappe.desk.notifications import get_open_count

	dashboard = frappe.get_meta("Complaint").get_dashboard_data()
	assert dashboard.fieldname == "complaint"
	connected = {doctype for group in dashboard.transactions for doctype in group["items"]}
	assert connected >= {
		"Complaint Investigation",
		"Compensation",
		"Complaint Escalation",
		"Complaint Survey",
	}

	doc = ComplaintFactory(complaint_type="Damaged")
	ComplaintInvestigationFactory(complaint=doc.name)
	counts = {
		row["doctype"]: row["count"]
		for row in get_open_count("Complaint", doc.name)["count"]["external_links_found"]
	}
	assert counts["Complaint Investigation"] == 1 and counts["Compensation"] == 0


def page(path: str, user: str):
	frappe.set_user(user)
	set_request(method="GET", path=f"/{path}")
	frappe.form_dict.clear()
	try:
		return get_response(path)
	finally:
		del frappe.local.request
		if hasattr(frappe.local, "path"):
			del frappe.local.path
		frappe.set_user("Administrator")


def test_a_logged_in_customer_lists_their_own_complaints_and_nobody_elses(agent):
	mine, theirs = (UserFactory(roles=[], user_type="Website User").name for _ in range(2))
	own = [ComplaintFactory(channel="Online Chat", portal_user=mine) for _ in range(2)]
	other = ComplaintFactory(channel="Online Chat", portal_user=theirs)
	anonymous = ComplaintFactory()
	response = page("my-complaints", mine)
	html = response.get_data(as_text=True)
	assert response.status_code == 200
	assert all(c.name in html for c in own)
	assert other.name not in html and anonymous.name not in html
	assert other.customer_name not in html


def test_a_visitor_is_asked_to_log_in_for_the_list():
	response = page("my-complaints", "Guest")
	assert response.status_code in (301, 302) and "/login" in response.headers["Location"]


def test_the_portal_form_asks_for_plain_text_and_keeps_it_as_typed(agent, outbox):
	from frappe.website.doctype.web_form.web_form import accept

	field = next(
		f for f in frappe.get_doc("Web Form", "complaint").web_form_fields if f.fieldname == "description"
	)
	assert field.fieldtype in ("Small Text", "Text")  # no rich-text toolbar on a phone
	frappe.set_user("Guest")
	try:
		doc = accept(
			"complaint",
			json.dumps(
				{
					"customer_name": "王女士",
					"customer_phone": "13912345678",
					"complaint_type": "Damaged",
					"description": "箱子被压坏了\n里面的杯子碎了 <2 个>",
				}
			),
		)
	finally:
		frappe.flags.in_web_form = False
		frappe.set_user("Administrator")
	saved = frappe.db.get_value("Complaint", doc.name, "description")
	assert saved == "<p>箱子被压坏了<br>里面的杯子碎了 &lt;2 个&gt;</p>"
