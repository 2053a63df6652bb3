# Copyright (c) 2026, complaint_mgmt contributors
# License: MIT. See license.txt

from frappe.model.document import Document

from complaint_mgmt.services import policy_checks


class CompensationScenario(Document):
	def validate(self) -> None:
		policy_checks.scenario(self)
