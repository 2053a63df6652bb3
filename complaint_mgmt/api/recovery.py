"""Recovery plans (issue 12): one click on a complaint opens its plan."""

from __future__ import annotations

import frappe

from complaint_mgmt.services import recovery_plans


@frappe.whitelist(methods=["POST"])
def create_plan(complaint: str) -> str:
	"""The complaint's recovery plan: the suggested one, or a new one."""
	return recovery_plans.create_plan(complaint)
