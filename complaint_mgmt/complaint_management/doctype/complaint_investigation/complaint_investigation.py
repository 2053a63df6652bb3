# Copyright (c) 2026, complaint_mgmt contributors
# License: MIT. See license.txt

from frappe.model.document import Document

from complaint_mgmt.services import closure, investigation
from complaint_mgmt.services.input_check import CheckedInput


class ComplaintInvestigation(CheckedInput, Document):
	def before_insert(self) -> None:
		investigation.prepare(self)

	def validate(self) -> None:
		investigation.validate(self)

	def on_update(self) -> None:
		closure.refresh(self.complaint)
