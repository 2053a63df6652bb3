# Copyright (c) 2026, complaint_mgmt contributors
# License: MIT. See license.txt

from frappe.model.document import Document

from complaint_mgmt.services import recovery_plans
from complaint_mgmt.services.input_check import CheckedInput


class RecoverySuggestionRule(CheckedInput, Document):
	def validate(self) -> None:
		recovery_plans.validate_rule(self)
