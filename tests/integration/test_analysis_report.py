"""The Monthly Complaint Analysis Report of June 2020 (tests/factories/analytics.py, worked out by
hand): its figures, top types and routes, SLA lines against the targets, findings each with an
improvement action, the PDF's text and the email to the report roles."""

from __future__ import annotations

import io

import frappe
import pytest
from pypdf import PdfReader

from complaint_mgmt.api import analytics as api
from complaint_mgmt.services import analysis_report
from tests.factories.analytics import june
from tests.factories.doctypes import UserFactory


@pytest.fixture
def report():
	settings = frappe.get_single("Complaint Analytics Settings")
	settings.min_count = 3  # the month has four complaints
	settings.save()
	manager = UserFactory(roles=["Complaint Manager"]).name
	data = june()
	name = analysis_report.generate("2020-06-15")
	return frappe._dict(
		name=name, manager=manager, data=data, doc=frappe.get_doc("Complaint Analysis Report", name)
	)


def test_the_figures_of_the_month(report):
	doc = report.doc
	assert (str(doc.month), str(doc.to_date)) == ("2020-06-01", "2020-06-30")
	assert (doc.received, doc.previous_received, doc.closed) == (4, 0, 2)
	assert (doc.avg_handling_hours, doc.avg_response_hours) == (25.0, 1.0)
	assert doc.sla_attainment == 60.0
	assert (doc.avg_score, doc.low_scores, doc.low_score_rate) == (3.75, 1, 50.0)
	assert (doc.compensations, doc.compensation_amount) == (2, 300)
	assert (doc.reopen_rate, doc.escalations) == (50.0, 2)
	assert [(r.label, r.count, r.share) for r in doc.top_types] == [("Delay", 4, 100.0)]
	assert [(r.label, r.count, r.share) for r in doc.top_routes] == [("上海-北京", 4, 100.0)]
	assert doc.trend_chart.startswith("data:image/svg+xml;base64,")


def test_sla_lines_against_the_targets_and_findings_each_with_an_owned_action(report):
	doc = report.doc
	lines = {r.label: (r.share, r.target, r.result) for r in doc.sla_lines}
	assert lines == {
		"Acknowledge / Urgent": (50.0, 95, "Missed"),
		"Resolution / Urgent": (50.0, 90, "Missed"),
		"Acknowledge / General": (100.0, 95, "Met"),
	}
	findings = [row.finding for row in doc.findings]
	assert findings[0] == "Route 上海-北京: 100.0 % of the Delay complaints (4 of 4)"
	assert len(findings) == 3
	for row in doc.findings:
		action = frappe.get_doc("Complaint Improvement Action", row.improvement_action)
		assert (action.source_doctype, action.source_name) == ("Complaint Analysis Report", doc.name)
		assert action.action_owner == report.manager and action.due_date
		assert (row.action_owner, str(row.due_date)) == (action.action_owner, str(action.due_date))
	assert doc.findings[0].key_dimension == "Route"


def test_generating_again_keeps_the_actions_already_raised(report):
	before = [row.improvement_action for row in report.doc.findings]
	assert analysis_report.generate("2020-06-01") == report.name
	after = [
		row.improvement_action for row in frappe.get_doc("Complaint Analysis Report", report.name).findings
	]
	assert after == before
	assert frappe.db.count("Complaint Improvement Action", {"source_name": report.name}) == 3


def test_the_pdf_renders_without_a_web_server_in_chinese_and_english(report):
	pdf = analysis_report.render_pdf(report.name)
	assert pdf.startswith(b"%PDF")
	text = "".join("".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(pdf)).pages)
	assert "投诉分析报告" in text and "ComplaintAnalysisReport" in text
	assert "上海-北京" in text and "25.00" in text and "3.75" in text
	assert "Route上海-北京:100.0%oftheDelaycomplaints(4of4)" in text


def test_the_report_is_emailed_to_the_report_roles_with_the_pdf(report, outbox):
	recipients = analysis_report.send(report.name)
	assert report.manager in recipients
	mail = frappe.get_last_doc("Email Queue", filters={"reference_name": report.name})
	assert report.manager in [r.recipient for r in mail.recipients]
	assert f"{report.name}.pdf" in mail.message
	assert frappe.db.get_value("Complaint Analysis Report", report.name, "sent_at")
	assert frappe.db.exists("File", {"attached_to_name": report.name, "file_name": f"{report.name}.pdf"})


def test_an_agent_cannot_generate_a_report(as_user):
	as_user(UserFactory(roles=["Complaint Agent"]).name)
	with pytest.raises(frappe.PermissionError):
		api.generate_report("2020-06-01")
