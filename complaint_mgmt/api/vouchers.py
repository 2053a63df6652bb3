"""Vouchers and services (issue 12): redemption by the shipping system or an agent, approval
and cancellation from the voucher's form."""

from __future__ import annotations

import frappe

from complaint_mgmt.services import vouchers


@frappe.whitelist(methods=["POST"])
def redeem(code: str, waybill_no: str) -> dict:
	"""Use the voucher (or one unit of a service) with this code on a waybill; atomic, and the same
	code and waybill sent again answers with the first redemption."""
	frappe.has_permission(vouchers.REDEMPTION, "create", throw=True)
	return vouchers.redeem(code, waybill_no)


@frappe.whitelist(methods=["POST"])
def approve(name: str) -> None:
	vouchers.approve(name)


@frappe.whitelist(methods=["POST"])
def cancel(name: str) -> None:
	vouchers.cancel(name)
