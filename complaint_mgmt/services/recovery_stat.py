"""The rollup behind the Customer Recovery report: Customer Recovery Stat (issue 12).

One row per closed complaint with a customer record, named after the complaint, holding what the
report measures when that complaint is its customer's latest closure in the period: the first
shipment after the closure and the days from receipt to it, the customer's complaints received
within the retention window before it was received and after it was closed, its survey score,
and the customer's current recovery figures (the strategy and costs of their active or completed
plans, the satisfaction their latest plan achieved, vouchers redeemed, compensation paid).

Upkeep is set-based, in the transaction of the change:
- ``refresh(customers)``: the customers' rows recomputed (one DELETE, one REPLACE … SELECT) when
  one of their complaints is received, closed, reopened, moved or deleted, or a survey,
  compensation, recovery plan or redemption of theirs changes (doc_events, hooks.py);
- ``shipments_stored(shipped)``: a stored batch of shipments moves only the closures whose first
  shipment after them it makes earlier; ``shipments_arrived(customers)`` recomputes that from the
  shipments when older shipments join a customer's record.

Rebuild everything: ``bench --site S complaint-mgmt recovery-rebuild`` (after a restore, an import
that wrote rows directly, or a change of the retention window: the report counts complaints
before/after over the window asked for, from the complaints, until the rows are rebuilt).
"""

from __future__ import annotations

import time
from collections.abc import Iterable

import frappe
from frappe.utils import add_days, get_datetime, getdate, now_datetime

from complaint_mgmt.engine import shipments as shipment_rules
from complaint_mgmt.services import recovery_settings

STAT = "Customer Recovery Stat"
PLAN_STATES = ("Active", "Completed")
PAID = "Paid"
CHUNK = 1000
CHUNK_DAYS = 31
COLUMNS = (
	"name, creation, modified, owner, modified_by, docstatus, idx, complaint, customer, received_at, "
	"closed_at, complaint_type, channel, route, origin_branch, window_days, first_shipment_after, "
	"cycle_days, complaints_before, complaints_after, strategy, compensation_paid, vouchers_redeemed, "
	"measure_cost, has_score_before, score_before, has_score_after, score_after"
)
# the complaint's receipt to a moment, in days (what the engine calls the recovery cycle)
DAYS_FROM_RECEIPT = "coalesce(timestampdiff(microsecond, {0}.received_at, {0}.{1}) / 86400e6, 0)"


def window_days() -> int:
	return int(recovery_settings.get().retention_window_days or 90)


def first_after_sql(alias: str) -> str:
	"""The first shipment of ``alias``'s customer after ``alias``'s closure (an index seek)."""
	from complaint_mgmt.services import shipment_source  # it keeps this rollup current: imports it

	shipments = shipment_source.current().table().get_sql(quote_char="`")
	return (
		f"(select min(sh.shipped_at) from {shipments} sh"
		f" where sh.customer = {alias}.customer and sh.shipped_at > {alias}.closed_at)"
	)


def complaints_before_sql(alias: str, window: str) -> str:
	return (
		f"(select count(*) from `tabComplaint` other where other.customer = {alias}.customer"
		f" and other.received_at >= {alias}.received_at - interval {window} day"
		f" and other.received_at < {alias}.received_at)"
	)


def complaints_after_sql(alias: str, window: str) -> str:
	return (
		f"(select count(*) from `tabComplaint` other where other.customer = {alias}.customer"
		f" and other.received_at > {alias}.closed_at"
		f" and other.received_at <= {alias}.closed_at + interval {window} day)"
	)


def _select(scope: str) -> str:
	"""The rows of the closed complaints ``scope`` (a condition on `c`) chooses."""
	return f"""
	select x.name, %(now)s, %(now)s, 'Administrator', 'Administrator', 0, 0, x.name, x.customer,
		x.received_at, x.closed_at, x.complaint_type, x.channel, x.route, x.origin_branch, %(window)s,
		x.first_after, {DAYS_FROM_RECEIPT.format("x", "first_after")},
		x.complaints_before, x.complaints_after, coalesce(x.strategy, ''), coalesce(x.paid, 0),
		coalesce(x.redeemed, 0), coalesce(x.measure_cost, 0), x.score_before is not null,
		coalesce(x.score_before, 0), x.score_after is not null, coalesce(x.score_after, 0)
	from (
		select c.name, c.customer, c.received_at, c.closed_at, c.complaint_type, c.channel, c.route,
			c.origin_branch, {first_after_sql("c")} as first_after,
			{complaints_before_sql("c", "%(window)s")} as complaints_before,
			{complaints_after_sql("c", "%(window)s")} as complaints_after,
			(select p.strategy from `tabRecovery Plan` p
				where p.customer = c.customer and p.workflow_state in %(plan_states)s
				order by p.creation desc limit 1) as strategy,
			(select sum(p.total_cost) from `tabRecovery Plan` p
				where p.customer = c.customer and p.workflow_state in %(plan_states)s) as measure_cost,
			(select sum(r.value) from `tabVoucher Redemption` r where r.customer = c.customer) as redeemed,
			(select sum(comp.total_amount) from `tabCompensation` comp
				join `tabComplaint` y on y.name = comp.complaint
				where y.customer = c.customer and comp.workflow_state = %(paid)s) as paid,
			(select (sv.efficiency_score + sv.solution_score) / 2 from `tabComplaint Survey` sv
				where sv.complaint = c.name limit 1) as score_before,
			(select p.satisfaction_achieved from `tabRecovery Plan` p
				where p.customer = c.customer and p.satisfaction_achieved > 0
				order by p.creation desc limit 1) as score_after
		from `tabComplaint` c
		where c.closed_at is not null and c.customer is not null and {scope}
	) x"""


def _params(**extra) -> dict:
	return {
		"now": now_datetime(),
		"window": window_days(),
		"plan_states": PLAN_STATES,
		"paid": PAID,
		**extra,
	}


# ------------------------------------------------------------------ upkeep
def refresh(customers: Iterable[str | None]) -> None:
	"""Recompute every row of these customers: two statements per 1,000 customers."""
	found = sorted({c for c in customers if c})
	for start in range(0, len(found), CHUNK):
		params = _params(customers=tuple(found[start : start + CHUNK]))
		frappe.db.sql(f"delete from `tab{STAT}` where customer in %(customers)s", params)
		frappe.db.sql(
			f"replace into `tab{STAT}` ({COLUMNS}) {_select('c.customer in %(customers)s')}", params
		)


def shipments_arrived(customers: Iterable[str | None]) -> None:
	"""Shipments of these customers joined their records: the first shipment after each of their
	closures, recomputed from the shipments (one UPDATE per 1,000 customers)."""
	found = sorted({c for c in customers if c})
	for start in range(0, len(found), CHUNK):
		frappe.db.sql(
			f"""update `tab{STAT}` s set s.first_shipment_after = {first_after_sql("s")},
				s.cycle_days = {DAYS_FROM_RECEIPT.format("s", "first_shipment_after")}
			where s.customer in %(customers)s""",
			{"customers": tuple(found[start : start + CHUNK])},
		)


def shipments_stored(shipped: dict[str, list]) -> int:
	"""A stored batch of shipments (customer → shipping times): the closures whose first shipment
	after the closure the batch makes earlier move, and only they (one indexed read, one UPDATE per
	1,000 moved rows); returns how many moved. ``least()`` keeps the earliest when two batches move
	one row at the same time."""
	customers = sorted(c for c in shipped if c)
	if not customers:
		return 0
	earliest = min(min(shipped[c]) for c in customers)  # rows no time of the batch can move stay unread
	latest = max(max(shipped[c]) for c in customers)
	changed: dict[str, object] = {}
	stat = frappe.qb.DocType(STAT)
	for start in range(0, len(customers), CHUNK):
		closures = (
			frappe.qb.from_(stat)
			.select(stat.name, stat.customer, stat.closed_at, stat.first_shipment_after)
			.where(stat.customer.isin(customers[start : start + CHUNK]))
			.where(stat.closed_at < latest)
			.where(stat.first_shipment_after.isnull() | (stat.first_shipment_after > earliest))
			.run(as_dict=True)
		)
		changed.update(shipment_rules.earlier_first_shipments(closures, shipped))
	names = sorted(changed)
	for start in range(0, len(names), CHUNK):
		part = names[start : start + CHUNK]
		cases = " ".join(["when %s then least(coalesce(s.first_shipment_after, %s), %s)"] * len(part))
		frappe.db.sql(
			f"""update `tab{STAT}` s set s.first_shipment_after = case s.name {cases} end,
				s.cycle_days = {DAYS_FROM_RECEIPT.format("s", "first_shipment_after")}
			where s.name in %s""",
			[*(v for name in part for v in (name, changed[name], changed[name])), tuple(part)],
		)
	return len(changed)


def rebuild(from_date: str | None = None, to_date: str | None = None) -> dict:
	"""Recompute the rows of the complaints closed from ``from_date`` to ``to_date`` (default: all),
	committing a month at a time."""
	started = time.monotonic()
	first, last = frappe.db.sql(
		"select min(closed_at), max(closed_at) from `tabComplaint` where customer is not null"
	)[0]
	start = getdate(from_date or first) if (from_date or first) else None
	if start is None:
		frappe.db.sql(f"delete from `tab{STAT}`")
		frappe.db.commit()
		return {"rows": 0, "seconds": 0.0}
	end = getdate(to_date or last or from_date)
	if not from_date and not to_date:
		frappe.db.sql(f"delete from `tab{STAT}`")  # rows of complaints no longer closed go too
	rows, day = 0, start
	while day <= end:
		stop = min(add_days(day, CHUNK_DAYS), add_days(end, 1))
		params = _params(start=get_datetime(day), end=get_datetime(stop))
		frappe.db.sql(f"delete from `tab{STAT}` where closed_at >= %(start)s and closed_at < %(end)s", params)
		scope = "c.closed_at >= %(start)s and c.closed_at < %(end)s"
		frappe.db.sql(f"replace into `tab{STAT}` ({COLUMNS}) {_select(scope)}", params)
		rows += frappe.db.sql("select row_count()")[0][0]
		frappe.db.commit()
		day = stop
	return {"rows": rows, "seconds": round(time.monotonic() - started, 2)}


# ------------------------------------------------------------------ doc_events
TRACKED = ("customer", "received_at", "closed_at", "complaint_type", "channel", "route", "origin_branch")


def on_complaint_change(doc, method=None) -> None:
	"""A new complaint moves its customer's counts before/after (unless the customer is new);
	a closure, reopening, move to another customer or change of what the rollup keeps moves the
	customer's rows."""
	before = doc.get_doc_before_save()
	if doc.flags.in_insert:
		if doc.customer and not doc.flags.new_customer:
			counted(doc.customer, doc.received_at)
	elif before is not None and any(doc.has_value_changed(field) for field in TRACKED):
		refresh([doc.customer, before.customer])


def counted(customer: str, received_at) -> None:
	"""A new complaint of a known customer: one UPDATE adds it to the counts before/after of the
	customer's closures whose window it falls in (each row's own window)."""
	frappe.db.sql(
		f"""update `tab{STAT}` set
			complaints_after = complaints_after
				+ (%(at)s > closed_at and %(at)s <= closed_at + interval window_days day),
			complaints_before = complaints_before
				+ (%(at)s < received_at and %(at)s >= received_at - interval window_days day)
		where customer = %(customer)s""",
		{"customer": customer, "at": get_datetime(received_at)},
	)


def on_complaint_delete(doc, method=None) -> None:
	refresh([doc.customer])


def on_record_change(doc, method=None) -> None:
	"""A survey or a compensation (paid, or no longer paid) of a complaint."""
	if doc.doctype == "Compensation":
		before = doc.get_doc_before_save()
		if PAID not in (doc.workflow_state, before.workflow_state if before else None):
			return
	customer = frappe.db.get_value("Complaint", doc.complaint, "customer") if doc.complaint else None
	refresh([customer])


def on_customer_record_change(doc, method=None) -> None:
	"""A recovery plan or a voucher redemption of a customer."""
	before = doc.get_doc_before_save() if method != "after_delete" else None
	refresh([doc.customer, before.customer if before else None])
