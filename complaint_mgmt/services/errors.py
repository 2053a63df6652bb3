"""Engine refusals shown to the user."""

from __future__ import annotations

import frappe
from frappe import _

from complaint_mgmt.engine.errors import PolicyViolation


def throw_policy(error: PolicyViolation) -> None:
	"""Raise an engine refusal as a translated Frappe validation error."""
	frappe.throw(_(error.message).format(**error.params), title=_("Not allowed"))
