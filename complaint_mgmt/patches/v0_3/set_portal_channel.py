"""Sites installed before the customer complaint form get its channel (idempotent: only when the
setting is empty, so an admin's choice stays)."""

import frappe

from complaint_mgmt import install


def execute() -> None:
	if frappe.db.get_single_value("Complaint Settings", "portal_channel"):
		return
	install.seed_records("Complaint Channel", "channel_name", install._load("complaint_channel.json"))
	channel = frappe.get_meta("Complaint Settings").get_field("portal_channel").default
	if channel and frappe.db.exists("Complaint Channel", channel):
		frappe.db.set_single_value("Complaint Settings", "portal_channel", channel)
