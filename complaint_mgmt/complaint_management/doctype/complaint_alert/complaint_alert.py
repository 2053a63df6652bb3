# Copyright (c) 2026, complaint_mgmt contributors
# License: MIT. See license.txt

import frappe
from frappe import _
from frappe.model.document import Document


class ComplaintAlert(Document):
	def validate(self) -> None:
		if self.status == "Dismissed" and not (self.dismiss_reason or "").strip():
			frappe.throw(_("Say why the alert is dismissed"))
