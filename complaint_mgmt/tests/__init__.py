"""Frappe's own test runner: ``bench --site S run-tests --app complaint_mgmt`` runs the project's
pytest tiers (see ``test_tiers.py``) after ``before_tests`` has prepared the site."""

from __future__ import annotations

import frappe

WIZARD = {
	"language": "English",
	"country": "China",
	"timezone": "Asia/Shanghai",
	"currency": "CNY",
	"full_name": "Complaint Admin",
	"email": "complaint.admin@example.com",
	"password": "admin",
}


def before_tests() -> None:
	"""A new site has not been through the setup wizard: finish it as scripts/setup does, so the
	tests find a site with a country, a time zone and a currency."""
	frappe.clear_cache()
	if not frappe.db.get_single_value("System Settings", "setup_complete"):
		from frappe.desk.page.setup_wizard.setup_wizard import setup_complete

		setup_complete(WIZARD)
	frappe.db.commit()
