"""Moving a complaint through its Workflow from code, only along transitions the workflow has.

Admins reshape the workflow in the desk; automation follows the state names configured in
Complaint Settings and simply does nothing when the current workflow has no such step.
"""

from __future__ import annotations

from complaint_mgmt.services import policy


def can_move(doc, target: str) -> bool:
	steps = policy.workflow()
	if not (steps.name and target and doc.workflow_state):
		return False
	return (doc.workflow_state, target) in steps.transitions


def advance(doc, target: str) -> bool:
	"""Move to ``target`` if the workflow allows that step from the current state."""
	if not can_move(doc, target):
		return False
	doc.db_set("workflow_state", target, update_modified=False)
	doc.add_comment("Workflow", target)
	return True
