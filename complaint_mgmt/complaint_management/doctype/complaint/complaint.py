# Copyright (c) 2026, complaint_mgmt contributors
# License: MIT. See license.txt

from __future__ import annotations

from frappe.model.document import Document

from complaint_mgmt import permissions
from complaint_mgmt.services import (
	approval,
	assignment,
	child_rows,
	closure,
	customers,
	evidence,
	incidents,
	intake,
	intake_effects,
	intake_queue,
	policy,
	portal_evidence,
	priority,
	progress_feedback,
	regions,
	side_effects,
	sla,
	special_cases,
	survey,
	triage_suggest,
	workflow_actions,
)
from complaint_mgmt.services.input_check import CheckedInput


class Complaint(CheckedInput, Document):
	def before_insert(self) -> None:
		if not self.workflow_state:
			self.workflow_state = policy.workflow().initial_state
		intake_queue.mark(self)
		duplicate = incidents.find_duplicate(self)
		if duplicate:
			self.duplicate_of = duplicate

	def validate(self) -> None:
		special_cases.attach_notice(self)
		triage_suggest.apply_at_intake(self)
		intake.validate_input(self)
		regions.assign(self)
		approval.freeze_case_flags(self)
		evidence.protect_removed_rows(self, self.name)
		customers.link(self)
		priority.apply_priority(self)
		if self.is_new():
			incidents.place(self)
		closure.check(self)
		sla.sync(self)
		progress_feedback.sync(self)

	def before_print(self, settings=None) -> None:
		permissions.blank_hidden_fields_for_print(self)

	def on_update(self) -> None:
		portal_evidence.secure_portal_file(self)
		triage_suggest.record_change(self)
		special_cases.on_update(self)
		assignment.follow_owner_field(self)
		assignment.follow_state(self)
		if self.closed_at and self.has_value_changed("closed_at"):
			survey.invite(self)

	def run_method(self, method, *args, **kwargs):
		if method == "on_update" and self.flags.in_insert:
			with workflow_actions.deferred(self):  # made by the background job instead
				return super().run_method(method, *args, **kwargs)
		return super().run_method(method, *args, **kwargs)

	def db_insert(self, *args, **kwargs):
		super().db_insert(*args, **kwargs)
		child_rows.insert_with_parent(self)  # its clocks in one statement, not one each

	def after_insert(self) -> None:
		# what must hold when the save returns is stored; the rest follows after the commit
		incidents.link_members(self)
		if self.flags.triage_applied:  # what triage itself filled in is known only now
			triage_suggest.record_feedback(self)
		side_effects.later(intake_effects.after_intake, self, intake_queue.request)
