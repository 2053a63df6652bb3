# Copyright (c) 2026, complaint_mgmt contributors
# License: MIT. See license.txt

import frappe
from frappe.model.document import Document

from complaint_mgmt.engine.errors import PolicyViolation
from complaint_mgmt.services import policy_cache
from complaint_mgmt.services.errors import throw_policy


class ComplaintBusinessCalendar(Document):
	def validate(self) -> None:
		if self.time_zone:
			from zoneinfo import available_timezones

			if self.time_zone not in available_timezones():
				frappe.throw(frappe._("Unknown time zone {0}").format(self.time_zone))
		if not self.always_open and not self.working_hours:
			frappe.throw(frappe._("Give the working hours, or tick 'Open 24×7'"))
		try:
			policy_cache.build_calendar(self)
		except PolicyViolation as error:
			throw_policy(error)
