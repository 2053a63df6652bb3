"""Where the customers' shipments come from: one small interface (issue 12).

The recovery report reads shipments only through ``current().table()`` — a query-builder table
with the columns ``customer``, ``shipped_at``, ``freight`` and ``waybill_no`` — so that another
source (ERPNext's delivery notes, say) can sit beside the app's own *Customer Shipment* ledger,
which the shipping system fills through ``api.shipments.ingest`` and the CSV import.
"""

from __future__ import annotations

import frappe
from frappe.utils import now_datetime

from complaint_mgmt.engine.shipments import Shipment
from complaint_mgmt.services import customers, recovery_stat

SHIPMENT = "Customer Shipment"
FIELDS = (
	"name",
	"creation",
	"modified",
	"owner",
	"modified_by",
	"waybill_no",
	"customer",
	"customer_key",
	"shipped_at",
	"freight",
	"source",
)


class CustomerShipments:
	"""The app's own ledger: one row per waybill, keyed by customer and time."""

	label = SHIPMENT

	def table(self):
		return frappe.qb.DocType(SHIPMENT)

	def stored(self, waybills: list[str]) -> set[str]:
		if not waybills:
			return set()
		# thousands of values: a plain IN list (the query builder renders each value as an object)
		return set(
			frappe.db.sql(f"select name from `tab{SHIPMENT}` where name in %s", [tuple(waybills)], pluck=True)
		)

	def store(self, shipments: list[Shipment], source: str) -> tuple[int, int]:
		"""(stored, already there): waybills stored before are left as they are; a waybill another
		call stores at the same moment is skipped by the unique name (INSERT IGNORE). The recovery
		rollup moves the closures whose first shipment after them the batch makes earlier."""
		known = self.stored([s.waybill_no for s in shipments])
		fresh = [s for s in shipments if s.waybill_no not in known]
		if not fresh:
			return 0, len(shipments)
		owners = customers.resolve_keys(s.customer_key for s in fresh)
		now, user = now_datetime(), frappe.session.user
		rows = [_row(s, owners.get(s.customer_key), source, now, user) for s in fresh]
		columns = ", ".join(f"`{f}`" for f in FIELDS)
		one = "(" + ", ".join(["%s"] * len(FIELDS)) + ")"
		stored = 0
		for start in range(0, len(rows), 1000):
			part = rows[start : start + 1000]
			frappe.db.sql(
				f"INSERT IGNORE INTO `tab{SHIPMENT}` ({columns}) VALUES {', '.join([one] * len(part))}",
				[v for row in part for v in row],
			)
			stored += frappe.db._cursor.rowcount
		shipped: dict[str, list] = {}
		for s in fresh:
			if customer := owners.get(s.customer_key):
				shipped.setdefault(customer, []).append(s.shipped_at)
		recovery_stat.shipments_stored(shipped)
		return stored, len(shipments) - stored


def _row(s: Shipment, customer: str | None, source: str, now, user: str) -> tuple:
	head = (s.waybill_no, now, now, user, user)
	return (*head, s.waybill_no, customer, s.customer_key, s.shipped_at, s.freight, source)


SOURCES = {SHIPMENT: CustomerShipments}


def current() -> CustomerShipments:
	return SOURCES[SHIPMENT]()
