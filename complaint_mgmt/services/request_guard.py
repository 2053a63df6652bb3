"""Every web request: who is asking (for rate limits), and what a guest may be shown of an error."""

from __future__ import annotations

import frappe

from complaint_mgmt.services import policy
from complaint_mgmt.utils.client_address import client_address, trusted_set


def before_request() -> None:
	"""Hook: count the visitor by the address they really come from (only our own proxies may
	name another one), and never show a guest the traceback of a server error."""
	request = frappe.local.request
	frappe.local.request_ip = client_address(
		request.remote_addr,
		request.headers.get("X-Forwarded-For"),
		trusted_set(policy.settings().trusted_proxies),
	)
	if frappe.session.user == "Guest":
		frappe.local.flags.disable_traceback = True
