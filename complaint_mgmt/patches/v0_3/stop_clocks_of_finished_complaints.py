"""Stop the SLA clocks of complaints already in a terminal state (closed, rejected, …) when this
version arrives: before it, a rejected complaint's clocks kept running into every escalation level.

Set-based and idempotent: one UPDATE of the unmet, running milestone rows of terminal complaints
(each stopped at the complaint's closure, else its last change), then the complaints' SLA summary.
"""

import frappe
from frappe.query_builder.functions import Coalesce
from frappe.utils import now_datetime

from complaint_mgmt.engine.clocks import AFTER_CLOSURE
from complaint_mgmt.services import policy
from complaint_mgmt.tasks.sla_status import refresh_overall_status


def execute() -> None:
	terminal = policy.terminal_states()
	if not terminal:
		return
	complaint, ms = frappe.qb.DocType("Complaint"), frappe.qb.DocType("Complaint Milestone")
	finished = (
		frappe.qb.from_(complaint).select(complaint.name).where(complaint.workflow_state.isin(terminal))
	)
	running = (
		(ms.parenttype == "Complaint")
		& ms.parent.isin(finished)
		& ms.met_at.isnull()
		& ms.stopped_at.isnull()
		& ms.milestone.notin(list(AFTER_CLOSURE))
	)
	parents = frappe.qb.from_(ms).select(ms.parent).distinct().where(running).run(pluck=True)
	if not parents:
		return
	stop_time = (
		frappe.qb.from_(complaint)
		.select(Coalesce(complaint.closed_at, complaint.modified))
		.where(complaint.name == ms.parent)
	)
	(
		frappe.qb.update(ms)
		.set(ms.stopped_at, Coalesce(stop_time, str(now_datetime())))
		.set(ms.status, "Stopped")
		.set(ms.next_escalation_at, None)
		.where(running)
		.run()
	)
	refresh_overall_status(parents)
