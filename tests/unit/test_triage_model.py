"""Text features and the learned suggestion (naive Bayes over character n-grams)."""

from __future__ import annotations

import json
import random

from complaint_mgmt import demo_phrases
from complaint_mgmt.engine import triage_model, triage_text


def test_text_is_normalised_before_reading():
	assert triage_text.normalise("<p>外包装&nbsp;破损！！</p> ＡＢＣ") == "外包装 破损!! abc"


def test_chinese_is_read_as_character_ngrams_and_latin_runs_as_tokens():
	grams = triage_text.char_ngrams(triage_text.normalise("破损了, sf123 APP"), sizes=(1, 2))
	assert grams == ["破", "损", "了", "破损", "损了", "sf123", "app"]
	assert "channel=email" in triage_text.features("a", "b", "Email")


def examples(n: int, seed: int = 7):
	rng = random.Random(seed)
	kinds = list(demo_phrases.PHRASES)
	for i in range(n):
		kind = kinds[i % len(kinds)]
		subject, description = demo_phrases.text(rng, {"complaint_type": kind}, {})
		yield f"C{i}", triage_text.features(subject, description), kind


def test_the_model_learns_the_types_from_varied_phrasings_and_beats_a_weak_baseline():
	rows = [(key, grams, kind, "Delay") for key, grams, kind in examples(1600)]
	result = triage_model.evaluate(rows, percent=25)
	assert result.tested_on + result.trained_on == 1600
	assert 300 < result.tested_on < 500
	assert result.accuracy >= 0.85
	assert result.accuracy > result.baseline_accuracy
	assert sum(result.confusion.values()) == result.tested_on


def test_a_suggestion_has_a_confidence_and_the_phrases_that_drove_it():
	model = triage_model.train(((g, k) for _, g, k in examples(1600)), min_count=2)
	text = "外包装破损，箱子压扁了"
	guess = model.predict(triage_text.features("", text), text=triage_text.normalise(text))
	assert guess.label == "Damaged"
	assert 0 < guess.confidence <= 1
	assert any("破损" in w for w in guess.words)


def test_the_model_survives_storage_as_json():
	model = triage_model.train(((g, k) for _, g, k in examples(400)), min_count=2, max_grams=500)
	assert len(model.grams) == 500
	again = triage_model.Model.from_dict(json.loads(json.dumps(model.to_dict())))
	grams = triage_text.features("包裹丢了", "显示签收但没收到")
	assert again.predict(grams) == model.predict(grams)


def test_the_held_out_share_is_stable_and_about_the_percentage():
	keys = [f"CMP-{i}" for i in range(2000)]
	share = sum(triage_model.held_out(k, 20) for k in keys) / len(keys)
	assert 0.15 < share < 0.25
	assert [triage_model.held_out(k, 20) for k in keys] == [triage_model.held_out(k, 20) for k in keys]


def test_the_confusion_table_lists_actual_against_suggested():
	table = triage_model.confusion_table({("Delay", "Delay"): 3, ("Delay", "Damaged"): 1})
	assert table[0] == ["actual \\ suggested", "Damaged", "Delay"]
	assert table[2] == ["Delay", "1", "3"]


def test_similar_search_finds_the_same_event_in_other_words_and_exact_matches():
	from complaint_mgmt.engine.similar import SimilarIndex

	index = SimilarIndex()
	index.add("A", "冷链车到成都后箱子全部压扁变形，里面的玻璃瓶碎了", {"route": "杭州-成都"}, bulk=True)
	index.add("B", "快递员说话不礼貌，态度很差", {"waybill_no": "SF1"}, bulk=True)
	for i in range(40):
		index.add(f"N{i}", f"其他问题{i}号，请尽快处理，谢谢", {}, bulk=True)
	index.refresh_norms()
	found = index.search(
		"到成都的冷链车卸货时箱子压扁，玻璃瓶碎了好几个", {"route": "杭州-成都", "waybill_no": "sf1"}
	)
	by_key = {s.key: s for s in found}
	assert by_key["B"].reasons == ("waybill_no",) and by_key["B"].score == 1.0
	assert by_key["A"].reasons == ("text", "route")
	assert 0.35 <= by_key["A"].score < 1
	assert "玻璃瓶碎了" in by_key["A"].words
	assert not any(key.startswith("N") for key in by_key)


def test_a_complaint_indexed_again_is_found_once_and_can_be_excluded():
	from complaint_mgmt.engine.similar import SimilarIndex

	index = SimilarIndex()
	index.add("A", "包裹丢失", {})
	index.add("A", "外包装破损，杯子碎了", {})
	index.add("B", "外包装破损，碗碎了", {})
	assert [s.key for s in index.search("外包装破损，杯子碎了", min_score=0.1)] == ["A", "B"]
	assert [s.key for s in index.search("外包装破损，杯子碎了", min_score=0.1, exclude="A")] == ["B"]
	assert len(index) == 2
