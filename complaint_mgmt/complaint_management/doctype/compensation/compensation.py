# Copyright (c) 2026, complaint_mgmt contributors
# License: MIT. See license.txt

from frappe.model.document import Document

from complaint_mgmt.services import closure, compensation, objection
from complaint_mgmt.services.input_check import CheckedInput


class Compensation(CheckedInput, Document):
	def validate(self) -> None:
		if self.is_new() and not self.lines:
			compensation.suggest(self)
		compensation.validate(self)
		objection.on_validate(self)

	def after_insert(self) -> None:
		objection.on_new_offer(self)

	def on_update(self) -> None:
		if self.has_value_changed("workflow_state"):
			compensation.on_state_change(self)
		closure.refresh(self.complaint)
