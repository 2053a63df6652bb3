"""Internal notifications: the bell icon (Notification Log) and an email, in the user's language."""

from __future__ import annotations

import frappe
from frappe import _

from complaint_mgmt.services import policy
from complaint_mgmt.services.assignment import users_with_role


def users(users_: list[str], subject: str, doctype: str, name: str, message: str = "") -> None:
	"""Notification Log rows, written in the caller's transaction: they exist exactly when the
	change that caused them commits."""
	for user in dict.fromkeys(u for u in users_ if u):
		frappe.get_doc(
			{
				"doctype": "Notification Log",
				"for_user": user,
				"type": "Alert",
				"document_type": doctype,
				"document_name": name,
				"subject": subject,
				"email_content": message or subject,
				"from_user": frappe.session.user,
			}
		).insert(ignore_permissions=True)


def risk_management(incident: str) -> None:
	role = policy.settings().risk_role
	title = frappe.db.get_value("Complaint Incident", incident, "title")
	users(
		users_with_role(role),
		_("Group incident {0}: {1}").format(incident, title),
		"Complaint Incident",
		incident,
	)
