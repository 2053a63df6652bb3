# Copyright (c) 2026, complaint_mgmt contributors
# License: MIT. See license.txt

from __future__ import annotations

import frappe
from frappe.model.document import Document

from complaint_mgmt import permissions
from complaint_mgmt.services import (
	approval,
	assignment,
	closure,
	customer_messages,
	evidence,
	intake,
	policy,
	progress_feedback,
	sla,
	special_cases,
	survey,
	workflow,
)
from complaint_mgmt.services.input_check import CheckedInput


class Complaint(CheckedInput, Document):
	def before_insert(self) -> None:
		if not self.workflow_state:
			self.workflow_state = frappe.db.get_value(
				"Workflow Document State",
				{"parent": frappe.model.workflow.get_workflow_name("Complaint"), "idx": 1},
				"state",
			)
		duplicate = intake.find_duplicate(self)
		if duplicate:
			self.duplicate_of = duplicate

	def validate(self) -> None:
		special_cases.attach_notice(self)
		intake.validate_input(self)
		approval.freeze_case_flags(self)
		evidence.protect_removed_rows(self, self.name)
		intake.apply_priority(self)
		closure.check(self)
		sla.sync(self)
		progress_feedback.sync(self)

	def before_print(self, settings=None) -> None:
		permissions.blank_hidden_fields_for_print(self)

	def on_update(self) -> None:
		intake.secure_portal_file(self)
		special_cases.on_update(self)
		assignment.follow_owner_field(self)
		assignment.follow_state(self)
		if self.closed_at and self.has_value_changed("closed_at"):
			survey.invite(self)

	def after_insert(self) -> None:
		if self.duplicate_of:
			self.add_comment("Info", frappe._("Duplicate of {0} (same waybill)").format(self.duplicate_of))
			frappe.get_doc("Complaint", self.duplicate_of).add_comment(
				"Info", frappe._("Duplicate complaint {0} received on the same waybill").format(self.name)
			)
		incident = intake.group_into_incident(self)
		if incident:
			self.incident = incident
			self.priority = policy.priority_levels()[0]
		customer_messages.acknowledge(self)
		if assignment.assign_new(self):
			workflow.advance(self, policy.settings().assigned_state)
		sla.mark(self)
