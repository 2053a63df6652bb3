"""Triage while the agent types: suggestions for the complaint form, similar complaints, and
linking one as a duplicate or to an incident."""

from __future__ import annotations

import frappe
from frappe import _

from complaint_mgmt.services import input_check, triage, triage_suggest
from complaint_mgmt.services import similar as similar_complaints


def check_rate() -> None:
	"""At most the settings' number of suggestions per minute for each user."""
	key = f"complaint_triage_rate:{frappe.session.user}"
	cache = frappe.cache()
	count = cache.incrby(key, 1)
	if count == 1:
		cache.expire(key, 60)
	if count > (triage.settings().suggestions_per_minute or 60):
		frappe.throw(
			_("Too many suggestions asked for in a minute; wait a moment"), frappe.RateLimitExceededError
		)


@frappe.whitelist(methods=["POST"])
def suggest(subject=None, description=None, channel=None) -> dict:
	"""The type, priority, signals and anger the complaint's words suggest, each with its
	confidence and the words behind it, and whether they are learned or from the rules alone."""
	if not (frappe.has_permission("Complaint", "create") or frappe.has_permission("Complaint", "write")):
		frappe.throw(_("Not permitted"), frappe.PermissionError)
	subject = input_check.text_argument(subject, "Subject")
	description = input_check.text_argument(description, "Description")
	channel = input_check.text_argument(channel, "Channel")
	check_rate()
	return triage_suggest.suggest(subject, description, channel)


@frappe.whitelist(methods=["POST"])
def similar(name) -> list[dict]:
	"""The most similar recent complaints the user may read, with the reasons (same waybill, batch,
	customer or route; the words they share)."""
	doc = input_check.document("Complaint", name)
	doc.check_permission("read")
	check_rate()
	return similar_complaints.similar_to(doc)


@frappe.whitelist(methods=["POST"])
def link_duplicate(name, original) -> str:
	"""Mark the complaint a duplicate of a similar one."""
	doc = input_check.document("Complaint", name)
	doc.check_permission("write")
	other = input_check.document("Complaint", original)
	other.check_permission("read")
	similar_complaints.link_duplicate(doc, other.name)
	return other.name


@frappe.whitelist(methods=["POST"])
def link_incident(name, incident) -> str:
	"""Join the complaint to the group incident of a similar one."""
	doc = input_check.document("Complaint", name)
	doc.check_permission("write")
	group = input_check.document("Complaint Incident", incident)
	group.check_permission("read")
	similar_complaints.link_incident(doc, group.name)
	return group.name
