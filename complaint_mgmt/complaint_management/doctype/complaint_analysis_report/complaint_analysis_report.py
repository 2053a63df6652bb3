# Copyright (c) 2026, complaint_mgmt contributors
# License: MIT. See license.txt

from frappe.model.document import Document

from complaint_mgmt.services import analysis_report


class ComplaintAnalysisReport(Document):
	def after_insert(self) -> None:
		analysis_report.link_actions(self)
