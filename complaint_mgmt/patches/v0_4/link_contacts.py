"""Issue 12: customer records link to the Frappe Contact of their phone or email (set-based; runs
again without harm)."""

from complaint_mgmt.services import contacts


def execute():
	contacts.backfill()
