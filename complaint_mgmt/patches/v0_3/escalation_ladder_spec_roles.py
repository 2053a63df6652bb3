"""Put the shipped escalation rules on SPEC §1's ladder (supervisor level 1, CS manager level 2).

Earlier versions seeded the ladder one level off (level 1 told only the owners, the supervisor came
at level 2). Only rules whose levels are still exactly that old seed are rewritten: a ladder an admin
edited is left alone.
"""

from __future__ import annotations

import frappe

from complaint_mgmt.engine.defaults import DEFAULT_ESCALATION_LEVELS

FIELDS = (
	"level",
	"trigger",
	"threshold",
	"notify_owners",
	"notify_manager",
	"notify_role",
	"add_co_owner_role",
	"reassign_to_role",
	"raise_priority",
)

# the ladder versions before 0.3 seeded
OLD_SEED: tuple[dict, ...] = (
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


def _norm(value):
	"""0, "" and None are the same unset value; 75 and 75.0 the same number."""
	if not value:
		return None
	return float(value) if isinstance(value, (int, float)) else value


def signature(rows) -> list[tuple]:
	return sorted(tuple(_norm(row.get(f)) for f in FIELDS) for row in rows)


def execute() -> None:
	old = signature(OLD_SEED)
	for name in frappe.get_all("Complaint Escalation Rule", pluck="name"):
		rule = frappe.get_doc("Complaint Escalation Rule", name)
		if signature([row.as_dict() for row in rule.levels]) != old:
			continue
		rule.set("levels", [dict(row) for row in DEFAULT_ESCALATION_LEVELS])
		rule.save(ignore_permissions=True)
