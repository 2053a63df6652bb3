# Copyright (c) 2026, complaint_mgmt contributors
# License: MIT. See license.txt

import frappe
from frappe import _
from frappe.model.document import Document

from complaint_mgmt.engine import customers as rules
from complaint_mgmt.services.input_check import CheckedInput


class ComplaintCustomer(CheckedInput, Document):
	def validate(self) -> None:
		if not self.account_code:
			return
		key = rules.account_key(self.account_code)
		if not key:
			frappe.throw(
				_("Shipping account code {0} is not valid: letters, digits, '-', '_' or '.'").format(
					frappe.bold(self.account_code)
				),
				title=_("Invalid input"),
			)
		self.account_code = key.removeprefix(rules.ACCOUNT_PREFIX)
		other = frappe.db.get_value(
			"Complaint Customer", {"account_code": self.account_code, "name": ["!=", self.name]}
		)
		if other:
			frappe.throw(_("Account code {0} belongs to customer {1}").format(self.account_code, other))

	def on_update(self) -> None:
		if self.account_code and self.has_value_changed("account_code"):
			from complaint_mgmt.services.customers import attach_shipments

			attach_shipments(self.name, [rules.account_key(self.account_code)])
