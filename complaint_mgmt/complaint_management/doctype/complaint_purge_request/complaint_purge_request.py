# Copyright (c) 2026, complaint_mgmt contributors
# License: MIT. See license.txt

import frappe
from frappe.model.document import Document

from complaint_mgmt.services import purge


class ComplaintPurgeRequest(Document):
	def validate(self):
		purge.prepare(self)

	def on_trash(self):
		purge.refuse_deletion(self)

	@frappe.whitelist()
	def approve(self):
		purge.approve(self)

	@frappe.whitelist()
	def reject(self, reason: str | None = None):
		purge.reject(self, reason)
