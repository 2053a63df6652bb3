"""Give complaints recorded before SLA clocks existed their milestones (idempotent: only
complaints without any milestone row are touched)."""

import frappe

from complaint_mgmt.services import sla


def execute() -> None:
	complaint, ms = frappe.qb.DocType("Complaint"), frappe.qb.DocType("Complaint Milestone")
	with_clocks = frappe.qb.from_(ms).select(ms.parent).distinct().where(ms.parenttype == "Complaint")
	names = (
		frappe.qb.from_(complaint)
		.select(complaint.name)
		.where(complaint.name.notin(with_clocks))
		.run(pluck=True)
	)
	for done, name in enumerate(names, start=1):
		sla.mark(frappe.get_doc("Complaint", name))
		if done % 500 == 0:
			frappe.db.commit()
