# Copyright (c) 2026, complaint_mgmt contributors
# License: MIT. See license.txt

import frappe
from frappe.model.document import Document


class CustomerShipment(Document):
	pass


def on_doctype_update():
	# the recovery report asks for one customer's shipments after a date
	frappe.db.add_index("Customer Shipment", ["customer", "shipped_at"])
