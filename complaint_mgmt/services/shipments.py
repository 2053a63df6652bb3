"""Shipments from the shipping system: a batch through the API or a CSV file of history.

Rows are checked by ``engine.shipments``; good ones are stored set-based through the shipment
source (idempotent on the waybill), refused ones come back with their reasons and nothing of them
is stored.
"""

from __future__ import annotations

import frappe
from frappe import _
from frappe.utils import now_datetime

from complaint_mgmt.engine import shipments as rules
from complaint_mgmt.services import recovery_settings, shipment_source

CSV_CHUNK = 5000


def refusal(r: rules.Refusal) -> dict:
	return {"row": r.row, "waybill_no": r.waybill_no, "reasons": [_(reason) for reason in r.reasons]}


def ingest(rows: list, source: str = "API") -> dict:
	"""Store a batch; the answer counts what was stored, what was there already, and every
	refused row with its reasons."""
	if not isinstance(rows, list):
		frappe.throw(_("Send the shipments as a list of rows"), title=_("Invalid input"))
	limit = recovery_settings.get().shipment_batch_limit or 0
	if limit and len(rows) > limit:
		frappe.throw(
			_("At most {0} shipments per call; this call has {1}").format(limit, len(rows)),
			title=_("Batch too large"),
		)
	checked = rules.check_rows(rows, now_datetime())
	stored, known = shipment_source.current().store(checked.good, source)
	return {
		"stored": stored,
		"already_stored": known,
		"refused": [refusal(r) for r in checked.refused],
	}


def import_csv(file_url: str, user: str) -> dict:
	"""Background job: a CSV with the columns waybill_no, customer, shipped_at, freight."""
	from complaint_mgmt.services.importing import read_table

	file = frappe.get_doc("File", {"file_url": file_url})
	header, rows = read_table(file.get_content(), file.file_name or file.file_url)
	columns = [str(h or "").strip().lower() for h in header]
	missing = [c for c in ("waybill_no", "customer", "shipped_at") if c not in columns]
	if missing:
		frappe.throw(_("The file has no column {0}").format(", ".join(missing)), title=_("Invalid file"))
	total = {"stored": 0, "already_stored": 0, "refused": []}
	for start in range(0, len(rows), CSV_CHUNK):
		part = [dict(zip(columns, row, strict=False)) for row in rows[start : start + CSV_CHUNK]]
		checked = rules.check_rows(part, now_datetime())
		stored, known = shipment_source.current().store(checked.good, "CSV")
		total["stored"] += stored
		total["already_stored"] += known
		total["refused"] += [
			refusal(rules.Refusal(r.row + start, r.waybill_no, r.reasons)) for r in checked.refused
		]
		frappe.db.commit()  # an interrupted import runs again: stored waybills are skipped
		done = min(start + CSV_CHUNK, len(rows))
		frappe.publish_progress(
			done * 100 / max(len(rows), 1),
			title=_("Importing shipments"),
			description=_("{0} of {1} rows").format(done, len(rows)),
		)  # to the job's user: whoever started the import
	summary = _("Shipments stored: {0}, already stored: {1}, refused: {2}").format(
		total["stored"], total["already_stored"], len(total["refused"])
	)
	reasons = "<br>".join(f"{_('Row')} {r['row']}: {', '.join(r['reasons'])}" for r in total["refused"][:20])
	frappe.publish_realtime("msgprint", f"{summary}<br>{reasons}", user=user)
	return total
