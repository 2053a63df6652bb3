"""Bad input is refused with a clear, translated message and nothing is saved."""

from __future__ import annotations

import frappe
import pytest

from tests.factories.doctypes import ComplaintFactory, UserFactory


def refused(lang: str, **fields) -> str:
	frappe.local.lang = lang
	frappe.local.lang_full_dict = None
	before = frappe.db.count("Complaint")
	with pytest.raises(frappe.ValidationError) as info:
		ComplaintFactory(**fields)
	assert frappe.db.count("Complaint") == before
	return str(info.value)


@pytest.mark.parametrize(
	("fields", "english", "chinese"),
	[
		({"waybill_no": "12-AB"}, "is not valid: it must look like", "运单号"),
		({"customer_phone": "12345"}, "Phone number <strong>12345</strong> is not valid", "电话号码"),
		(
			{"customer_email": "not-an-email"},
			"Email address <strong>not-an-email</strong> is not valid",
			"邮箱地址",
		),
		(
			{"evidence": [{"file": "/files/damage.jpg", "evidence_kind": "Photo"}], "evidence_consent": 0},
			"customer's consent",
			"客户同意",
		),
		({"goods_value": -5}, "cannot be negative", "不能为负数"),
	],
)
def test_bad_input_is_refused_in_english_and_chinese(fields, english, chinese):
	assert english in refused("en", **fields)
	assert chinese in refused("zh", **fields)


def test_evidence_with_consent_is_kept_with_who_and_when():
	doc = ComplaintFactory(
		evidence_consent=1, evidence=[{"file": "/files/damage.jpg", "evidence_kind": "Photo"}]
	)
	assert doc.consent_recorded_at and doc.consent_recorded_by == "Administrator"
	assert doc.evidence[0].uploaded_at


def test_lowering_priority_needs_the_supervisor_role_and_a_reason(as_user):
	from complaint_mgmt.api.complaint import change_priority

	agent = UserFactory(roles=["Complaint Agent"]).name
	supervisor = UserFactory(roles=["Complaint Supervisor"]).name
	doc = ComplaintFactory(goods_category="Medical", lead_owner=agent)
	frappe.db.set_value("Complaint", doc.name, "lead_owner", agent)
	assert doc.priority == "Urgent"

	as_user(agent)
	frappe.local.lang = "zh"
	frappe.local.lang_full_dict = None
	with pytest.raises(frappe.ValidationError, match="客服主管"):
		change_priority(doc.name, "General", "客户撤回")
	assert frappe.db.get_value("Complaint", doc.name, "priority") == "Urgent"

	as_user(supervisor)
	frappe.local.lang = "en"
	frappe.local.lang_full_dict = None
	with pytest.raises(frappe.ValidationError, match="reason"):
		change_priority(doc.name, "General", "")
	assert change_priority(doc.name, "General", "Customer withdrew the medical claim") == "General"
	log = frappe.get_all(
		"Complaint Priority Change",
		filters={"parent": doc.name, "automatic": 0},
		fields=["from_priority", "to_priority", "changed_by", "reason"],
	)
	assert [(r.from_priority, r.to_priority, r.changed_by) for r in log] == [
		("Urgent", "General", supervisor)
	]

	# a later save does not silently undo the supervisor's decision
	as_user("Administrator")
	again = frappe.get_doc("Complaint", doc.name)
	again.description = "补充说明"
	again.save()
	assert again.priority == "General"
