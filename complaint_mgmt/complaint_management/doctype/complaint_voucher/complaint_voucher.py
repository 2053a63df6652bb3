# Copyright (c) 2026, complaint_mgmt contributors
# License: MIT. See license.txt

from frappe.model.document import Document

from complaint_mgmt.services import vouchers
from complaint_mgmt.services.input_check import CheckedInput


class ComplaintVoucher(CheckedInput, Document):
	def validate(self) -> None:
		vouchers.validate(self)
