"""What install and migrate give a new site, and what they leave alone on an existing one."""

from __future__ import annotations

import frappe

from complaint_mgmt import install


def analytics_tables() -> dict[str, int]:
	settings = frappe.get_single("Complaint Analytics Settings")
	return {
		field: len(settings.get(field)) for field in ("targets", "alert_roles", "report_roles", "region_map")
	}


def test_a_new_site_gets_the_analytics_targets_roles_and_regions_once():
	# a new site: Frappe stored the Single's field defaults when it created the DocType, no tables yet
	settings = frappe.get_single("Complaint Analytics Settings")
	for field in ("targets", "alert_roles", "report_roles", "region_map"):
		settings.set(field, [])
	settings.save(ignore_permissions=True)
	frappe.defaults.clear_default(install.ANALYTICS_TABLES_SEEDED)
	install.seed_analytics_settings()
	seeded = analytics_tables()
	assert all(seeded.values()), seeded
	assert {"Risk Manager"} <= {r.role for r in frappe.get_single("Complaint Analytics Settings").alert_roles}

	# the admin empties the alert roles; the next migrate does not put them back
	settings = frappe.get_single("Complaint Analytics Settings")
	settings.set("alert_roles", [])
	settings.save(ignore_permissions=True)
	install.seed_analytics_settings()
	assert analytics_tables()["alert_roles"] == 0
