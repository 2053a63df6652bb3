"""The customer's status page: complaint number plus phone or email (api.portal.track)."""

import frappe
from frappe import _

no_cache = 1


def get_context(context):
	context.title = _("Follow Your Complaint")
	context.complaint = (frappe.form_dict.complaint or "").strip()[:40]
	# a list, not a dict: the page shows the rows in this order
	context.labels = [
		("complaint", _("Complaint Number")),
		("status", _("Status")),
		("complaint_type", _("Complaint Type")),
		("received_at", _("Received At")),
		("expected_by", _("Expected Resolution By")),
		("closed_at", _("Closed At")),
	]
	return context
