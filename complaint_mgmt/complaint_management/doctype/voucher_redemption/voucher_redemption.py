# Copyright (c) 2026, complaint_mgmt contributors
# License: MIT. See license.txt

import frappe
from frappe.model.document import Document


class VoucherRedemption(Document):
	pass


def on_doctype_update():
	# one redemption per voucher and waybill: a request sent twice redeems once
	frappe.db.add_unique(
		"Voucher Redemption", ["voucher", "waybill_no"], constraint_name="unique_voucher_waybill"
	)
