"""A complaint's region comes from its origin branch by the admin's region map: set at intake and
when the branch changes, never typed, back-filled for older complaints in one statement, and read
by the rollup, the reports' region filter and the early warning."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import frappe
import pytest

from complaint_mgmt.services import analytics, early_warning, policy_cache, regions
from tests.factories.access import handled_by
from tests.factories.analytics import daily_counts
from tests.factories.doctypes import ComplaintDepartmentFactory, ComplaintFactory, UserFactory
from tests.integration.test_analytics_reports import run

SETTINGS = "Complaint Analytics Settings"
MAP = [("上海", "华东"), ("上海浦东", "浦东片区"), ("广州", "华南"), ("北京", "华北")]


def save_map(pairs) -> None:
	settings = frappe.get_single(SETTINGS)
	settings.set("region_map", [{"branch_prefix": p, "region": r} for p, r in pairs])
	settings.save()


@pytest.fixture
def region_map():
	save_map(MAP)
	yield MAP
	frappe.db.rollback()
	frappe.clear_document_cache(SETTINGS, SETTINGS)
	policy_cache.clear()


def test_a_new_complaint_takes_the_region_of_its_branch_longest_prefix_first(region_map):
	assert ComplaintFactory(origin_branch="上海人民路网点").region == "华东"
	assert ComplaintFactory(origin_branch="上海浦东新区网点").region == "浦东片区"
	assert ComplaintFactory(origin_branch=" 广州白云网点").region == "华南"
	assert not ComplaintFactory(origin_branch="成都武侯网点").region
	assert not ComplaintFactory(origin_branch=None).region


def test_the_region_follows_the_branch_and_cannot_be_typed(region_map, as_user):
	agent = UserFactory(roles=["Complaint Agent"]).name
	complaint = handled_by(agent, origin_branch="北京朝阳网点")
	as_user(agent)
	doc = frappe.get_doc("Complaint", complaint.name)
	doc.region = "火星"
	doc.save()
	assert frappe.db.get_value("Complaint", complaint.name, "region") == "华北"
	doc = frappe.get_doc("Complaint", complaint.name)
	doc.origin_branch = "广州天河网点"
	doc.save()
	assert frappe.db.get_value("Complaint", complaint.name, "region") == "华南"


def test_a_saved_map_is_used_by_the_very_next_complaint(region_map):
	assert ComplaintFactory(origin_branch="成都武侯网点").region == ""
	save_map([*MAP, ("成都", "西南")])
	assert ComplaintFactory(origin_branch="成都锦江网点").region == "西南"


@pytest.mark.parametrize(
	("pairs", "message"),
	[
		([("上海", "华东"), ("上海", "华北")], "already in row 1"),
		([("上海", "")], "give both"),
		([("  ", "华东")], "give both"),
	],
)
def test_a_map_with_a_prefix_twice_or_a_blank_is_refused(region_map, pairs, message):
	with pytest.raises(frappe.ValidationError, match=message):
		save_map(pairs)
	assert [(r.branch_prefix, r.region) for r in frappe.get_single(SETTINGS).region_map] == MAP


def test_the_back_fill_sets_every_region_by_the_map_and_a_second_run_changes_nothing(region_map):
	names = [
		ComplaintFactory(origin_branch=branch).name
		for branch in ("上海人民路网点", "上海浦东新区网点", "广州白云网点", "成都武侯网点", "北京_50%网点")
	]
	frappe.db.sql("update `tabComplaint` set region = 'stale' where name in %s", (tuple(names),))
	save_map([*MAP, ("成都", "西南"), ("北京_", "京南")])
	assert regions.backfill() >= 5
	assert [frappe.db.get_value("Complaint", n, "region") for n in names] == [
		"华东",
		"浦东片区",
		"华南",
		"西南",
		"京南",
	]
	assert regions.backfill() == 0


def test_the_region_grain_feeds_the_share_and_the_region_filter(region_map):
	department = ComplaintDepartmentFactory().name
	day = datetime(2020, 9, 7, 10)
	branches = ("上海人民路网点", "上海长江路网点", "广州白云网点", "成都武侯网点")
	for offset, branch in enumerate(branches):
		doc = ComplaintFactory(origin_branch=branch)
		frappe.db.set_value(
			"Complaint",
			doc.name,
			{"received_at": day + timedelta(hours=offset), "department": department},
			update_modified=False,
		)
	analytics.recompute(date(2020, 9, 7), date(2020, 9, 8))
	period = {"from_date": "2020-09-01", "to_date": "2020-09-30", "department": department}
	share = run("Complaint Share", group_by="Region", **period).data
	assert [(r["key"], r["received"], r["share"]) for r in share] == [
		("华东", 2, 50.0),
		("Not Set", 1, 25.0),
		("华南", 1, 25.0),
	]
	trend = run("Complaint Volume Trend", region="华东", **period).data
	assert [r["received"] for r in trend] == [2]
	with pytest.raises(frappe.ValidationError, match="one of route, origin branch or region"):
		run("Complaint Volume Trend", region="华东", route="上海-北京", **period)


def test_a_jump_in_a_region_raises_an_alert():
	day = date(2021, 6, 30)
	daily_counts("Region", day - timedelta(days=63), [3] * 63 + [20], node="华中")
	early_warning.scan(day)
	alert = frappe.get_all(
		"Complaint Alert",
		filters={"day": day, "dimension": "Region"},
		fields=["key_value", "rule", "count"],
	)
	assert alert == [{"key_value": "华中", "rule": "Sudden Jump", "count": 20}]
