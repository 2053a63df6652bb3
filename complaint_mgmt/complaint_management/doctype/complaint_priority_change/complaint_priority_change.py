# Copyright (c) 2026, complaint_mgmt contributors
# License: MIT. See license.txt

from frappe.model.document import Document

from complaint_mgmt.services.child_rows import StoredWithParent


class ComplaintPriorityChange(StoredWithParent, Document):
	"""Stored by the complaint's own insert (services/child_rows.py) when it is new."""
