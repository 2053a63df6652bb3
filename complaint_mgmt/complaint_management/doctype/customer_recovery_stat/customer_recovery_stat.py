# Copyright (c) 2026, complaint_mgmt contributors
# License: MIT. See license.txt

import frappe
from frappe.model.document import Document


class CustomerRecoveryStat(Document):
	pass


def on_doctype_update() -> None:
	"""The report reads a period of closures; the upkeep a customer's rows."""
	frappe.db.add_index("Customer Recovery Stat", ["closed_at"])
	frappe.db.add_index("Customer Recovery Stat", ["customer", "closed_at"])
