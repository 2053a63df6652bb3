"""The shipped escalation ladder follows SPEC §1: supervisor level 1, CS manager level 2."""

from __future__ import annotations

from datetime import timedelta

import frappe
import pytest
from frappe.utils import get_datetime

from complaint_mgmt.patches.v0_3 import escalation_ladder_spec_roles as patch
from complaint_mgmt.tasks.sla import sweep
from tests.factories.doctypes import (
	ComplaintChannelFactory,
	ComplaintEscalationRuleFactory,
	ComplaintFactory,
	UserFactory,
)

ROLES = (
	"Complaint Agent",
	"Complaint Supervisor",
	"Complaint Manager",
	"Operations Manager",
	"General Manager",
)


@pytest.fixture
def staff():
	return {role: UserFactory(roles=[role]).name for role in ROLES}


def told(user: str, complaint: str) -> bool:
	"""Whether an Investigation Report escalation of the complaint notified the user."""
	notified = frappe.get_all(
		"Complaint Escalation",
		filters={"complaint": complaint, "milestone": "Investigation Report"},
		pluck="notified_users",
	)
	return any(user in (users or "").split("\n") for users in notified)


def test_supervisor_is_told_at_level_1_and_the_cs_manager_at_level_2(staff, outbox):
	channel = ComplaintChannelFactory(ack_medium="Email").name  # acknowledged at once
	doc = ComplaintFactory(complaint_type="Bad Attitude", channel=channel)  # General: an agent owns it
	due = get_datetime(
		frappe.db.get_value(
			"Complaint Milestone", {"parent": doc.name, "milestone": "Investigation Report"}, "due_at"
		)
	)
	sweep(now=due - timedelta(hours=10))  # 86 % of 72 h used: level 1
	assert told(staff["Complaint Supervisor"], doc.name)
	assert not told(staff["Complaint Manager"], doc.name)

	sweep(now=due + timedelta(minutes=1))  # breached: level 2
	assert told(staff["Complaint Manager"], doc.name)
	assert not told(staff["Operations Manager"], doc.name)

	sweep(now=due + timedelta(minutes=241))  # levels 3 and 4
	assert told(staff["Operations Manager"], doc.name)
	assert told(staff["General Manager"], doc.name)


def ladder(rule) -> list[tuple]:
	return [(row.level, row.notify_role or None) for row in sorted(rule.levels, key=lambda r: r.level)]


def test_every_shipped_rule_is_on_the_spec_ladder():
	rules = frappe.get_all("Complaint Escalation Rule", filters={"rule_name": ["like", "% escalation"]})
	assert rules
	for row in rules:
		rule = frappe.get_doc("Complaint Escalation Rule", row.name)
		assert ladder(rule)[:2] == [(1, "Complaint Supervisor"), (2, "Complaint Manager")]


def test_the_patch_corrects_the_old_seed_and_leaves_an_admins_ladder_alone():
	old = ComplaintEscalationRuleFactory(levels=[dict(level) for level in patch.OLD_SEED])
	edited_levels = [dict(level) for level in patch.OLD_SEED]
	edited_levels[1]["threshold"] = 30  # the admin moved level 2 to 30 min after the breach
	edited = ComplaintEscalationRuleFactory(levels=edited_levels)

	patch.execute()
	patch.execute()  # idempotent

	old.reload()
	edited.reload()
	assert ladder(old) == [
		(1, "Complaint Supervisor"),
		(2, "Complaint Manager"),
		(3, "Operations Manager"),
		(4, "General Manager"),
	]
	assert ladder(edited)[:2] == [(1, None), (2, "Complaint Supervisor")]
	assert [row.threshold for row in sorted(edited.levels, key=lambda r: r.level)] == [75, 30, 60, 240]
