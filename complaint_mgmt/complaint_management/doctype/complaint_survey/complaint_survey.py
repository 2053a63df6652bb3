# Copyright (c) 2026, complaint_mgmt contributors
# License: MIT. See license.txt

from frappe.model.document import Document

from complaint_mgmt.services import survey
from complaint_mgmt.services.input_check import CheckedInput


class ComplaintSurvey(CheckedInput, Document):
	def validate(self) -> None:
		survey.validate(self)

	def after_insert(self) -> None:
		survey.after_insert(self)
