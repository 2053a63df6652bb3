"""The early-warning scan turns a route's jump into one alert with its numbers, tells Risk and
Quality, and the alert becomes an improvement action in one step."""

from __future__ import annotations

from datetime import date, timedelta

import frappe
import pytest

from complaint_mgmt.api import analytics as api
from complaint_mgmt.services import early_warning
from tests.factories.analytics import daily_counts
from tests.factories.doctypes import UserFactory

DAY = date(2021, 5, 31)
ROUTE = "杭州-西安"


@pytest.fixture
def jump():
	"""Two complaints a day on the route for the 63 days before DAY, fifteen on DAY."""
	first = DAY - timedelta(days=63)
	daily_counts("Route", first, [2] * 63 + [15], node=ROUTE)
	daily_counts("Type", first, [3] * 64, complaint_type="Delay")  # a flat type: no alert


@pytest.fixture
def watchers():
	return frappe._dict(
		risk=UserFactory(roles=["Risk Manager"]).name, quality=UserFactory(roles=["Quality Manager"]).name
	)


def alerts():
	return frappe.get_all(
		"Complaint Alert",
		filters={"day": DAY},
		fields=["name", "dimension", "key_value", "rule", "count", "baseline", "p_value", "status"],
	)


def test_a_jump_on_a_route_raises_one_alert_with_the_numbers_and_tells_risk_and_quality(jump, watchers):
	created = early_warning.scan(DAY)
	(alert,) = alerts()
	assert created == [alert.name]
	assert (alert.dimension, alert.key_value, alert.rule, alert.count) == ("Route", ROUTE, "Sudden Jump", 15)
	assert alert.baseline == 2.0 and alert.p_value < 0.001
	told = frappe.get_all("Notification Log", filters={"document_name": alert.name}, pluck="for_user")
	assert {watchers.risk, watchers.quality} <= set(told)
	# the next hourly scan of the same day adds nothing
	assert early_warning.scan(DAY) == []
	assert len(alerts()) == 1


def test_a_switched_off_dimension_is_not_watched(jump, watchers):
	settings = frappe.get_single("Complaint Analytics Settings")
	settings.alert_by_route = 0
	settings.save()
	assert early_warning.scan(DAY) == []


def test_the_alert_becomes_an_improvement_action_once(jump, watchers, as_user):
	(name,) = early_warning.scan(DAY)
	as_user(watchers.quality)
	action = api.raise_action(name)
	assert api.raise_action(name) == action
	doc = frappe.get_doc("Complaint Improvement Action", action)
	assert (doc.key_dimension, doc.key_value, doc.source_doctype, doc.source_name) == (
		"Route",
		ROUTE,
		"Complaint Alert",
		name,
	)
	assert doc.action_owner == watchers.quality and doc.workflow_state == "Open"
	assert frappe.db.get_value("Complaint Alert", name, ["status", "improvement_action"]) == (
		"Action Raised",
		action,
	)


def test_an_agent_cannot_see_or_act_on_alerts(jump, watchers, as_user):
	(name,) = early_warning.scan(DAY)
	as_user(UserFactory(roles=["Complaint Agent"]).name)
	with pytest.raises(frappe.PermissionError):
		api.raise_action(name)
	with pytest.raises(frappe.PermissionError):
		frappe.get_list("Complaint Alert")
