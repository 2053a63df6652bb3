"""The source documents' SLA numbers, used to seed the admin-editable policy records.

Nothing reads these at run time: install code copies them into Complaint SLA Policy and
Complaint Escalation Rule, where admins change them.
"""

from __future__ import annotations

MILESTONES = (
	"Acknowledge",
	"Assign",
	"Investigation Report",
	"Objection Re-evaluation",
	"Resolution",
	"Survey",
)

# hours per (milestone, priority): SPEC §2 (acknowledge 1 h Urgent, else 2 h), §4 (assign 2 / 4 / 8 h),
# §5 (report 24 / 48 / 72 h), §6 (objection re-evaluated within 2 h), §9 (Urgent closed in 24 h),
# §7 (survey within 3 days of closure). Resolution for Important / General is the admin's call;
# these are starting points.
DEFAULT_SLA_TARGETS: dict[str, dict[str, float]] = {
	"Acknowledge": {"Urgent": 1, "Important": 2, "General": 2},
	"Assign": {"Urgent": 2, "Important": 4, "General": 8},
	"Investigation Report": {"Urgent": 24, "Important": 48, "General": 72},
	"Objection Re-evaluation": {"Urgent": 2, "Important": 2, "General": 2},
	"Resolution": {"Urgent": 24, "Important": 72, "General": 120},
	"Survey": {"Urgent": 72, "Important": 72, "General": 72},
}
DEFAULT_AT_RISK_PERCENT = 75
DEFAULT_PAUSE_STATES = ("Awaiting Customer",)

# Four levels for every milestone: warn the owners, tell the supervisor at the breach, bring in the
# manager and a co-owner an hour later, hand it to a supervisor after four hours.
DEFAULT_ESCALATION_LEVELS: tuple[dict, ...] = (
	{"level": 1, "trigger": "Percent of Target", "threshold": 75, "notify_owners": 1},
	{
		"level": 2,
		"trigger": "After Breach",
		"threshold": 0,
		"notify_owners": 1,
		"notify_manager": 1,
		"notify_role": "Complaint Supervisor",
	},
	{
		"level": 3,
		"trigger": "After Breach",
		"threshold": 60,
		"notify_owners": 1,
		"notify_role": "Complaint Manager",
		"add_co_owner_role": "Complaint Supervisor",
		"raise_priority": 1,
	},
	{
		"level": 4,
		"trigger": "After Breach",
		"threshold": 240,
		"notify_owners": 1,
		"notify_role": "Operations Manager",
		"reassign_to_role": "Complaint Supervisor",
	},
)
