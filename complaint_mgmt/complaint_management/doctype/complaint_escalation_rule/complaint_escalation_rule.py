# Copyright (c) 2026, complaint_mgmt contributors
# License: MIT. See license.txt

from frappe.model.document import Document

from complaint_mgmt.engine import escalation as esc
from complaint_mgmt.engine.errors import PolicyViolation
from complaint_mgmt.services import sla_policy
from complaint_mgmt.services.errors import throw_policy


class ComplaintEscalationRule(Document):
	def validate(self) -> None:
		try:
			esc.validate_levels(
				esc.EscalationLevel(
					level=r.level,
					trigger=sla_policy.TRIGGERS[r.trigger],
					threshold=r.threshold,
					actions=("act",),
				)
				for r in self.levels
			)
		except PolicyViolation as error:
			throw_policy(error)
