# Copyright (c) 2026, complaint_mgmt contributors
# License: MIT. See license.txt

from frappe.model.document import Document

from complaint_mgmt.services import access_log, policy_checks
from complaint_mgmt.services.input_check import CheckedInput


class ComplaintSettings(CheckedInput, Document):
	def validate(self) -> None:
		policy_checks.settings(self)

	def on_update(self) -> None:
		access_log.sync_report_roles()
