"""A small month of complaints whose every figure is worked out by hand (June 2020, one department).

| complaint | priority | received | acknowledged | closed | Acknowledge clock | Resolution clock | survey (eff., sol.) | compensation | escalations | reopened |
|---|---|---|---|---|---|---|---|---|---|---|
| c1 | Urgent | 06-01 09:00 | +30 min | +20 h | met | met | 5, 5 | 200 paid (Company, Hub) | 0 | 0 |
| c2 | Urgent | 06-01 10:00 | +90 min | +30 h | breached | met late | 2, 3 (low) | 100 approved + 50 draft (Third Party, Line-haul) | 2 | 1 |
| c3 | General | 06-02 08:00 | +60 min | — | met | stopped before due | — | — | 0 | 0 |
| c4 | General | 06-15 12:00 | — | — | — | — | — | — | 0 | 0 |

c1 and c2 are handled by agent A, c3 and c4 by agent B.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

import frappe

from complaint_mgmt.services import analytics
from tests.factories.access import handled_by
from tests.factories.doctypes import ComplaintDepartmentFactory, UserFactory

START, END = date(2020, 6, 1), date(2020, 6, 30)
NOW = datetime(2020, 7, 1)


def _insert(doctype: str, **values) -> None:
	frappe.get_doc({"doctype": doctype, **values}).db_insert()


def _clock(parent: str, milestone: str, due: datetime, met=None, stopped=None) -> None:
	_insert(
		"Complaint Milestone",
		parent=parent,
		parenttype="Complaint",
		parentfield="milestones",
		milestone=milestone,
		due_at=due,
		met_at=met,
		stopped_at=stopped,
		status="Met" if met else "Stopped",
	)


def june(agent_roles=("Complaint Agent",)) -> frappe._dict:
	department = ComplaintDepartmentFactory().name
	agents = [UserFactory(roles=list(agent_roles)).name for _ in range(2)]
	spec = [
		("Urgent", datetime(2020, 6, 1, 9), 30, 20, agents[0]),
		("Urgent", datetime(2020, 6, 1, 10), 90, 30, agents[0]),
		("General", datetime(2020, 6, 2, 8), 60, None, agents[1]),
		("General", datetime(2020, 6, 15, 12), None, None, agents[1]),
	]
	names = []
	for priority, received, ack_minutes, closed_hours, agent in spec:
		doc = handled_by(agent, department)
		frappe.db.set_value(
			"Complaint",
			doc.name,
			{
				"priority": priority,
				"received_at": received,
				"acknowledged_at": received + timedelta(minutes=ack_minutes) if ack_minutes else None,
				"closed_at": received + timedelta(hours=closed_hours) if closed_hours else None,
			},
			update_modified=False,
		)
		frappe.db.delete("Complaint Milestone", {"parent": doc.name})
		names.append(doc.name)
	c1, c2, c3, _c4 = names
	hour = timedelta(hours=1)
	_clock(c1, "Acknowledge", datetime(2020, 6, 1, 10), met=datetime(2020, 6, 1, 9, 30))
	_clock(c1, "Resolution", datetime(2020, 6, 2, 9), met=datetime(2020, 6, 2, 5))
	_clock(c2, "Acknowledge", datetime(2020, 6, 1, 11), met=datetime(2020, 6, 1, 11, 30))
	_clock(c2, "Resolution", datetime(2020, 6, 2, 10), met=datetime(2020, 6, 2, 16))
	_clock(c3, "Acknowledge", datetime(2020, 6, 2, 10), met=datetime(2020, 6, 2, 9))
	_clock(c3, "Resolution", datetime(2020, 6, 7, 8), stopped=datetime(2020, 6, 3, 8) - hour)
	_insert("Complaint Survey", complaint=c1, efficiency_score=5, solution_score=5, low_score=0)
	_insert("Complaint Survey", complaint=c2, efficiency_score=2, solution_score=3, low_score=1)
	_insert("Compensation", complaint=c1, workflow_state="Paid", total_amount=200)
	_insert("Compensation", complaint=c2, workflow_state="Approved", total_amount=100)
	_insert("Compensation", complaint=c2, workflow_state="Draft", total_amount=50)
	_insert("Complaint Investigation", complaint=c1, liability="Company", responsible_node="Hub")
	_insert("Complaint Investigation", complaint=c2, liability="Third Party", responsible_node="Line-haul")
	for level in (1, 2):
		_insert("Complaint Escalation", complaint=c2, milestone="Resolution", level=level)
	frappe.get_doc("Complaint", c2).add_comment("Workflow", "Reopened")
	analytics.recompute(START, END + timedelta(days=1), now=NOW)
	return frappe._dict(department=department, agents=agents, complaints=names)


def filters(data, **extra) -> dict:
	return {"from_date": str(START), "to_date": str(END), "department": data.department, **extra}


def stat(day, grain: str, received: int, **dims) -> None:
	"""One rollup row, as the refresh would have written it."""
	frappe.get_doc(
		{"doctype": "Complaint Daily Stat", "day": day, "grain": grain, "received": received, **dims}
	).db_insert()


def daily_counts(grain: str, first_day: date, counts: list[int], **dims) -> None:
	for offset, received in enumerate(counts):
		if received:
			stat(first_day + timedelta(days=offset), grain, received, **dims)
