"""Improvement actions (CAPA): the workflow Open → In Progress → Done → Verified, the computed
effectiveness check, overdue reminders, and the owner's access."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import frappe
import pytest
from frappe.model.workflow import apply_workflow
from frappe.utils import add_days, today

from complaint_mgmt.services import improvement
from tests.factories.analytics import daily_counts
from tests.factories.doctypes import UserFactory

ROUTE = "成都-拉萨"
DONE = date(2021, 8, 1)


@pytest.fixture
def quality():
	return UserFactory(roles=["Quality Manager"]).name


def action(owner: str, **values):
	return frappe.get_doc(
		{
			"doctype": "Complaint Improvement Action",
			"title": "成都-拉萨 延误",
			"problem": "线路延误投诉激增",
			"action": "调整干线班次,增加分拣员",
			"action_type": "Re-route a Line",
			"action_owner": owner,
			"due_date": add_days(today(), 14),
			**values,
		}
	).insert()


def test_the_workflow_runs_open_in_progress_done_verified_and_stamps_who_and_when(quality, as_user):
	as_user(quality)
	doc = action(quality)
	assert doc.workflow_state == "Open"
	for step in ("Start", "Mark Done", "Verify"):
		doc = apply_workflow(doc, step)
	assert doc.workflow_state == "Verified"
	assert doc.done_at and doc.verified_by == quality


def test_effectiveness_compares_the_keys_complaints_before_and_after_the_action(quality, as_user):
	# 2 a day in the 30 days before, 1 every other day in the 30 days after (15 days with one)
	daily_counts("Route", DONE - timedelta(days=30), [2] * 30 + [1, 0] * 15, node=ROUTE)
	as_user(quality)
	doc = action(quality, key_dimension="Route", key_value=ROUTE)
	doc.done_at = datetime.combine(DONE, datetime.min.time())
	improvement.measure(doc)
	assert (doc.before_count, doc.after_count, doc.after_days) == (60, 15, 30)
	assert (doc.change_percent, doc.effective) == (-75.0, "Yes")


def test_the_effect_cannot_be_typed_in(quality, as_user):
	as_user(quality)
	doc = action(quality)
	doc.effective = "Yes"
	doc.before_count = 99
	doc.save()
	doc.reload()
	assert not doc.effective and not doc.before_count


def test_a_key_needs_its_value(quality, as_user):
	as_user(quality)
	with pytest.raises(frappe.ValidationError):
		action(quality, key_dimension="Route")


def test_an_overdue_action_reminds_its_owner_once_a_day(quality, as_user):
	owner = UserFactory(roles=["Department Manager"]).name
	as_user(quality)
	doc = action(owner)
	frappe.db.set_value(doc.doctype, doc.name, "due_date", add_days(today(), -1))
	as_user("Administrator")
	assert improvement.daily()["reminded"] == 1
	assert frappe.get_all("Notification Log", filters={"document_name": doc.name}, pluck="for_user") == [
		owner
	]
	assert improvement.daily()["reminded"] == 0


def test_the_owner_without_a_capa_role_works_on_their_action(quality, as_user):
	owner = UserFactory(roles=["Department Manager"]).name
	as_user(quality)
	doc = action(owner)
	as_user(owner)
	mine = frappe.get_doc(doc.doctype, doc.name)
	mine.root_cause = "干线班次不足"
	mine.save()
	assert frappe.db.get_value(doc.doctype, doc.name, "root_cause") == "干线班次不足"
