"""Rows of a historical complaint file (the old system's export): checked, converted, mapped.

Pure rules, no Frappe. The caller reads the file into header + rows of text (or spreadsheet
values), passes the site's policy as an :class:`ImportPolicy`, and gets for each row either a
record (field → value, ready to store) or the reasons it is refused (:class:`RowError`: row number,
column, reason). Nothing of a refused row is kept. Reasons are English templates with ``{name}``
placeholders in ``params`` so the Frappe layer can translate them.

Conventions
-----------
- Columns are the Complaint's field names (case and spaces do not matter; ``status`` means
  ``workflow_state``). An unknown column refuses the whole file: a misspelt column would silently
  drop data.
- ``intake_reference`` (the old system's number) is the source key: required and unique, so a
  re-run skips the rows already imported.
- Times are naive local times ``YYYY-MM-DD HH:MM[:SS]`` (``/`` or ``T`` accepted) or spreadsheet
  datetimes; a date alone means midnight. Recorded times cannot precede receipt nor lie ahead of
  ``now``.
- The workflow state defaults to the closed state when ``closed_at`` is given, else the first state.
  A closed complaint needs ``closed_at``; a rejected one needs ``rejected_at`` (its clocks stop then).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from complaint_mgmt.engine import priority as priority_rules
from complaint_mgmt.engine.errors import PolicyViolation

SOURCE_KEY = "intake_reference"
TEXT = (
	"subject", "description", "customer_name", "customer_phone", "customer_email", "sender_address",
	"recipient_address", "waybill_no", "batch_no", "route", "origin_branch", "destination_branch",
	"expected_resolution_detail", "media_details", "regulator_details", "resolution_summary",
	"rejection_reason", SOURCE_KEY,
)  # fmt: skip
TIMES = ("received_at", "order_time", "acknowledged_at", "assigned_at", "investigation_reported_at",
	"resolved_at", "closed_at", "rejected_at")  # fmt: skip
DATES = ("ship_date",)
MONEY = ("goods_value", "freight", "declared_value", "insured_value")
CHECKS = (
	"is_insured", "media_involved", "regulator_involved", "regulator_intent", "force_majeure",
	"customer_accepted", "no_further_demand", "solution_executed", "evidence_archived",
)  # fmt: skip
CHOICES = ("customer_tier", "customer_language", "service_type", "goods_category", "expected_resolution")
LINKS = ("channel", "complaint_type", "workflow_state")
COLUMNS = frozenset(TEXT + TIMES + DATES + MONEY + CHECKS + CHOICES + LINKS + ("group_size",))
ALIASES = {"status": "workflow_state"}
REQUIRED = (SOURCE_KEY, "received_at", "channel", "complaint_type", "customer_name")
# times kept only to compute the clocks; the Complaint has no field for them
CLOCK_ONLY = ("investigation_reported_at", "resolved_at", "rejected_at")
TRUE = {"1", "yes", "y", "true", "是", "x"}
FALSE = {"", "0", "no", "n", "false", "否"}
TIME_FORMATS = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d")


@dataclass(frozen=True)
class RowError:
	"""Why one row is refused: its number in the file (the header is row 1) and the column."""

	row: int
	column: str
	reason: str
	params: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class ImportPolicy:
	"""What the site allows, loaded once per import."""

	channels: frozenset[str]
	types: Mapping[str, Mapping[str, Any]]  # leaf type → {"category", "default_priority"}
	states: Sequence[str]  # workflow states, the first one where a new complaint starts
	choices: Mapping[str, Sequence[str]]  # Select field → its options
	priority_rules: Sequence[priority_rules.PriorityRule]
	priority_levels: Sequence[str]
	closed_state: str
	rejected_state: str
	waybill_regex: str = ""
	phone_regex: str = ""


def map_header(header: Iterable[Any]) -> list[str]:
	"""The field of each column; refuses unknown, missing required and repeated columns."""
	fields = []
	for raw in header:
		name = re.sub(r"\s+", "_", str(raw or "").strip().lower())
		fields.append(ALIASES.get(name, name))
	unknown = [f for f in fields if f and f not in COLUMNS]
	if unknown:
		raise PolicyViolation("Unknown columns: {columns}", columns=", ".join(unknown))
	missing = [f for f in REQUIRED if f not in fields]
	if missing:
		raise PolicyViolation("Required columns are missing: {columns}", columns=", ".join(missing))
	repeated = sorted({f for f in fields if f and fields.count(f) > 1})
	if repeated:
		raise PolicyViolation("Columns given twice: {columns}", columns=", ".join(repeated))
	return fields


class _Row:
	def __init__(self, number: int):
		self.number, self.errors = number, []

	def refuse(self, column: str, reason: str, **params: Any) -> None:
		self.errors.append(RowError(self.number, column, reason, params))


def _text(value: Any) -> str:
	if value is None:
		return ""
	if isinstance(value, float) and value.is_integer():
		value = int(value)  # spreadsheets give numbers for numeric-looking text
	return str(value).strip()


def parse_time(value: Any) -> datetime | None:
	"""A naive datetime from a spreadsheet value or text; None when empty; ValueError if unreadable."""
	if isinstance(value, datetime):
		return value.replace(microsecond=0, tzinfo=None)
	if isinstance(value, date):
		return datetime(value.year, value.month, value.day)
	text = _text(value).replace("/", "-").replace("T", " ")
	if not text:
		return None
	for fmt in TIME_FORMATS:
		try:
			return datetime.strptime(text, fmt)
		except ValueError:
			continue
	raise ValueError(text)


def _convert(row: _Row, column: str, value: Any, policy: ImportPolicy) -> Any:
	text = _text(value)
	if column in TIMES or column in DATES:
		try:
			moment = parse_time(value)
		except ValueError:
			row.refuse(column, "{value} is not a date and time like 2026-03-01 14:30", value=text)
			return None
		return moment.date() if column in DATES and moment else moment
	if column in MONEY:
		if not text:
			return 0
		try:
			number = Decimal(text.replace(",", ""))
		except InvalidOperation:
			row.refuse(column, "{value} is not a number", value=text)
			return None
		if number < 0:
			row.refuse(column, "{value} cannot be negative", value=text)
		return float(number)
	if column == "group_size":
		if not text:
			return 1
		if not re.fullmatch(r"\d+", text) or int(text) < 1:
			row.refuse(column, "{value} is not a whole number of people", value=text)
			return None
		return int(text)
	if column in CHECKS:
		if text.lower() not in TRUE | FALSE:
			row.refuse(column, "{value} is not yes or no", value=text)
			return None
		return 1 if text.lower() in TRUE else 0
	if column in CHOICES and text and text not in policy.choices.get(column, ()):
		row.refuse(
			column, "{value} is not one of: {options}", value=text, options=", ".join(policy.choices[column])
		)
		return None
	return text or None


def _check_links(row: _Row, record: dict, policy: ImportPolicy) -> None:
	if record.get("channel") and record["channel"] not in policy.channels:
		row.refuse("channel", "Unknown channel {value}", value=record["channel"])
	if record.get("complaint_type") and record["complaint_type"] not in policy.types:
		row.refuse("complaint_type", "Unknown complaint type {value}", value=record["complaint_type"])
	if record.get("workflow_state") and record["workflow_state"] not in policy.states:
		row.refuse("workflow_state", "Unknown status {value}", value=record["workflow_state"])


def _check_contact(row: _Row, record: dict, policy: ImportPolicy) -> None:
	phone, email = record.get("customer_phone"), record.get("customer_email")
	if not (phone or email):
		row.refuse("customer_phone", "Give the customer's phone number or email address")
	if phone and policy.phone_regex and not re.fullmatch(policy.phone_regex, phone.replace(" ", "")):
		row.refuse("customer_phone", "Phone number {value} is not valid", value=phone)
	if email and not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", email):
		row.refuse("customer_email", "Email address {value} is not valid", value=email)
	if record.get("waybill_no"):
		record["waybill_no"] = record["waybill_no"].upper()
		if policy.waybill_regex and not re.fullmatch(policy.waybill_regex, record["waybill_no"]):
			row.refuse("waybill_no", "Waybill number {value} is not valid", value=record["waybill_no"])


def _check_times(row: _Row, record: dict, policy: ImportPolicy, now: datetime) -> None:
	received = record.get("received_at")
	for column in TIMES:
		moment = record.get(column)
		if not moment or column == "order_time":
			continue
		if moment > now:
			row.refuse(column, "{value} lies in the future", value=moment)
		elif received and moment < received and column != "received_at":
			row.refuse(column, "{value} is before the complaint was received", value=moment)
	state = record.get("workflow_state")
	if not state:
		state = record["workflow_state"] = (
			policy.closed_state if record.get("closed_at") else policy.states[0]
		)
	if state == policy.closed_state and not record.get("closed_at"):
		row.refuse("closed_at", "A closed complaint needs the time it was closed")
	if state != policy.closed_state and record.get("closed_at"):
		row.refuse("closed_at", "Only a closed complaint has a closing time (status is {value})", value=state)
	if state == policy.rejected_state and not record.get("rejected_at"):
		row.refuse("rejected_at", "A rejected complaint needs the time it was rejected")


def parse_row(
	fields: Sequence[str], values: Sequence[Any], number: int, policy: ImportPolicy, now: datetime
) -> tuple[dict | None, list[RowError]]:
	"""One row as a record of Complaint fields (plus the clock-only times), or why it is refused."""
	row = _Row(number)
	record: dict[str, Any] = {}
	for column, value in zip(fields, values, strict=False):
		if column:
			record[column] = _convert(row, column, value, policy)
	for column in REQUIRED:
		if not record.get(column) and not any(e.column == column for e in row.errors):
			row.refuse(column, "This column is required")
	_check_links(row, record, policy)
	_check_contact(row, record, policy)
	_check_times(row, record, policy, now)
	if row.errors:
		return None, row.errors
	record["subject"] = record.get("subject") or record["complaint_type"]
	record["description"] = record.get("description") or record["subject"]
	record["complaint_category"] = policy.types[record["complaint_type"]].get("category")
	return record, []


def decide_priority(record: Mapping[str, Any], policy: ImportPolicy) -> tuple[str, list[str]]:
	"""The rules' level for these facts, raised to the type's default priority (as at intake)."""
	levels = policy.priority_levels
	decision = priority_rules.evaluate_priority(record, policy.priority_rules, levels)
	level, reasons = decision.priority, list(decision.reasons)
	type_priority = policy.types[record["complaint_type"]].get("default_priority")
	if type_priority and priority_rules.rank(type_priority, levels) < priority_rules.rank(level, levels):
		return type_priority, ["Default priority of type {0}"]
	if type_priority == level:
		reasons.append("Default priority of type {0}")
	return level, reasons
