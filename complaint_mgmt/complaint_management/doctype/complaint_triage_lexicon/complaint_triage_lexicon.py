# Copyright (c) 2026, complaint_mgmt contributors
# License: MIT. See license.txt

from frappe.model.document import Document

from complaint_mgmt.engine import triage as triage_rules
from complaint_mgmt.engine.errors import PolicyViolation
from complaint_mgmt.services import triage
from complaint_mgmt.services.errors import throw_policy


class ComplaintTriageLexicon(Document):
	def validate(self) -> None:
		try:
			triage_rules.validate_lexicon(triage_rules.Lexicon.from_dict(self.as_dict()))
		except PolicyViolation as error:
			throw_policy(error)

	def on_update(self) -> None:
		triage.forget_lexicons()

	def on_trash(self) -> None:
		triage.forget_lexicons()
