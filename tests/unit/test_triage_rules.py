"""Triage by rules: the lexicons' signals feed the priority rules, anger 0–3, type hints."""

from __future__ import annotations

import pytest

from complaint_mgmt.engine import priority, triage
from complaint_mgmt.engine.errors import PolicyViolation
from complaint_mgmt.engine.triage_defaults import DEFAULT_LEXICONS

LEXICONS = triage.coerce(DEFAULT_LEXICONS)


def decide(text: str, **facts):
	merged, sources = triage.merge_facts(
		{"goods_category": "General", "group_size": 1, **facts}, triage.signals(text, LEXICONS)
	)
	return priority.evaluate_priority(merged, priority.DEFAULT_PRIORITY_RULES), sources


@pytest.mark.parametrize(
	("text", "fact", "word"),
	[
		("我寄的生鲜冷链包裹三天还没到，全化了", "goods_category", "生鲜"),
		("Fresh seafood arrived rotten", "goods_category", "fresh"),
		("家里老人急用的药品一直没送到", "goods_category", "药品"),
		("Urgent medicine for my father is lost", "goods_category", "medicine"),
		("我们小区多人的快递都丢了", "group_size", "多人"),
		("我们12个人的快递都是同一批，全部延误", "group_size", "12个人"),
		("再不处理我就找记者曝光你们", "media_involved", "记者"),
		("I will tell the journalist", "media_involved", "journalist"),
		("我已经打了12305投诉你们", "regulator_involved", "已经打了12305"),
		("邮政管理局转办的投诉，请尽快处理", "regulator_involved", "邮政管理局转办"),
	],
)
def test_every_urgent_signal_of_the_spec_makes_the_complaint_urgent(text, fact, word):
	decision, sources = decide(text)
	assert decision.priority == "Urgent"
	assert fact in sources and word in sources[fact].words


def test_a_threat_to_go_to_the_regulator_is_important_not_urgent():
	decision, sources = decide("再不赔偿我就去12305投诉")
	assert decision.priority == "Important"
	assert sources["regulator_intent"].words == ("12305",)


def test_lawyer_and_repeat_are_facts_of_their_own_for_the_admins_rules():
	merged, sources = triage.merge_facts({}, triage.signals("第三次投诉了，我会请律师起诉", LEXICONS))
	assert merged["legal_threat"] == "1" and merged["repeat_complaint"] == "1"
	assert set(sources["legal_threat"].words) == {"律师", "起诉"}
	assert "第三次" in sources["repeat_complaint"].words


def test_the_text_never_overrides_what_the_agent_recorded():
	merged, sources = triage.merge_facts(
		{"goods_category": "Valuables", "group_size": 30, "media_involved": 1},
		triage.signals("生鲜水果，我们5个人，记者", LEXICONS),
	)
	assert merged["goods_category"] == "Valuables" and merged["group_size"] == 30
	assert merged["media_involved"] == 1 and not sources


def test_a_head_count_below_the_group_size_does_not_make_a_group():
	decision, _ = decide("我们两个人一起寄的件")
	assert decision.priority == "General"


def test_an_ordinary_complaint_has_no_signal():
	decision, sources = decide("快递员态度不好")
	assert decision.priority == "General" and not sources


def test_words_are_found_in_full_width_and_mixed_case():
	found = triage.signals("ＦＲＥＳＨ fish, reporter coming", LEXICONS)
	assert {m.lexicon.name for m in found} == {"Fresh food", "Media exposure"}


@pytest.mark.parametrize(
	("text", "level"),
	[
		("包裹延误了，请帮忙查一下", 0),
		("太差了", 2),
		("服务太差，无语", 2),
		("什么时候到？", 0),
		("到底什么时候到？？？", 2),
		("你们这些骗子！！！气死我了", 3),
		("请尽快处理！！", 1),
	],
)
def test_anger_level_from_words_intensity_and_punctuation(text, level):
	assert triage.anger(text, LEXICONS).level == level


def test_anger_shows_the_words_that_raised_it():
	result = triage.anger("快快快！！！你们是骗子吗", LEXICONS)
	assert result.level == 3
	assert {"骗子", "!!!", "快快快"} <= set(result.words)


def test_shouting_in_capitals_counts():
	assert triage.anger("WHERE IS MY PARCEL", LEXICONS).level == 1


def test_anger_thresholds_are_checked():
	with pytest.raises(PolicyViolation):
		triage.anger("x", LEXICONS, thresholds=(2, 1, 4))


def test_type_hint_prefers_the_type_with_the_most_specific_words():
	hint = triage.type_hint("外包装破损，里面的杯子摔碎了", LEXICONS)
	assert hint.lexicon.complaint_type == "Damaged"
	assert hint.words == ("破损", "碎了", "摔碎")
	assert triage.type_hint("hello", LEXICONS) is None


@pytest.mark.parametrize(
	("data", "message"),
	[
		({"lexicon_name": "x", "kind": "Mood", "words": "a"}, "Unknown lexicon kind"),
		({"lexicon_name": "x", "kind": "Signal", "words": ""}, "needs at least one word"),
		(
			{"lexicon_name": "x", "kind": "Signal", "words": "a", "fact": "colour", "value": "1"},
			"priority fact",
		),
		(
			{"lexicon_name": "x", "kind": "Signal", "words": "a", "fact": "group_size", "value": "many"},
			"whole number",
		),
		({"lexicon_name": "x", "kind": "Type Hint", "words": "a"}, "complaint type"),
		({"lexicon_name": "x", "kind": "Anger", "words": "a", "weight": -1}, "above zero"),
	],
)
def test_a_bad_lexicon_is_refused_with_a_reason(data, message):
	with pytest.raises(PolicyViolation, match=message):
		triage.validate_lexicon(triage.Lexicon.from_dict(data))


def test_the_seeded_lexicons_are_valid_and_words_split_on_lines_and_commas():
	for lexicon in LEXICONS:
		triage.validate_lexicon(lexicon)
	assert triage.split_words("生鲜, 冷链\n海鲜、水果；Fresh") == ("生鲜", "冷链", "海鲜", "水果", "fresh")
