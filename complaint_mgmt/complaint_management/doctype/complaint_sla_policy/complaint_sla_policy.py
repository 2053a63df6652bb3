# Copyright (c) 2026, complaint_mgmt contributors
# License: MIT. See license.txt

import frappe
from frappe import _
from frappe.model.document import Document


class ComplaintSLAPolicy(Document):
	def validate(self) -> None:
		if not self.targets:
			frappe.throw(_("Give at least one target"))
		seen = set()
		for row in self.targets:
			key = (row.milestone, row.priority)
			if key in seen:
				frappe.throw(
					_("Row {0}: {1} for {2} is set twice").format(row.idx, _(row.milestone), _(row.priority))
				)
			seen.add(key)
			if row.target_hours <= 0:
				frappe.throw(_("Row {0}: the target must be more than 0 hours").format(row.idx))
		if not 0 < (self.at_risk_percent or 0) <= 100:
			frappe.throw(_("'At Risk At' must be between 1 and 100 percent"))
		if self.is_default and self.enabled:
			others = frappe.get_all(
				"Complaint SLA Policy",
				filters={"is_default": 1, "enabled": 1, "name": ["!=", self.name]},
				pluck="name",
			)
			if others:
				frappe.throw(_("{0} is already the default policy").format(others[0]))

	def on_update(self) -> None:
		# open complaints on this policy get the new targets, in the background
		frappe.enqueue(
			"complaint_mgmt.tasks.sla.recompute_policy",
			policy=self.name,
			queue="long",
			enqueue_after_commit=True,
			job_id=f"complaint-sla-recompute-{self.name}",
			deduplicate=True,
		)
