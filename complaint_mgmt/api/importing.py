"""Desk action of the Complaint Import form: start the import in a background job."""

from __future__ import annotations

import frappe
from frappe import _

from complaint_mgmt.services import importing


@frappe.whitelist(methods=["POST"])
def start(name: str) -> str:
	"""Queue the import of this record's file; its progress shows on the form."""
	doc = frappe.get_doc("Complaint Import", name)
	doc.check_permission("write")
	if doc.status in ("Queued", "Running"):
		frappe.throw(_("This import is already under way"))
	if not doc.import_file:
		frappe.throw(_("Attach the file to import first"))
	doc.db_set({"status": "Queued", "error": None})
	frappe.enqueue(
		importing.run_import,
		queue="long",
		timeout=3600,
		import_name=name,
		enqueue_after_commit=True,
		now=frappe.flags.in_test,
	)
	return doc.status
