# Copyright (c) 2026, complaint_mgmt contributors
# License: MIT. See license.txt

import frappe
from frappe.utils.nestedset import NestedSet


class ComplaintType(NestedSet):
	nsm_parent_field = "parent_complaint_type"

	def validate(self) -> None:
		root = self.name if not self.parent_complaint_type else self._root_of(self.parent_complaint_type)
		self.category = root or self.complaint_type_name

	@staticmethod
	def _root_of(name: str) -> str:
		seen = set()
		while name and name not in seen:
			seen.add(name)
			parent = frappe.db.get_value("Complaint Type", name, "parent_complaint_type")
			if not parent:
				return name
			name = parent
		return name
