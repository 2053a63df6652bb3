"""Give a Complaint Workflow seeded before this version the shipped "Merged" step (a duplicate merged
into the complaint it repeats, a terminal state): the state and its transitions are copied from the
shipped workflow, only from states the site's workflow has. Nothing else of the admin's workflow
changes; a workflow that already has the merged state is left alone (idempotent).
"""

import frappe

from complaint_mgmt.install import WORKFLOWS, _load, seed_workflow_states
from complaint_mgmt.services import policy

NAME = "Complaint Workflow"


def execute() -> None:
	merged = policy.settings().merged_state or "Merged"
	if not frappe.db.exists("Workflow", NAME):
		return
	seed_workflow_states()
	workflow = frappe.get_doc("Workflow", NAME)
	states = {row.state for row in workflow.states}
	if merged in states:
		return
	shipped = _load(WORKFLOWS[NAME])["workflow"]
	workflow.extend("states", [row for row in shipped["states"] if row["state"] == merged])
	workflow.extend(
		"transitions",
		[
			row
			for row in shipped["transitions"]
			if merged in (row["state"], row["next_state"])
			and {row["state"], row["next_state"]} - {merged} <= states
		],
	)
	workflow.save(ignore_permissions=True)
