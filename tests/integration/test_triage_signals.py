"""Triage by rules at intake (issue 14): the customer's words feed the priority rules, anger is
measured, and every signal shows the words it came from."""

from __future__ import annotations

import frappe
import pytest

from tests.factories.doctypes import ComplaintFactory


def test_fresh_food_in_the_description_makes_an_ordinary_delay_urgent():
	doc = ComplaintFactory(description="我寄的生鲜冷链包裹三天还没到", goods_category="General")
	assert doc.priority == "Urgent"
	assert "生鲜" in doc.priority_reason and "冷链" in doc.priority_reason
	assert "Fresh food: 生鲜、冷链" in doc.triage_signals


def test_a_journalist_and_a_regulator_referral_are_urgent_each():
	media = ComplaintFactory(description="我已经联系了记者，准备曝光")
	referral = ComplaintFactory(subject="邮政管理局转办", description="请核实处理")
	assert (media.priority, referral.priority) == ("Urgent", "Urgent")
	assert "记者" in media.priority_reason
	assert "邮政管理局转办" in referral.priority_reason


def test_a_group_of_customers_in_the_text_is_urgent():
	doc = ComplaintFactory(description="我们小区8个人的快递都是同一批，全部延误")
	assert doc.priority == "Urgent"
	assert "8个人" in doc.priority_reason


def test_a_threat_to_go_to_12305_is_important_and_the_anger_is_shown():
	doc = ComplaintFactory(
		complaint_type="Bad Attitude", description="快递员态度太差了！！！再不处理我就打12305投诉你们"
	)
	assert doc.priority == "Important"
	assert "12305" in doc.priority_reason
	assert doc.anger_level >= 2
	assert "!!!" in doc.triage_signals


def test_a_calm_complaint_has_no_signal_and_anger_zero():
	doc = ComplaintFactory(complaint_type="Bad Attitude", description="快递员说话不太礼貌，希望改进。")
	assert doc.priority == "General"
	assert doc.anger_level == 0 and not doc.triage_signals


def test_an_admins_new_word_is_used_at_once_and_a_bad_lexicon_is_refused():
	lexicon = frappe.get_doc("Complaint Triage Lexicon", "Fresh food")
	lexicon.words += "\n榴莲酥"
	lexicon.save()
	assert ComplaintFactory(description="订的榴莲酥还没到").priority == "Urgent"
	lexicon.words = "  \n "
	with pytest.raises(frappe.ValidationError):
		lexicon.save()
	bad = frappe.get_doc(
		{"doctype": "Complaint Triage Lexicon", "lexicon_name": "Bad", "kind": "Signal", "words": "x"}
	)
	with pytest.raises(frappe.ValidationError, match="priority fact"):
		bad.insert()


def test_a_disabled_lexicon_is_not_used():
	frappe.db.set_value("Complaint Triage Lexicon", "Media exposure", "enabled", 0)
	frappe.cache().delete_value("complaint_triage_lexicons")
	assert ComplaintFactory(description="我要找记者").priority == "General"


def test_an_admin_rule_on_a_text_fact_applies():
	frappe.get_doc(
		{
			"doctype": "Complaint Priority Rule",
			"priority": "Important",
			"field": "legal_threat",
			"operator": "=",
			"value": "1",
			"reason": "Legal action threatened",
			"enabled": 1,
		}
	).insert()
	doc = ComplaintFactory(complaint_type="Delay", description="再不赔偿我就请律师起诉")
	assert doc.priority == "Important"
	assert "律师" in doc.priority_reason
