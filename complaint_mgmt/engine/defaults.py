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

# Four levels for every milestone, on SPEC §1's ladder: the Complaint Supervisor is escalation level 1
# (told with the owners when 75 % of the target is used), the Complaint Manager level 2 (at the
# breach, with the department manager); an hour late the Operations Manager is told, a supervisor
# co-owns and the priority goes up; four hours late the General Manager is told and a supervisor
# takes the lead.
DEFAULT_ESCALATION_LEVELS: tuple[dict, ...] = (
	{
		"level": 1,
		"trigger": "Percent of Target",
		"threshold": 75,
		"notify_owners": 1,
		"notify_role": "Complaint Supervisor",
	},
	{
		"level": 2,
		"trigger": "After Breach",
		"threshold": 0,
		"notify_owners": 1,
		"notify_manager": 1,
		"notify_role": "Complaint Manager",
	},
	{
		"level": 3,
		"trigger": "After Breach",
		"threshold": 60,
		"notify_owners": 1,
		"notify_role": "Operations Manager",
		"add_co_owner_role": "Complaint Supervisor",
		"raise_priority": 1,
	},
	{
		"level": 4,
		"trigger": "After Breach",
		"threshold": 240,
		"notify_owners": 1,
		"notify_role": "General Manager",
		"reassign_to_role": "Complaint Supervisor",
	},
)
