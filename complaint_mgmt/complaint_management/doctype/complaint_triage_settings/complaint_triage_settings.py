# Copyright (c) 2026, complaint_mgmt contributors
# License: MIT. See license.txt

import frappe
from frappe import _
from frappe.model.document import Document

from complaint_mgmt.engine import triage as triage_rules
from complaint_mgmt.engine.errors import PolicyViolation
from complaint_mgmt.services.errors import throw_policy


class ComplaintTriageSettings(Document):
	def validate(self) -> None:
		try:
			triage_rules.validate_thresholds(
				(self.anger_level_1_points, self.anger_level_2_points, self.anger_level_3_points)
			)
		except PolicyViolation as error:
			throw_policy(error)
		if not 5 <= (self.holdout_percent or 0) <= 50:
			frappe.throw(_("Hold out between 5 % and 50 % of the complaints for testing"))
		if not 0 <= (self.min_confidence or 0) <= 100 or not 0 <= (self.similar_min_score or 0) <= 100:
			frappe.throw(_("A confidence or a similarity is a percentage between 0 and 100"))
		for label, value, lowest in (
			(_("Learn Once the Site Has Closed Complaints"), self.min_labelled_complaints, 20),
			(_("Keep Character N-grams Seen at Least"), self.min_ngram_count, 1),
			(_("Keep at Most N-grams"), self.max_ngrams, 1000),
			(_("Look Back (Days)"), self.similar_window_days, 1),
			(_("Show at Most"), self.similar_count, 1),
			(_("Suggestions per Minute per User"), self.suggestions_per_minute, 1),
		):
			if (value or 0) < lowest:
				frappe.throw(_("{0} must be at least {1}").format(label, lowest))
