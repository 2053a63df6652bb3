"""Which region a branch belongs to, and which region maps are refused."""

from __future__ import annotations

from complaint_mgmt.engine import regions

MAP = regions.normalise([("上海", "华东"), ("广州", "华南"), ("上海浦东", "浦东片区"), (" 北京 ", " 华北 ")])


def test_the_longest_matching_prefix_wins_whatever_the_row_order():
	assert regions.region_for("上海浦东机场网点", MAP) == "浦东片区"
	assert regions.region_for("上海人民路网点", MAP) == "华东"


def test_names_and_prefixes_are_trimmed_and_an_unknown_branch_has_no_region():
	assert regions.region_for("  北京朝阳网点", MAP) == "华北"
	assert regions.region_for("成都武侯网点", MAP) == ""
	assert regions.region_for("", MAP) == regions.region_for(None, MAP) == ""


def test_a_prefix_must_be_unique_and_both_columns_given():
	found = regions.problems([("上海", "华东"), ("上海 ", "华北"), ("", "华南"), ("广州", None)])
	assert [(row, message.split(":")[1].strip()[:9]) for row, message, _v in found] == [
		(2, "the prefi"),
		(3, "give both"),
		(4, "give both"),
	]
	assert found[0][2] == {"prefix": "上海", "first": 1}
	assert regions.problems(regions.default_map()) == []
