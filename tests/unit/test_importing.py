"""Rows of a historical complaint file: checked, converted and mapped without Frappe."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from complaint_mgmt.engine.errors import PolicyViolation
from complaint_mgmt.engine.importing import ImportPolicy, decide_priority, map_header, parse_row
from complaint_mgmt.engine.priority import DEFAULT_PRIORITY_LEVELS, DEFAULT_PRIORITY_RULES, PriorityRule

NOW = datetime(2026, 3, 31, 12, 0)
POLICY = ImportPolicy(
	channels=frozenset({"Hotline 400", "Email"}),
	types={
		"Delay": {"category": "Service Quality", "default_priority": None},
		"Damaged": {"category": "Damage & Shortage", "default_priority": None},
		"Order Failed": {"category": "System Fault", "default_priority": "Important"},
	},
	states=("New", "Acknowledged", "Investigating", "Closed", "Rejected"),
	choices={"customer_tier": ("Standard", "VIP"), "goods_category": ("General", "Fresh", "Medical")},
	priority_rules=[PriorityRule.from_dict(r) for r in DEFAULT_PRIORITY_RULES],
	priority_levels=DEFAULT_PRIORITY_LEVELS,
	closed_state="Closed",
	rejected_state="Rejected",
	waybill_regex=r"^[A-Z]{2,4}[0-9]{8,15}$",
	phone_regex=r"^1[3-9][0-9]{9}$",
)
GOOD = {
	"Intake Reference": "OLD-1",
	"received_at": "2026/03/01 09:30",
	"channel": "Hotline 400",
	"complaint_type": "Delay",
	"customer_name": "王芳",
	"customer_phone": "13812345678",
	"waybill_no": "sf123456789012",
	"goods_value": "1,200.50",
	"is_insured": "是",
	"closed_at": "2026-03-03 10:00",
}


def parse(**changes):
	row = {**GOOD, **changes}
	fields = map_header(row.keys())
	return parse_row(fields, list(row.values()), 7, POLICY, NOW)


def reasons(errors):
	return {(e.row, e.column, e.reason) for e in errors}


def test_a_good_row_becomes_a_record_of_complaint_fields():
	record, errors = parse()
	assert errors == []
	assert record["intake_reference"] == "OLD-1"
	assert record["received_at"] == datetime(2026, 3, 1, 9, 30)
	assert record["waybill_no"] == "SF123456789012"
	assert record["goods_value"] == 1200.5
	assert record["is_insured"] == 1
	assert record["workflow_state"] == "Closed"  # a closing time without a status means closed
	assert record["subject"] == "Delay" and record["description"] == "Delay"
	assert record["complaint_category"] == "Service Quality"


def test_spreadsheet_values_are_read_as_they_come():
	record, errors = parse(received_at=datetime(2026, 3, 1, 9, 30, 15, 999), customer_phone=13812345678.0)
	assert errors == []
	assert record["received_at"] == datetime(2026, 3, 1, 9, 30, 15)
	assert record["customer_phone"] == "13812345678"
	record, _ = parse(ship_date="2026-02-27")
	assert record["ship_date"] == date(2026, 2, 27)


@pytest.mark.parametrize(
	("change", "column", "reason"),
	[
		({"received_at": "yesterday"}, "received_at", "{value} is not a date and time like 2026-03-01 14:30"),
		({"received_at": ""}, "received_at", "This column is required"),
		({"channel": "Pigeon"}, "channel", "Unknown channel {value}"),
		({"complaint_type": "Lost Cat"}, "complaint_type", "Unknown complaint type {value}"),
		({"customer_phone": "12345"}, "customer_phone", "Phone number {value} is not valid"),
		({"customer_phone": ""}, "customer_phone", "Give the customer's phone number or email address"),
		({"waybill_no": "nope"}, "waybill_no", "Waybill number {value} is not valid"),
		({"goods_value": "-3"}, "goods_value", "{value} cannot be negative"),
		({"goods_value": "a lot"}, "goods_value", "{value} is not a number"),
		({"is_insured": "maybe"}, "is_insured", "{value} is not yes or no"),
		({"customer_tier": "Gold"}, "customer_tier", "{value} is not one of: {options}"),
		({"status": "Lost"}, "workflow_state", "Unknown status {value}"),
		({"closed_at": "2026-02-01 00:00"}, "closed_at", "{value} is before the complaint was received"),
		({"closed_at": "2026-04-05 00:00"}, "closed_at", "{value} lies in the future"),
		(
			{"status": "Closed", "closed_at": ""},
			"closed_at",
			"A closed complaint needs the time it was closed",
		),
		(
			{"status": "Rejected", "closed_at": ""},
			"rejected_at",
			"A rejected complaint needs the time it was rejected",
		),
		(
			{"status": "Investigating"},
			"closed_at",
			"Only a closed complaint has a closing time (status is {value})",
		),
	],
)
def test_a_bad_row_is_refused_with_its_row_number_column_and_reason(change, column, reason):
	record, errors = parse(**change)
	assert record is None
	assert (7, column, reason) in reasons(errors)


def test_every_fault_of_a_row_is_reported_at_once():
	_, errors = parse(channel="Pigeon", goods_value="-1", customer_name="")
	assert {e.column for e in errors} == {"channel", "goods_value", "customer_name"}


def test_the_header_refuses_unknown_missing_and_repeated_columns():
	with pytest.raises(PolicyViolation, match="Unknown columns: colour"):
		map_header([*GOOD, "colour"])
	with pytest.raises(PolicyViolation, match="Required columns are missing: channel"):
		map_header([c for c in GOOD if c != "channel"])
	with pytest.raises(PolicyViolation, match="Columns given twice: workflow_state"):
		map_header([*GOOD, "status", "Workflow State"])


@pytest.mark.parametrize(
	("facts", "expected"),
	[
		({}, "General"),
		({"goods_category": "Fresh"}, "Urgent"),
		({"complaint_type": "Damaged"}, "Important"),
		({"complaint_type": "Order Failed"}, "Important"),
		({"complaint_type": "Order Failed", "group_size": "8"}, "Urgent"),
	],
)
def test_priority_is_decided_as_at_intake(facts, expected):
	record, errors = parse(**facts)
	assert errors == []
	level, why = decide_priority(record, POLICY)
	assert level == expected
	assert why or level == "General"


def test_now_bounds_every_recorded_time():
	_, errors = parse(acknowledged_at=(NOW + timedelta(minutes=1)).isoformat(), closed_at="")
	assert {e.column for e in errors} == {"acknowledged_at"}
