# Copyright (c) 2026, complaint_mgmt contributors
# License: MIT. See license.txt

from frappe.model.document import Document

from complaint_mgmt.services import recovery_settings
from complaint_mgmt.services.input_check import CheckedInput


class ComplaintRecoverySettings(CheckedInput, Document):
	def validate(self) -> None:
		recovery_settings.validate(self)

	def on_update(self) -> None:
		recovery_settings.on_update(self)
