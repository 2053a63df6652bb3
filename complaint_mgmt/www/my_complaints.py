"""A logged-in customer's own complaints (those they filed with their website account)."""

import frappe
from frappe import _

from complaint_mgmt.services import portal_list

no_cache = 1


def get_context(context):
	if frappe.session.user == "Guest":
		frappe.local.flags.redirect_location = "/login?redirect-to=/my-complaints"
		raise frappe.Redirect
	context.title = _("My Complaints")
	context.show_sidebar = True
	context.complaints = portal_list.own_complaints(frappe.session.user)
	return context
