# Copyright (c) 2026, complaint_mgmt contributors
# License: MIT. See license.txt

import frappe
from frappe.model.document import Document

from complaint_mgmt.engine.errors import PolicyViolation
from complaint_mgmt.services import intake, sla


class ComplaintBusinessCalendar(Document):
	def validate(self) -> None:
		if self.time_zone:
			from zoneinfo import available_timezones

			if self.time_zone not in available_timezones():
				frappe.throw(frappe._("Unknown time zone {0}").format(self.time_zone))
		if not self.always_open and not self.working_hours:
			frappe.throw(frappe._("Give the working hours, or tick 'Open 24×7'"))
		try:
			sla.build_calendar(self)
		except PolicyViolation as error:
			intake.throw_policy(error)

	def on_update(self) -> None:
		if hasattr(frappe.local, "complaint_calendars"):
			frappe.local.complaint_calendars.pop(self.name, None)
