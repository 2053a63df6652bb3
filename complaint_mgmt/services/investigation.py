"""Investigation (调查核实): the evidence checklist, customer evidence requests, the report."""

from __future__ import annotations

from contextlib import suppress

import frappe
from frappe import _
from frappe.utils import add_days, now_datetime

from complaint_mgmt.services import customer_messages, evidence, policy, sla


def checklist(complaint_type: str) -> list[dict]:
	"""The evidence items of the type and of its parent categories, without repeats."""
	rows, seen, current = [], set(), complaint_type
	while current:
		for item in frappe.get_all(
			"Complaint Type Evidence",
			filters={"parent": current, "parenttype": "Complaint Type"},
			fields=["evidence_item", "stage", "source"],
			order_by="idx asc",
		):
			if item.evidence_item not in seen:
				seen.add(item.evidence_item)
				rows.append({**item, "status": "Pending"})
		current = frappe.db.get_value("Complaint Type", current, "parent_complaint_type")
	return rows


def prepare(doc) -> None:
	if not doc.evidence:
		complaint_type = frappe.db.get_value("Complaint", doc.complaint, "complaint_type")
		for row in checklist(complaint_type):
			doc.append("evidence", row)


def validate(doc) -> None:
	due = frappe.db.get_value(
		"Complaint Milestone", {"parent": doc.complaint, "milestone": "Investigation Report"}, "due_at"
	)
	doc.deadline = due
	for row in doc.evidence:
		if row.attachment and row.status in ("Pending", "Requested"):
			row.status = "Collected"
		if row.status == "Collected" and not row.collected_at:
			row.collected_at, row.collected_by = now_datetime(), frappe.session.user
	evidence.protect_removed_rows(doc, doc.complaint, "evidence", "attachment")


def submit_report(doc) -> None:
	if not (doc.preliminary_report or doc.findings):
		frappe.throw(_("Write the findings or the preliminary report first"))
	if not doc.liability:
		frappe.throw(_("Decide who is liable before submitting the report"))
	doc.status = "Report Submitted"
	doc.report_submitted_at = now_datetime()
	doc.flags.server_change = True
	doc.save()
	complaint = frappe.get_doc("Complaint", doc.complaint)
	sla.mark(complaint)


def request_from_customer(doc) -> int:
	"""Ask the customer for the evidence only they have (photos of the damage…)."""
	wanted = [r for r in doc.evidence if r.source == "Customer" and r.status == "Pending"]
	if not wanted:
		frappe.throw(_("No pending evidence is expected from the customer"))
	_ask(doc, wanted)
	for row in wanted:
		row.status, row.requested_at = "Requested", now_datetime()
	doc.save()
	return len(wanted)


def _ask(doc, rows) -> None:
	"""The request is a Communication on the complaint and the investigation, sent or not."""
	complaint = frappe.get_doc("Complaint", doc.complaint)
	with customer_messages.speaking(complaint):
		items = "; ".join(_(r.evidence_item) for r in rows)
		text = _("Complaint {0}: to complete the investigation please send us: {1}").format(
			complaint.name, items
		)
		subject = _("Complaint {0}").format(complaint.name)
	with suppress(customer_messages.NotSent):
		customer_messages.send(complaint, subject=subject, text=text, about=doc)


def send_reminders() -> int:
	"""Daily: remind customers of evidence requested a while ago, a limited number of times
	(Complaint Settings: after 1 day, at most 3 times by default)."""
	settings = policy.settings()
	after_days, max_reminders = (
		settings.evidence_reminder_after_days or 1,
		settings.evidence_max_reminders or 0,
	)
	row = frappe.qb.DocType("Complaint Investigation Evidence")
	due = (
		frappe.qb.from_(row)
		.select(row.parent)
		.distinct()
		.where(row.status == "Requested")
		.where(row.requested_at <= add_days(now_datetime(), -after_days))
		.where(row.reminders_sent < max_reminders)
		.run(pluck=True)
	)
	for name in due:
		doc = frappe.get_doc("Complaint Investigation", name)
		waiting = [
			r for r in doc.evidence if r.status == "Requested" and (r.reminders_sent or 0) < max_reminders
		]
		_ask(doc, waiting)
		for r in waiting:
			r.reminders_sent = (r.reminders_sent or 0) + 1
			r.requested_at = now_datetime()
		doc.save(ignore_permissions=True)
		frappe.db.commit()
	return len(due)
