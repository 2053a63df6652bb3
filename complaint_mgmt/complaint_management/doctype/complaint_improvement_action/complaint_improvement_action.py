# Copyright (c) 2026, complaint_mgmt contributors
# License: MIT. See license.txt

import frappe
from frappe.model.document import Document

from complaint_mgmt.services import improvement


class ComplaintImprovementAction(Document):
	def before_validate(self) -> None:
		# the owner fills in root cause and action in any state, whatever their roles
		if not self.is_new() and frappe.session.user == self.action_owner:
			self.flags.workflow_edit_checked = True

	def validate(self) -> None:
		improvement.validate(self)

	def on_update(self) -> None:
		improvement.share_with_owner(self)
