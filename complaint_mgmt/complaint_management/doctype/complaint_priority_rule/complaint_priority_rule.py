# Copyright (c) 2026, complaint_mgmt contributors
# License: MIT. See license.txt

from frappe.model.document import Document

from complaint_mgmt.engine import priority as priority_rules
from complaint_mgmt.engine.errors import PolicyViolation
from complaint_mgmt.services import policy
from complaint_mgmt.services.errors import throw_policy


class ComplaintPriorityRule(Document):
	def validate(self) -> None:
		try:
			priority_rules.validate_rule(
				priority_rules.PriorityRule.from_dict(self.as_dict()), policy.priority_levels()
			)
		except PolicyViolation as error:
			throw_policy(error)
