"""Rows of shipments sent by the shipping system: checked one by one (no frappe import).

A good row has a waybill, a customer identifier that gives a key, a shipping time that is not in
the future, and a freight that is a number not below zero. A refused row carries its reasons and
nothing of it is stored; a waybill twice in one batch is refused the second time.
"""

from __future__ import annotations

import bisect
import datetime
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from complaint_mgmt.engine.customers import key_of

WAYBILL = re.compile(r"^[A-Za-z0-9\-]{6,40}$")
MAX_FREIGHT = Decimal("1000000")


@dataclass(frozen=True)
class Shipment:
	waybill_no: str
	customer_key: str
	shipped_at: datetime.datetime
	freight: Decimal


@dataclass(frozen=True)
class Refusal:
	row: int
	waybill_no: str
	reasons: tuple[str, ...]


@dataclass
class Checked:
	good: list[Shipment] = field(default_factory=list)
	refused: list[Refusal] = field(default_factory=list)


def parse_time(value: Any) -> datetime.datetime | None:
	if isinstance(value, datetime.datetime):
		return value.replace(tzinfo=None)
	if isinstance(value, datetime.date):
		return datetime.datetime.combine(value, datetime.time())
	text = str(value or "").strip().replace("T", " ").replace("/", "-")
	if len(text) >= 19 and text[4] == "-" and text[10] == " ":
		try:  # the usual form, parsed in C
			return datetime.datetime.fromisoformat(text[:19])
		except ValueError:
			pass
	for fmt in ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d"):
		try:
			return datetime.datetime.strptime(text[:19], fmt)
		except ValueError:
			continue
	return None


def parse_freight(value: Any) -> Decimal | None:
	if value is None or (isinstance(value, str) and not value.strip()):
		return Decimal("0")
	try:
		amount = Decimal(str(value).strip())
	except (InvalidOperation, ValueError):
		return None
	return amount if amount.is_finite() else None


def check_row(row: Mapping[str, Any], now: datetime.datetime) -> tuple[Shipment | None, list[str]]:
	reasons = []
	waybill = str(row.get("waybill_no") or row.get("waybill") or "").strip()
	if not WAYBILL.match(waybill):
		reasons.append("waybill number missing or malformed")
	key = key_of(str(row.get("customer") or row.get("customer_key") or ""))
	if not key:
		reasons.append("customer is not a phone, email or account code")
	shipped_at = parse_time(row.get("shipped_at"))
	if shipped_at is None:
		reasons.append("shipped_at is not a date and time (YYYY-MM-DD HH:MM:SS)")
	elif shipped_at > now:
		reasons.append("shipped_at is in the future")
	freight = parse_freight(row.get("freight"))
	if freight is None:
		reasons.append("freight is not a number")
	elif freight < 0 or freight > MAX_FREIGHT:
		reasons.append("freight is below zero or implausibly high")
	if reasons:
		return None, reasons
	return Shipment(waybill, key, shipped_at, freight), []


def check_rows(rows: Iterable[Any], now: datetime.datetime) -> Checked:
	out = Checked()
	seen: set[str] = set()
	for index, row in enumerate(rows, start=1):
		if not isinstance(row, Mapping):
			out.refused.append(Refusal(index, "", ("a row is an object with waybill_no, customer, …",)))
			continue
		shipment, reasons = check_row(row, now)
		if shipment and shipment.waybill_no in seen:
			reasons = ["waybill number twice in this batch"]
		if reasons:
			out.refused.append(Refusal(index, str(row.get("waybill_no") or ""), tuple(reasons)))
			continue
		seen.add(shipment.waybill_no)
		out.good.append(shipment)
	return out


def earlier_first_shipments(
	closures: Iterable[Mapping[str, Any]], shipped: Mapping[str, Iterable[datetime.datetime]]
) -> dict[str, datetime.datetime]:
	"""Which closures a batch of new shipments gives an earlier first shipment after the closure.

	``closures``: rows with ``name``, ``customer``, ``closed_at`` and ``first_shipment_after`` (None
	when the customer has not shipped since); ``shipped``: customer → the batch's shipping times.
	Returns closure name → the batch's first shipment after that closure, only where it is earlier
	than the one known (shipments are only ever added, so the first one can only move earlier).
	"""
	ordered = {customer: sorted(times) for customer, times in shipped.items()}
	changed: dict[str, datetime.datetime] = {}
	for row in closures:
		times = ordered.get(row["customer"])
		if not times or row["closed_at"] is None:
			continue
		at = bisect.bisect_right(times, row["closed_at"])
		if at == len(times):
			continue
		known = row["first_shipment_after"]
		if known is None or times[at] < known:
			changed[row["name"]] = times[at]
	return changed
