"""The rollup behind the reports equals the raw records, after random changes, whether rebuilt,
recomputed for a range, or kept current by the marks of saves and the scheduled refresh."""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta

import frappe
import pytest

from complaint_mgmt.services import analytics, analytics_check
from tests.factories.doctypes import ComplaintFactory

DAY0 = date(2020, 3, 2)
NOW = datetime(2020, 3, 9, 12, 0)
ROUTES = ("上海-北京", "广州-成都", "深圳-武汉")
BRANCHES = ("上海浦东", "广州白云", "深圳南山")
MILESTONES = ("Acknowledge", "Assign", "Investigation Report", "Resolution")


def received(rng: random.Random) -> datetime:
	return datetime.combine(DAY0, datetime.min.time()) + timedelta(minutes=rng.randrange(3 * 24 * 60))


def raw_insert(doctype: str, **values) -> None:
	"""A record as the database holds it, without the app's rules (they are not under test)."""
	frappe.get_doc({"doctype": doctype, **values}).db_insert()


def scramble(name: str, rng: random.Random) -> None:
	"""Random, but possible, facts about one complaint."""
	doc = frappe.db.get_value("Complaint", name, ["received_at"], as_dict=True)
	start = doc.received_at
	if rng.random() < 0.7:
		frappe.db.set_value(
			"Complaint", name, "acknowledged_at", start + timedelta(minutes=rng.randrange(1, 300))
		)
	if rng.random() < 0.5:
		frappe.db.set_value("Complaint", name, "closed_at", start + timedelta(hours=rng.randrange(1, 90)))
	for row in frappe.get_all("Complaint Milestone", filters={"parent": name}, fields=["name", "due_at"]):
		due = row.due_at or start + timedelta(hours=24)
		choice = rng.random()
		values = {"due_at": due, "met_at": None, "stopped_at": None, "status": "On Track"}
		if choice < 0.4:
			values.update(met_at=due - timedelta(minutes=rng.randrange(1, 600)), status="Met")
		elif choice < 0.6:
			values.update(met_at=due + timedelta(minutes=rng.randrange(1, 600)), status="Met")
		elif choice < 0.7:
			values.update(stopped_at=due + timedelta(hours=1), status="Stopped")
		elif choice < 0.8:
			values.update(status="Paused")
		frappe.db.set_value("Complaint Milestone", row.name, values)
	if rng.random() < 0.6 and not frappe.db.exists("Complaint Survey", {"complaint": name}):
		scores = (rng.randint(1, 5), rng.randint(1, 5))
		raw_insert(
			"Complaint Survey",
			complaint=name,
			efficiency_score=scores[0],
			solution_score=scores[1],
			low_score=int(min(scores) < 4),
		)
	for _ in range(rng.randrange(3)):
		state = rng.choice(["Draft", "Approved", "Paid", "Rejected"])
		raw_insert("Compensation", complaint=name, workflow_state=state, total_amount=rng.randrange(10, 500))
	for level in range(rng.randrange(3)):
		raw_insert(
			"Complaint Escalation",
			complaint=name,
			milestone=rng.choice(MILESTONES),
			level=rng.randrange(1, 99) + level * 100,
		)
	if rng.random() < 0.3:
		raw_insert(
			"Complaint Investigation",
			complaint=name,
			liability=rng.choice(["Company", "Third Party"]),
			responsible_node=rng.choice(["Hub", "Line-haul"]),
		)
	for _ in range(rng.randrange(2)):
		frappe.get_doc("Complaint", name).add_comment("Workflow", "Reopened")


@pytest.fixture
def complaints():
	rng = random.Random(13)
	names = []
	for _ in range(10):
		doc = ComplaintFactory(
			received_at=received(rng), route=rng.choice(ROUTES), origin_branch=rng.choice(BRANCHES)
		)
		names.append(doc.name)
	for name in names:
		scramble(name, rng)
	return names


def check_range():
	return analytics_check.verify(str(DAY0), str(DAY0 + timedelta(days=3)), now=NOW)


def test_a_rebuild_gives_the_raw_figures_on_every_grain(complaints):
	result = analytics.rebuild(str(DAY0), str(DAY0 + timedelta(days=3)))
	assert result["rows"] > 0
	assert check_range() == []
	stat = frappe.qb.DocType("Complaint Daily Stat")

	def received(first, last):
		return {
			grain: int(total)
			for grain, total in frappe.qb.from_(stat)
			.select(stat.grain, frappe.qb.functions("sum", stat.received))
			.where(stat.day.between(first, last))
			.groupby(stat.grain)
			.run()
		}

	# every grain splits the same complaints differently
	days = received(DAY0, DAY0 + timedelta(days=3))
	assert days == dict.fromkeys(analytics.GRAINS, 10)
	# and each grain's month row sums its day rows of the month
	march = {g: n for g, n in received(date(2020, 3, 1), date(2020, 3, 31)).items() if g in analytics.GRAINS}
	months = received(date(2020, 3, 1), date(2020, 3, 1))
	assert {grain + analytics.MONTH: n for grain, n in march.items()} == {
		g: n for g, n in months.items() if g.endswith(analytics.MONTH)
	}


def test_after_random_changes_a_recompute_of_the_range_agrees_again(complaints):
	analytics.recompute(DAY0, DAY0 + timedelta(days=4), now=NOW)
	rng = random.Random(7)
	for name in rng.sample(complaints, 5):
		scramble(name, rng)
	assert check_range() != []  # the rollup is stale until the days are recomputed
	analytics.recompute(DAY0, DAY0 + timedelta(days=4), now=NOW)
	assert check_range() == []


def test_saving_a_complaint_marks_its_days_and_the_refresh_brings_the_rollup_up_to_date(complaints):
	analytics.recompute(DAY0, DAY0 + timedelta(days=4), now=NOW)
	frappe.cache.delete_value(analytics.DIRTY_KEY)
	doc = frappe.get_doc("Complaint", complaints[0])
	moved_from = doc.received_at.date()
	doc.route = "北京-哈尔滨"
	doc.received_at = datetime.combine(DAY0 + timedelta(days=3), datetime.min.time()) + timedelta(hours=5)
	doc.save()
	assert {moved_from, DAY0 + timedelta(days=3)} <= analytics.pending_days()
	# tests never commit: send the marks as the commit would
	analytics._flush()
	frappe.cache.set_value(analytics.LAST_SCAN_KEY, str(NOW))
	assert analytics.refresh(now=NOW) >= 2
	assert check_range() == []
	stat = frappe.get_all(
		"Complaint Daily Stat", filters={"grain": "Route", "node": "北京-哈尔滨"}, fields=["day", "received"]
	)
	assert [(row.day, row.received) for row in stat] == [(DAY0 + timedelta(days=3), 1)]


def test_a_clock_falling_due_brings_its_day_into_the_refresh(complaints):
	name = complaints[1]
	day = frappe.db.get_value("Complaint", name, "received_at").date()
	frappe.db.set_value(
		"Complaint Milestone",
		{"parent": name, "milestone": "Assign"},
		{"due_at": NOW - timedelta(minutes=1), "met_at": None, "stopped_at": None, "status": "On Track"},
	)
	assert day in analytics.due_days(NOW - timedelta(minutes=5), NOW)
	assert analytics.due_days(NOW - timedelta(minutes=5), NOW - timedelta(minutes=2)) == set()
