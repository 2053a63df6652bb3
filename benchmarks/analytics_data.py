"""Benchmark complaints shaped like an express company's, for the analytics benchmark (issue 13).

Uniform random data spreads a day's complaints over every combination of type × channel ×
priority × department × owner, so the rollup holds about one row per complaint and does not
compress at all. Real complaints do not look like that, and neither do these:

- a type's department is the one its type master says (Delay → Transport); its priority is the
  type's default, sometimes raised (7 % Urgent, a tenth of the General ones Important);
- types, channels, routes and branches are Zipf-distributed (a few carry most complaints:
  the hotline and online chat, Delay and Damaged, the busiest lines and branches);
- each department has its own ten agents, the busiest of them handling the most;
- branches are named after their city (上海人民路网点), so they fall into the site's regions;
- volume grows by a third over the period, Mondays bring 30 % more, the day peaks 09–21 h.

Rows go in as multi-row INSERTs with bound parameters (no ORM per row), 2,000 at a time.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import datetime, timedelta

import frappe

from complaint_mgmt.engine.regions import DEFAULT_REGIONS
from complaint_mgmt.services import policy
from complaint_mgmt.services.importing import insert_many

MARK = "BENCH-AN-"
CHUNK = 20_000
STREETS = ("人民路", "解放路", "中山路", "建设路", "长江路", "和平街", "新华路", "滨江大道")
HOURS = [1, 1, 1, 1, 1, 2, 4, 8, 14, 18, 18, 17, 15, 16, 17, 17, 16, 15, 14, 13, 12, 10, 6, 3]
COMPLAINT_COLUMNS = (
	"name", "creation", "modified", "owner", "modified_by", "subject", "channel", "complaint_type",
	"priority", "department", "lead_owner", "route", "origin_branch", "region", "received_at",
	"acknowledged_at", "closed_at", "customer_name", "customer_phone", "workflow_state", "sla_status",
)  # fmt: skip
CLOCK_COLUMNS = (
	"name", "creation", "modified", "owner", "modified_by", "parent", "parenttype", "parentfield",
	"idx", "milestone", "status", "due_at", "met_at",
)  # fmt: skip
SURVEY_COLUMNS = (
	"name", "creation", "modified", "owner", "modified_by", "complaint", "efficiency_score",
	"solution_score", "low_score",
)  # fmt: skip
PAID_COLUMNS = (
	"name",
	"creation",
	"modified",
	"owner",
	"modified_by",
	"complaint",
	"workflow_state",
	"total_amount",
)


def zipf(values: Sequence, s: float) -> tuple[list, list[float]]:
	"""``values`` (most frequent first) with cumulative weights 1/k^s, for random.choices."""
	total, cumulative = 0.0, []
	for rank in range(1, len(values) + 1):
		total += 1 / rank**s
		cumulative.append(total)
	return list(values), cumulative


class Shape:
	"""The site's types and channels with the distributions above."""

	def __init__(self, rng: random.Random, days: int, start: datetime):
		self.rng, self.start = rng, start
		leaves = frappe.get_all("Complaint Type", filters={"is_group": 0}, pluck="name", order_by="lft")
		rng.shuffle(leaves)
		for favourite in ("Damaged", "Delay"):  # the two commonest complaints of the documents
			if favourite in leaves:
				leaves.insert(0, leaves.pop(leaves.index(favourite)))
		self.types = zipf(leaves, 1.1)
		self.type_info = {t: policy.type_details(t) for t in leaves}
		channels = frappe.get_all("Complaint Channel", pluck="name", order_by="creation")
		self.channels = zipf(channels, 1.2)
		departments = sorted({info.department or "Customer Service" for info in self.type_info.values()})
		self.owners = {
			d: zipf([f"agent{i}.{d.lower().replace(' ', '-')}@bench.invalid" for i in range(10)], 0.8)
			for d in departments
		}
		cities = [city for prefixes in DEFAULT_REGIONS.values() for city in prefixes]
		rng.shuffle(cities)
		routes = [f"{a}-{b}" for a in cities for b in cities if a != b]
		rng.shuffle(routes)
		self.routes = zipf(routes[:300], 1.0)
		branches = [f"{city}{street}网点" for city in cities for street in STREETS]
		rng.shuffle(branches)
		self.branches = zipf(branches[:150], 0.9)
		self.region = {branch: policy.region(branch) for branch in self.branches[0]}
		day_weights = [
			(1 + day / days / 3) * (1.3 if (start + timedelta(days=day)).weekday() == 0 else 1)
			for day in range(days)
		]
		self.days = (list(range(days)), _cumulate(day_weights))
		self.hours = (list(range(24)), _cumulate(HOURS))

	def pick(self, table: tuple[list, list[float]], k: int) -> list:
		return self.rng.choices(table[0], cum_weights=table[1], k=k)

	def received(self, k: int) -> list[datetime]:
		days, hours = self.pick(self.days, k), self.pick(self.hours, k)
		return [
			self.start + timedelta(days=d, hours=h, seconds=self.rng.randrange(3600))
			for d, h in zip(days, hours, strict=True)
		]

	def priority(self, default: str | None) -> str:
		roll = self.rng.random()
		if roll < 0.07:
			return "Urgent"
		if (default or "General") == "General" and roll < 0.17:
			return "Important"
		return default or "General"


def _cumulate(weights: Sequence[float]) -> list[float]:
	total, found = 0.0, []
	for weight in weights:
		total += weight
		found.append(total)
	return found


def bulk_load(count: int, days: int, end: datetime) -> tuple[datetime, datetime]:
	"""``count`` complaints received over ``days`` days up to ``end``, with their clocks, surveys
	(30 % of the closed) and paid compensations (10 %)."""
	rng = random.Random(13)
	start = end - timedelta(days=days)
	shape = Shape(rng, days, start)
	for first in range(0, count, CHUNK):
		k = min(CHUNK, count - first)
		complaints, clocks, surveys, paid = [], [], [], []
		types, channels = shape.pick(shape.types, k), shape.pick(shape.channels, k)
		routes, branches = shape.pick(shape.routes, k), shape.pick(shape.branches, k)
		for i, (received, ctype, channel, route, branch) in enumerate(
			zip(shape.received(k), types, channels, routes, branches, strict=True), start=first
		):
			name = f"{MARK}{i:08d}"
			info = shape.type_info[ctype]
			department = info.department or "Customer Service"
			closed = received + timedelta(hours=rng.uniform(2, 120)) if rng.random() < 0.9 else None
			ack = received + timedelta(minutes=rng.uniform(5, 180))
			base = (name, received, received, "Administrator", "Administrator")
			complaints.append(
				(
					*base, "延误", channel, ctype, shape.priority(info.default_priority), department,
					shape.pick(shape.owners[department], 1)[0], route, branch, shape.region[branch], received,
					ack, closed, "客户", "13800000000", "Closed" if closed else "Investigating",
					"Met" if closed else "On Track",
				)
			)  # fmt: skip
			for idx, (milestone, hours) in enumerate((("Acknowledge", 2), ("Resolution", 72)), start=1):
				met = ack if milestone == "Acknowledge" else closed
				clocks.append(
					(f"{name}-{idx}", *base[1:], name, "Complaint", "milestones", idx, milestone,
					"Met" if met else "On Track", received + timedelta(hours=hours), met)
				)  # fmt: skip
			if closed and rng.random() < 0.3:
				e, s = rng.randint(1, 5), rng.randint(1, 5)
				surveys.append((f"{name}-S", *base[1:], name, e, s, int(min(e, s) < 4)))
			if rng.random() < 0.1:
				paid.append((f"{name}-P", *base[1:], name, "Paid", rng.randrange(20, 2000)))
		for doctype, columns, rows in (
			("Complaint", COMPLAINT_COLUMNS, complaints),
			("Complaint Milestone", CLOCK_COLUMNS, clocks),
			("Complaint Survey", SURVEY_COLUMNS, surveys),
			("Compensation", PAID_COLUMNS, paid),
		):
			insert_many(doctype, columns, rows, chunk=2000)
		frappe.db.commit()
	return start, end


def cleanup() -> None:
	for doctype, field in (
		("Complaint Milestone", "parent"),
		("Complaint Survey", "complaint"),
		("Compensation", "complaint"),
		("Complaint", "name"),
	):
		frappe.db.sql(f"delete from `tab{doctype}` where `{field}` like %s", (f"{MARK}%",))
	frappe.db.commit()
