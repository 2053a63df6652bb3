"""Inbound shipments (issue 12): the shipping system posts batches with an API key of a user
who may create Customer Shipments; admins import history from a CSV file."""

from __future__ import annotations

import frappe
from frappe import _

from complaint_mgmt.services import shipments as service

SHIPMENT = "Customer Shipment"


@frappe.whitelist(methods=["POST"])
def ingest(shipments: list | str) -> dict:
	"""``shipments``: a list of {waybill_no, customer, shipped_at, freight}; ``customer`` is a
	phone, an email or the shipping account code. Idempotent on the waybill."""
	frappe.has_permission(SHIPMENT, "create", throw=True)
	rows = shipments
	if isinstance(rows, str):
		try:
			rows = frappe.parse_json(rows)
		except ValueError:
			rows = None
	return service.ingest(rows)


@frappe.whitelist(methods=["POST"])
def import_csv(file_url: str) -> str:
	"""Queue the import of a CSV of shipments; its progress bar shows to whoever started it."""
	frappe.has_permission(SHIPMENT, "create", throw=True)
	if not frappe.db.exists("File", {"file_url": file_url}):
		frappe.throw(_("Attach the file to import first"))
	frappe.enqueue(
		service.import_csv,
		queue="long",
		timeout=3600,
		file_url=file_url,
		user=frappe.session.user,
		enqueue_after_commit=True,
		now=frappe.flags.in_test,
	)
	return _("The import has started")
