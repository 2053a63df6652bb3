# Copyright (c) 2026, complaint_mgmt contributors
# License: MIT. See license.txt

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import cint, flt

from complaint_mgmt.engine import regions
from complaint_mgmt.services import policy_cache


class ComplaintAnalyticsSettings(Document):
	def validate(self) -> None:
		seen = set()
		for row in self.targets:
			if not 0 <= flt(row.target_percent) <= 100:
				frappe.throw(_("Row {0}: a target is a percentage from 0 to 100").format(row.idx))
			if (row.milestone, row.priority) in seen:
				frappe.throw(
					_("Row {0}: {1} / {2} has a target already").format(
						row.idx, _(row.milestone), _(row.priority)
					)
				)
			seen.add((row.milestone, row.priority))
		if flt(self.peak_factor) <= 1:
			frappe.throw(_("A peak must be more than the average: set Peak at (× Average) above 1"))
		if not 0 < flt(self.p_value) < 1:
			frappe.throw(_("Jump Probability Below must be between 0 and 1, e.g. 0.001"))
		if not 0 < flt(self.ewma_lambda) <= 1:
			frappe.throw(_("The EWMA weight must be above 0 and at most 1, e.g. 0.3"))
		if flt(self.ewma_sigma) <= 0 or cint(self.history_days) < 7:
			frappe.throw(_("The EWMA limit must be above 0 and the history at least 7 days"))
		if not 0 < flt(self.finding_share) <= 100:
			frappe.throw(_("The finding share must be a percentage above 0"))
		self.validate_region_map()

	def validate_region_map(self) -> None:
		pairs = [(row.branch_prefix, row.region) for row in self.region_map]
		for idx, message, values in regions.problems(pairs):
			frappe.throw(_(message).format(row=idx, **values), title=_("Invalid region map"))
		for row in self.region_map:
			row.branch_prefix, row.region = row.branch_prefix.strip(), row.region.strip()

	def on_update(self) -> None:
		frappe.clear_document_cache(self.doctype, self.name)
		policy_cache.clear()  # the region map is part of the cached policy of intake
