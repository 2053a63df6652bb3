# Copyright (c) 2026, complaint_mgmt contributors
# License: MIT. See license.txt

from frappe.model.document import Document


class ComplaintRegionBranch(Document):
	pass
