"""Special cases get a flow (SPEC §2 risk pre-check, §10 media, regulator, force majeure), on a
new complaint and on a later edit, once."""

from __future__ import annotations

from datetime import timedelta

import frappe
import pytest
from frappe.utils import get_datetime

from tests.factories.doctypes import ComplaintChannelFactory, ComplaintFactory, UserFactory


@pytest.fixture
def people():
	roles = ("Complaint Agent", "Risk Manager", "Complaint Supervisor", "Operations Manager")
	return {role: UserFactory(roles=[role]).name for role in roles}


def alerts(user: str, complaint: str) -> list[str]:
	return frappe.get_all(
		"Notification Log", filters={"for_user": user, "document_name": complaint}, pluck="subject"
	)


def todos(user: str, complaint: str) -> list[frappe._dict]:
	return frappe.get_all(
		"ToDo",
		filters={"allocated_to": user, "reference_type": "Complaint", "reference_name": complaint},
		fields=["description", "date", "status"],
	)


def test_risk_hears_of_group_media_regulator_and_high_value_cases_with_the_reason(people, settings):
	settings(high_value_threshold=3000)
	ordinary = ComplaintFactory(goods_value=200)
	assert not alerts(people["Risk Manager"], ordinary.name)

	doc = ComplaintFactory(group_size=6, goods_value=3500)
	said = alerts(people["Risk Manager"], doc.name)
	assert len(said) == 1 and "6 people" in said[0] and "High value" in said[0]
	assert "Group event" in frappe.db.get_value("Complaint", doc.name, "risk_reasons")

	doc = frappe.get_doc("Complaint", doc.name)
	doc.description = "客户再次来电"
	doc.save()  # nothing new: nobody is told again
	assert len(alerts(people["Risk Manager"], doc.name)) == 1


def test_media_exposure_set_later_tells_the_liaison_and_risk_once_with_a_pr_task(people, settings):
	liaison = UserFactory(roles=["Complaint Marketing"]).name  # PR, not a complaint handler
	settings(media_liaison=liaison, pr_statement_hours=6)
	doc = ComplaintFactory(complaint_type="Bad Attitude")
	assert not alerts(liaison, doc.name)

	doc = frappe.get_doc("Complaint", doc.name)
	doc.update({"media_involved": 1, "media_details": "微博热搜"})
	doc.save()
	doc.reload()
	assert alerts(liaison, doc.name) and any("Media" in s for s in alerts(people["Risk Manager"], doc.name))
	assert get_datetime(doc.pr_statement_due) - get_datetime(doc.media_notified_at) == timedelta(hours=6)
	task = todos(liaison, doc.name)
	assert len(task) == 1 and "PR statement" in task[0].description
	assert str(task[0].date) == str(get_datetime(doc.pr_statement_due).date())

	doc.save()
	assert len(todos(liaison, doc.name)) == 1
	assert len([s for s in alerts(liaison, doc.name) if "Media" in s]) == 1


def test_a_regulator_case_gets_a_deadline_a_named_liaison_and_the_report(people, settings):
	settings(regulator_explanation_hours=24)
	liaison = UserFactory(roles=["Complaint Supervisor"]).name
	doc = ComplaintFactory(complaint_type="Damaged", regulator_involved=1, customer_language="en")
	doc.reload()
	assert get_datetime(doc.regulator_explanation_due) - get_datetime(doc.received_at) <= timedelta(
		hours=24, minutes=1
	)
	assert frappe.db.exists(
		"Comment", {"reference_name": doc.name, "content": ["like", "%name the regulator liaison%"]}
	)

	doc.regulator_liaison = liaison
	doc.save()
	task = todos(liaison, doc.name)
	assert len(task) == 1 and "Regulator Explanation Report" in task[0].description

	html = frappe.get_print("Complaint", doc.name, print_format="Regulator Explanation Report", doc=doc)
	assert frappe.utils.get_fullname(liaison) in html and "Explanation Due" in html


def test_force_majeure_keeps_the_notice_and_sends_the_alternative_once(people, outbox):
	channel = ComplaintChannelFactory(ack_medium="Email").name
	doc = ComplaintFactory(
		channel=channel,
		customer_language="en",
		force_majeure=1,
		force_majeure_notice="/files/lockdown-notice.pdf",
	)
	doc.reload()
	notice = [row for row in doc.evidence if row.official_notice]
	assert len(notice) == 1 and notice[0].file == "/files/lockdown-notice.pdf"
	assert not doc.evidence_consent  # an authority's notice needs no consent

	doc.update({"fm_alternative": "Agreed Delay", "fm_alternative_detail": "封控解除后 2 日内优先派送"})
	doc.save()
	doc.reload()
	assert doc.fm_alternative_sent_at
	sent = frappe.get_all(
		"Comment",
		filters={"reference_name": doc.name, "content": ["like", "%Alternative sent%"]},
		pluck="content",
	)
	assert len(sent) == 1 and "Agreed Delay: 封控解除后 2 日内优先派送" in sent[0]
	doc.save()
	assert (
		frappe.db.count("Comment", {"reference_name": doc.name, "content": ["like", "%Alternative sent%"]})
		== 1
	)


def test_a_liaisons_task_neither_makes_them_the_owner_nor_meets_the_assign_clock(settings):
	"""The PR / explanation tasks are side tasks: the complaint's owner and its Assign clock come
	from a real assignment, not from the liaison's to-do."""
	liaison = UserFactory(roles=["Complaint Marketing"]).name
	settings(media_liaison=liaison)
	doc = ComplaintFactory(complaint_type="Bad Attitude", media_involved=1, media_details="记者来电")
	doc.reload()
	assert len(todos(liaison, doc.name)) == 1
	assert liaison not in (doc.lead_owner, doc.co_owner)
	assign = next(row for row in doc.milestones if row.milestone == "Assign")
	assert not assign.met_at or doc.lead_owner, "the Assign clock was met with no owner"
