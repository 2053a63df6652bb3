"""Demo customer recovery (issue 12): every closed demo complaint's customer ships before the
complaint; some ship again after it; a share get a recovery plan (strategies in turn), the plans'
e-vouchers are issued and some redeemed, so that the Customer Recovery report compares strategies
with the customers who got no plan. Waybills derive from the complaint: running again adds nothing.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from decimal import Decimal

import frappe

from complaint_mgmt.engine.shipments import Shipment
from complaint_mgmt.services import customers, shipment_source, vouchers

SOURCE = "Demo"
STRATEGIES = (
	"E-Voucher",
	"Communication",
	"Free Value-Added Service",
	"Priority Service",
	"Personalised Plan",
)
DEPARTMENT = {"E-Voucher": "Marketing", "Free Value-Added Service": "Logistics"}
# chance that a customer ships again after the complaint: with a plan, without one
RETURN_WITH_PLAN, RETURN_WITHOUT = 0.7, 0.4


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


def _plan(row: dict, strategy: str, owner: str | None, rng: random.Random, done: bool) -> str:
	cost = (
		rng.choice((20, 30, 50))
		if strategy in ("E-Voucher", "Free Value-Added Service")
		else rng.choice((0, 10))
	)
	plan = frappe.get_doc(
		{
			"doctype": "Recovery Plan",
			"complaint": row["name"],
			"strategy": strategy,
			"cause": row.get("resolution_summary") or "客户对处理结果不满意",
			"satisfaction_achieved": rng.choice((3, 4, 4, 5)) if done else None,
			"measures": [
				{
					"measure_type": strategy,
					"department": DEPARTMENT.get(strategy, "Customer Service"),
					"assigned_to": owner,
					"due_date": row["closed_at"].date() + timedelta(days=7),
					"cost": cost,
					"status": "Done" if done else "Planned",
					"service": "Packing" if strategy == "Free Value-Added Service" else None,
				}
			],
		}
	)
	plan.flags.ignore_permissions = True
	plan.insert()  # Suggested, then started (and completed) as the workflow allows
	for state in ("Active", "Completed") if done else ("Active",):
		plan.workflow_state = state
		plan.save()
	return plan.name


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
	rows, plans = [], []
	for index, row in enumerate(closed):
		complaint = linked.get(row["name"])
		if not complaint or not complaint.customer:
			continue
		with_plan = index % 3 != 2  # two in three get a plan: the rest is the comparison group
		if with_plan and row["name"] not in planned:
			strategy = STRATEGIES[index % len(STRATEGIES)]
			plans.append(_plan(row, strategy, complaint.lead_owner, rng, done=index % 2 == 0))
		chance = RETURN_WITH_PLAN if with_plan else RETURN_WITHOUT
		rows += _shipments(row, complaint.customer_key, rng, now, rng.random() < chance)
	stored, _known = shipment_source.current().store(rows, SOURCE)
	redeemed = 0
	for voucher in frappe.get_all(
		"Complaint Voucher",
		filters={"source_name": ["in", plans or [""]], "status": "Issued"},
		fields=["name", "code"],
	):
		if rng.random() < 0.6:
			vouchers.redeem(voucher.code, f"DMR{voucher.name[-10:]}")
			redeemed += 1
	return f"{stored} shipments, {len(plans)} recovery plans, {redeemed} vouchers redeemed"


def remove(complaints: list[str]) -> None:
	"""remove_demo: the recovery records of these demo complaints."""
	plans = frappe.get_all("Recovery Plan", filters={"complaint": ["in", complaints]}, pluck="name")
	issued = frappe.get_all("Complaint Voucher", filters={"complaint": ["in", complaints]}, pluck="name")
	frappe.db.delete("Voucher Redemption", {"voucher": ["in", issued or [""]]})
	frappe.db.delete("Complaint Voucher", {"name": ["in", issued or [""]]})
	for child in ("Recovery Measure", "Recovery Plan Complaint"):
		frappe.db.delete(child, {"parent": ["in", plans or [""]], "parenttype": "Recovery Plan"})
	frappe.db.delete("Recovery Plan", {"name": ["in", plans or [""]]})
	frappe.db.delete("Customer Shipment", {"source": SOURCE, "waybill_no": ["like", "DM%"]})
