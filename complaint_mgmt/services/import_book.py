"""What a bulk import needs from the site, read once: the rules for rows, SLA policies, calendars,
escalation levels; and turning checked records into table rows (complaints and their clocks)."""

from __future__ import annotations

import json
from datetime import datetime, timedelta

import frappe
from frappe import _
from frappe.model.naming import parse_naming_series
from frappe.utils import get_system_timezone

from complaint_mgmt.engine import importing as rules
from complaint_mgmt.engine import sla_history
from complaint_mgmt.engine.calendar import from_calendar_time, to_calendar_time
from complaint_mgmt.engine.escalation import validate_levels
from complaint_mgmt.services import policy, sla_policy

NUMERIC = {"Check", "Int", "Float", "Currency", "Percent"}
ALWAYS = ["subject", "description", "workflow_state", "complaint_category"]
COMPUTED = [
	"priority",
	"auto_priority",
	"priority_reason",
	"sla_policy",
	"sla_status",
	"ack_status",
	"ack_detail",
]
MILESTONE_FIELDS = [
	"milestone", "status", "started_at", "target_minutes", "due_at", "at_risk_at", "met_at", "pauses",
	"escalation_level", "next_escalation_at", "policy",
]  # fmt: skip
BASE = ["name", "owner", "modified_by", "creation", "modified", "docstatus", "idx"]


def reserve_names(doctype: str, count: int) -> list[str]:
	"""``count`` names of the DocType's naming series, taken from the counter in one step."""
	found: dict = {}

	def block(key: str, digits: int) -> str:
		found.update(key=key, digits=digits)
		return "\0"

	pattern = parse_naming_series(frappe.get_meta(doctype).autoname, doctype, number_generator=block)
	series = frappe.qb.DocType("Series")
	current = (
		frappe.qb.from_(series).select(series.current).where(series.name == found["key"]).for_update().run()
	)
	if current:
		start = int(current[0][0] or 0)
		frappe.qb.update(series).set(series.current, start + count).where(series.name == found["key"]).run()
	else:
		start = 0
		frappe.qb.into(series).columns("name", "current").insert(found["key"], count).run()
	width = found["digits"]
	return [pattern.replace("\0", str(n).zfill(width)) for n in range(start + 1, start + count + 1)]


def _workflow_states() -> list[str]:
	state = frappe.qb.DocType("Workflow Document State")
	workflow = frappe.model.workflow.get_workflow_name("Complaint")
	return (
		frappe.qb.from_(state)
		.select(state.state)
		.where(state.parent == workflow)
		.orderby(state.idx)
		.run(pluck=True)
	)


def _types() -> tuple[dict, dict]:
	ct = frappe.qb.DocType("Complaint Type")
	rows = frappe.qb.from_(ct).select(ct.name, ct.is_group, ct.lft, ct.rgt, ct.enabled).run(as_dict=True)
	leaves = {}
	for row in rows:
		if not row.is_group and row.enabled:
			details = policy.type_details(row.name)
			leaves[row.name] = {"category": details.category, "default_priority": details.default_priority}
	return leaves, {r.name: (r.lft, r.rgt) for r in rows}


class ImportBook:
	"""Everything the rows are checked against and their clocks computed with."""

	def __init__(self, now: datetime):
		self.now = now
		settings = policy.settings()
		meta = frappe.get_meta("Complaint")
		self.meta = meta
		types, self.bounds = _types()
		self.rules = rules.ImportPolicy(
			channels=frozenset(frappe.get_all("Complaint Channel", filters={"enabled": 1}, pluck="name")),
			types=types,
			states=_workflow_states(),
			choices={
				f: [o for o in (meta.get_field(f).options or "").split("\n") if o] for f in rules.CHOICES
			},
			priority_rules=policy.priority_rules(),
			priority_levels=policy.priority_levels(),
			closed_state=settings.closed_state,
			rejected_state=settings.rejected_state,
			waybill_regex=settings.waybill_regex or "",
			phone_regex=settings.phone_regex or "",
		)
		self.policies = sla_policy.enabled_policies()
		self.default_policy = next((p for p in self.policies if p.is_default), None)
		self._targets: dict = {}
		self._levels: dict = {}
		self.system_tz = get_system_timezone()
		self.ack_detail = _("Recorded in the previous system")

	def choose_policy(self, record: dict):
		"""The SLA policy a complaint with these facts gets (as ``sla_policy.select_policy``)."""
		for row in self.policies:
			if not (row.channel or row.complaint_type or row.customer_tier):
				continue
			if row.channel and row.channel != record.get("channel"):
				continue
			if row.customer_tier and row.customer_tier != record.get("customer_tier"):
				continue
			if row.complaint_type and not self._is_within(record["complaint_type"], row.complaint_type):
				continue
			return row
		return self.default_policy

	def _is_within(self, complaint_type: str, ancestor: str) -> bool:
		own, outer = self.bounds.get(complaint_type), self.bounds.get(ancestor)
		return complaint_type == ancestor or bool(own and outer and outer[0] < own[0] < outer[1])

	def targets(self, policy_name: str, priority: str) -> dict[str, timedelta]:
		key = (policy_name, priority)
		if key not in self._targets:
			self._targets[key] = sla_policy.targets(policy_name, priority)
		return self._targets[key]

	def levels(self, priority: str) -> dict:
		if priority not in self._levels:
			self._levels[priority] = {
				m: validate_levels(sla_policy.escalation_levels(m, priority)[1])
				for m in sla_history.FROM_RECEIPT
			}
		return self._levels[priority]

	def _converters(self, tz: str | None):
		if not tz or tz == self.system_tz:
			return (lambda dt: dt), (lambda dt: dt)
		return (lambda dt: dt and to_calendar_time(dt, self.system_tz, tz)), (
			lambda dt: dt and from_calendar_time(dt, self.system_tz, tz)
		)

	def complete(self, record: dict) -> list[sla_history.HistoricClock]:
		"""Add priority, SLA policy and status to a checked record; return its clocks."""
		level, reasons = rules.decide_priority(record, self.rules)
		record["priority"] = record["auto_priority"] = level
		record["priority_reason"] = "\n".join(_(r).format(_(record["complaint_type"])) for r in reasons) or _(
			"No rule matched: default priority"
		)
		record["ack_status"] = "Sent" if record.get("acknowledged_at") else "Not Applicable"
		record["ack_detail"] = self.ack_detail if record.get("acknowledged_at") else None
		chosen = self.choose_policy(record)
		record["sla_policy"] = chosen.name if chosen else None
		if not chosen:
			record["sla_status"] = ""
			return []
		cal, tz = sla_policy.calendar(chosen.calendar)
		local, system = self._converters(tz)
		times = {k: local(v) if isinstance(v, datetime) else v for k, v in record.items()}
		clocks = sla_history.clocks_of(
			times,
			self.targets(chosen.name, level),
			cal=cal,
			at_risk_percent=chosen.at_risk_percent or 100,
			levels=self.levels(level),
			closed_state=self.rules.closed_state,
			rejected_state=self.rules.rejected_state,
			now=local(self.now),
		)
		record["sla_status"] = sla_history.overall_status([c.status for c in clocks])
		record["_system_time"] = system
		return clocks

	def defaults(self, fields: list[str]) -> dict:
		"""The value a field takes when the file leaves it empty (the DocType's default)."""
		values = {}
		for fieldname in fields:
			df = self.meta.get_field(fieldname)
			if df and df.default and df.default != "Now":
				values[fieldname] = int(df.default) if df.fieldtype in NUMERIC else df.default
			elif df and df.fieldtype in NUMERIC:
				values[fieldname] = 0
		return values

	def complaint_row(self, name: str, record: dict, fields: list[str], defaults: dict) -> tuple:
		stamp = {"name": name, "owner": frappe.session.user, "modified_by": frappe.session.user,
			"creation": record["received_at"], "modified": self.now, "docstatus": 0, "idx": 0}  # fmt: skip
		return tuple(
			stamp[f] if f in stamp else (record.get(f) if record.get(f) is not None else defaults.get(f))
			for f in fields
		)

	def milestone_rows(self, name: str, record: dict, clocks: list) -> list[tuple]:
		system = record.get("_system_time") or (lambda dt: dt)
		rows = []
		for idx, clock in enumerate(clocks, start=1):
			pauses = json.dumps([[str(system(p.start)), None] for p in clock.pauses])
			values = {
				"milestone": clock.milestone, "status": clock.status, "started_at": system(clock.started_at),
				"target_minutes": clock.target_minutes, "due_at": system(clock.due_at),
				"at_risk_at": system(clock.at_risk_at), "met_at": system(clock.met_at), "pauses": pauses,
				"escalation_level": clock.escalation_level,
				"next_escalation_at": system(clock.next_escalation_at), "policy": record["sla_policy"],
			}  # fmt: skip
			stamp = (
				f"{name}-m{idx}",
				frappe.session.user,
				frappe.session.user,
				record["received_at"],
				self.now,
				0,
				idx,
			)
			rows.append((*stamp, name, "Complaint", "milestones", *(values[f] for f in MILESTONE_FIELDS)))
		return rows


def complaint_fields(columns: list[str]) -> list[str]:
	"""The columns to write: the file's (the database gives the others their defaults), and ours."""
	stored = [c for c in columns if c and c not in rules.CLOCK_ONLY and c not in ALWAYS]
	return [*BASE, *stored, *ALWAYS, *COMPUTED]


def milestone_fields() -> list[str]:
	return [*BASE, "parent", "parenttype", "parentfield", *MILESTONE_FIELDS]
