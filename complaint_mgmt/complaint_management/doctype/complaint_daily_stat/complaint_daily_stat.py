# Copyright (c) 2026, complaint_mgmt contributors
# License: MIT. See license.txt

import frappe
from frappe.model.document import Document


class ComplaintDailyStat(Document):
	pass


def on_doctype_update() -> None:
	"""The reports read one grain over a range of days."""
	frappe.db.add_index("Complaint Daily Stat", ["grain", "day"])
