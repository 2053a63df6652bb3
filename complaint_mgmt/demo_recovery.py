"""Demo customer recovery (issue 12): every closed demo complaint's customer ships before the
complaint; some ship again after it; a share get a recovery plan (strategies in turn), the plans'
e-vouchers and services are issued and some redeemed, so that the Customer Recovery report compares
strategies with the customers who got no plan. Written in bulk (multi-row INSERTs, names from the
DocTypes' series, set-based updates), then the recovery rollup of the demo customers is recomputed.
Waybills derive from the complaint and complaints with a plan are skipped: running again adds nothing.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from decimal import Decimal

import frappe
from frappe.utils import add_days

from complaint_mgmt.engine.shipments import Shipment
from complaint_mgmt.services import customers, recovery_settings, recovery_stat, shipment_source, vouchers
from complaint_mgmt.services.import_book import reserve_names
from complaint_mgmt.services.importing import insert_many

SOURCE = "Demo"
STRATEGIES = (
	"E-Voucher",
	"Communication",
	"Free Value-Added Service",
	"Priority Service",
	"Personalised Plan",
)
DEPARTMENT = {"E-Voucher": "Marketing", "Free Value-Added Service": "Logistics"}
LEDGER = {"E-Voucher": "Voucher", "Free Value-Added Service": "Service"}
# chance that a customer ships again after the complaint: with a plan, without one
RETURN_WITH_PLAN, RETURN_WITHOUT = 0.7, 0.4
REDEEMED_SHARE = 0.6
HEAD = ("name", "creation", "modified", "owner", "modified_by")
PLAN_FIELDS = (*HEAD, "customer", "complaint", "workflow_state", "strategy", "cause", "start_date")
PLAN_FIELDS += ("target_date", "completed_on", "satisfaction_target", "satisfaction_achieved")
PLAN_FIELDS += ("relationship_target", "brand_target", "total_cost")
MEASURE_FIELDS = (*HEAD, "parent", "parenttype", "parentfield", "idx", "measure_type", "department")
MEASURE_FIELDS += ("assigned_to", "due_date", "cost", "status", "service", "voucher")
VOUCHER_FIELDS = (*HEAD, "kind", "customer", "complaint", "value", "service", "quantity", "used")
VOUCHER_FIELDS += ("status", "code", "valid_from", "valid_to", "source_doctype", "source_name", "source_row")
REDEMPTION_FIELDS = (*HEAD, "voucher", "customer", "waybill_no", "redeemed_at", "value")


def _shipments(row: dict, key: str, rng: random.Random, now: datetime, returns: bool) -> list[Shipment]:
	found = []
	for n in range(rng.randint(2, 5)):  # their history before the complaint
		at = row["received_at"] - timedelta(days=rng.uniform(3, 120))
		found.append(Shipment(f"DM{row['name'][-8:]}B{n}", key, at, Decimal(rng.randint(8, 60))))
	room = (now - row["closed_at"]).total_seconds() / 86400
	if returns and room > 0.5:
		for n in range(rng.randint(1, 3)):
			at = row["closed_at"] + timedelta(days=rng.uniform(0.2, room - 0.1))
			found.append(Shipment(f"DM{row['name'][-8:]}A{n}", key, at, Decimal(rng.randint(8, 60))))
	return found


class Ledger:
	"""The rows of the plans, measures, vouchers and redemptions to write, and their names."""

	def __init__(self, plans: int, vouchers: int, now: datetime):
		self.now, self.plans, self.measures, self.vouchers, self.redemptions = now, [], [], [], []
		self.plan_names = iter(reserve_names("Recovery Plan", plans) if plans else ())
		self.voucher_names = iter(reserve_names("Complaint Voucher", vouchers) if vouchers else ())
		self.validity = recovery_settings.get().voucher_validity_days or 90
		self.priority_customers: set[str] = set()

	def stamp(self, name: str) -> tuple:
		return (name, self.now, self.now, "Administrator", "Administrator")

	def plan(self, row: dict, complaint, strategy: str, rng: random.Random, done: bool) -> None:
		name, start = next(self.plan_names), row["closed_at"].date()
		ledger = LEDGER.get(strategy)
		cost = rng.choice((20, 30, 50)) if ledger else rng.choice((0, 10))
		self.plans.append(
			(
				*self.stamp(name),
				complaint.customer,
				row["name"],
				"Completed" if done else "Active",
				strategy,
				row.get("resolution_summary") or "客户对处理结果不满意",
				start,
				add_days(start, 30),
				add_days(start, 7) if done else None,
				4,
				rng.choice((3, 4, 4, 5)) if done else 0,
				"Ships with us again within the retention window",
				"No negative public comment",
				cost,
			)
		)
		measure = frappe.generate_hash(length=10)
		voucher = self.voucher(row, complaint.customer, name, measure, ledger, cost, rng) if ledger else None
		self.measures.append(
			(
				*self.stamp(measure),
				name,
				"Recovery Plan",
				"measures",
				1,
				strategy,
				DEPARTMENT.get(strategy, "Customer Service"),
				complaint.lead_owner,
				add_days(start, 7),
				cost,
				"Done" if done else "Planned",
				"Packing" if ledger == "Service" else None,
				voucher,
			)
		)
		if strategy == "Priority Service" and done:
			self.priority_customers.add(complaint.customer)

	def voucher(self, row: dict, customer: str, plan: str, measure: str, kind: str, value, rng) -> str:
		name, start = next(self.voucher_names), row["closed_at"].date()
		used = rng.random() < REDEEMED_SHARE and (self.now - row["closed_at"]).total_seconds() > 3600
		valid_to = add_days(start, self.validity)
		status = "Redeemed" if used else ("Expired" if valid_to < self.now.date() else "Issued")
		self.vouchers.append(
			(
				*self.stamp(name),
				kind,
				customer,
				row["name"],
				value,
				"Packing" if kind == "Service" else None,
				1,
				int(used),
				status,
				vouchers.new_code(),
				start,
				valid_to,
				"Recovery Plan",
				plan,
				measure,
			)
		)
		if used:
			at = row["closed_at"] + (self.now - row["closed_at"]) * rng.uniform(0.1, 0.9)
			waybill = f"DMR{name[-10:]}"
			self.redemptions.append(
				(*self.stamp(frappe.generate_hash(length=10)), name, customer, waybill, at, value)
			)
		return name

	def write(self) -> None:
		insert_many("Recovery Plan", PLAN_FIELDS, self.plans)
		insert_many("Recovery Measure", MEASURE_FIELDS, self.measures)
		insert_many("Complaint Voucher", VOUCHER_FIELDS, self.vouchers)
		insert_many("Voucher Redemption", REDEMPTION_FIELDS, self.redemptions)
		if self.priority_customers:  # what a Priority Service measure marked Done does
			table = frappe.qb.DocType("Complaint Customer")
			frappe.qb.update(table).set(table.priority_service, 1).where(
				table.name.isin(sorted(self.priority_customers))
			).run()


def load(history: list[dict], now: datetime, seed: int) -> str:
	"""Called once by the demo loader, after the complaints and their records exist."""
	customers.backfill()
	closed = [r for r in history if r.get("status") == "Closed" and r.get("closed_at")]
	if not closed:
		return "no closed complaints: no recovery data"
	rng = random.Random(seed)
	linked = {
		c.name: c
		for c in frappe.get_all(
			"Complaint",
			filters={"name": ["in", [r["name"] for r in closed]]},
			fields=["name", "customer", "customer_key", "lead_owner"],
		)
	}
	planned = set(
		frappe.get_all("Recovery Plan", filters={"complaint": ["in", list(linked)]}, pluck="complaint")
	)
	cases = [
		(index, row, linked[row["name"]])
		for index, row in enumerate(closed)
		if row["name"] in linked and linked[row["name"]].customer
	]
	# two in three get a plan: the rest is the comparison group
	chosen = {index: STRATEGIES[index % len(STRATEGIES)] for index, _row, _c in cases if index % 3 != 2}
	fresh = {index for index, row, _c in cases if index in chosen and row["name"] not in planned}
	ledger = Ledger(len(fresh), sum(1 for index in fresh if chosen[index] in LEDGER), now)
	shipments = []
	for index, row, complaint in cases:
		if index in fresh:
			ledger.plan(row, complaint, chosen[index], rng, done=index % 2 == 0)
		chance = RETURN_WITH_PLAN if index in chosen else RETURN_WITHOUT
		shipments += _shipments(row, complaint.customer_key, rng, now, rng.random() < chance)
	ledger.write()
	stored, _known = shipment_source.current().store(shipments, SOURCE)
	recovery_stat.refresh(c.customer for c in linked.values())
	return (
		f"{stored} shipments, {len(ledger.plans)} recovery plans, {len(ledger.vouchers)} vouchers, "
		f"{len(ledger.redemptions)} redeemed"
	)


def remove(complaints: list[str]) -> None:
	"""remove_demo: the recovery records of these demo complaints."""
	plans = frappe.get_all("Recovery Plan", filters={"complaint": ["in", complaints]}, pluck="name")
	issued = frappe.get_all("Complaint Voucher", filters={"complaint": ["in", complaints]}, pluck="name")
	frappe.db.delete("Voucher Redemption", {"voucher": ["in", issued or [""]]})
	frappe.db.delete("Complaint Voucher", {"name": ["in", issued or [""]]})
	for child in ("Recovery Measure", "Recovery Plan Complaint"):
		frappe.db.delete(child, {"parent": ["in", plans or [""]], "parenttype": "Recovery Plan"})
	frappe.db.delete("Recovery Plan", {"name": ["in", plans or [""]]})
	frappe.db.delete("Customer Recovery Stat", {"complaint": ["in", complaints]})
	frappe.db.delete("Customer Shipment", {"source": SOURCE, "waybill_no": ["like", "DM%"]})
