"""Malformed input on every entry point is refused with a clear message in the reader's language,
never a server error, and nothing is stored.

Each case calls the entry point the way its request would (the web form's accept as a guest, the
whitelisted methods with the values a client sent, the REST resource's insert, a settings save),
checks the refusal the user sees in English, then again in Chinese.
"""

from __future__ import annotations

import json
import re

import frappe
import pytest
from frappe.utils import strip_html

from tests.factories.doctypes import (
	CompensationFactory,
	ComplaintChannelFactory,
	ComplaintFactory,
	ComplaintTypeFactory,
)

FUTURE = "2099-12-31"
CJK = re.compile(r"[\u4e00-\u9fff]")
STORED = ("Complaint", "File", "Compensation", "Complaint Survey", "Comment", "Email Queue", "ToDo")

NOT_TEXT = [["x"], {"a": 1}, True]
NOT_WHOLE = ["yes", "4.9", [1], {"a": 1}, "1e3"]
NOT_CHECK = ["yes", "4.9", ["1"], 2, -1, "true"]
NOT_NUMBER = ["abc", [1], {"a": 1}, "1e400", "NaN", True]
NOT_DATE = ["abc", "2026-13-45", [2026], 5, "0001-01-01"]

TEXT = "must be text"
WHOLE = "must be a whole number"
NUMBER = "must be a number|out of range"
DATE = "must be a date|out of range"
TICK = "must be a whole number|ticked"


class Env:
	"""Records an entry point needs, made on first use."""

	def __init__(self):
		self._cache = {}

	def _once(self, key, make):
		if key not in self._cache:
			self._cache[key] = make()
		return self._cache[key]

	@property
	def complaint(self) -> str:
		return self._once("complaint", lambda: ComplaintFactory(complaint_type="Damaged").name)

	@property
	def compensation(self) -> str:
		return self._once("compensation", lambda: CompensationFactory(complaint=self.complaint).name)

	@property
	def survey_key(self) -> str:
		def closed():
			doc = ComplaintFactory(complaint_type="Bad Attitude")
			frappe.db.set_value("Complaint", doc.name, "workflow_state", "Resolved")
			doc = frappe.get_doc("Complaint", doc.name)
			doc.update(
				{
					"workflow_state": "Closed",
					"no_further_demand": 1,
					"resolution_summary": "主管已致电道歉，客户接受。",
				}
			)
			doc.save()
			return frappe.db.get_value("Complaint", doc.name, "survey_key")

		return self._once("survey", closed)

	@property
	def disabled_type(self) -> str:
		return self._once(
			"type", lambda: ComplaintTypeFactory(complaint_type_name="Retired Type", enabled=0).name
		)

	@property
	def disabled_channel(self) -> str:
		return self._once(
			"channel", lambda: ComplaintChannelFactory(channel_name="Retired Channel", enabled=0).name
		)


# ------------------------------------------------------------------ entry points
def portal_form(**values):
	"""The web form at /complaint, submitted by a guest (what the browser posts)."""
	data = {
		"customer_name": "王女士",
		"customer_phone": "13912345678",
		"customer_email": "wang@example.com",
		"waybill_no": "SF1300000001",
		"complaint_type": "Bad Attitude",
		"description": "<p>快递员态度恶劣。</p>",
		"expected_resolution": "Apology",
	}
	data.update(values)
	return raw_portal_form(json.dumps(data))


def raw_portal_form(data, web_form="complaint"):
	from complaint_mgmt.api.portal import accept_web_form

	frappe.set_user("Guest")
	try:
		return accept_web_form(web_form, data)
	finally:
		frappe.flags.in_web_form = False


def track(complaint, contact):
	from complaint_mgmt.api.portal import track as endpoint

	frappe.set_user("Guest")
	return endpoint(complaint, contact)


def survey(env, key=None, efficiency=5, solution=5, comment="好"):
	from complaint_mgmt.api.portal import answer_survey

	key = env.survey_key if key is None else key
	frappe.set_user("Guest")
	return answer_survey(key, efficiency, solution, comment)


REST_BASE = {
	"channel": "Hotline 400",
	"complaint_type": "Damaged",
	"description": "外箱破损",
	"customer_name": "李先生",
	"customer_phone": "13912345678",
	"waybill_no": "SF1300000002",
}


def intake(reference="ext-1", **values):
	"""api.complaint.create from another channel's system."""
	from complaint_mgmt.api.complaint import create

	return create(reference, **{**REST_BASE, **values})


def resource(**values):
	"""POST /api/resource/Complaint (frappe.api.v1.create_doc)."""
	return frappe.new_doc("Complaint", **{**REST_BASE, **values}).insert()


def extension(env, hours=24, reason="等待驿站调取监控", milestone="Investigation Report", name=None):
	from complaint_mgmt.api.complaint import grant_extension

	return grant_extension(env.complaint if name is None else name, hours, reason, milestone)


def compensation_call(method: str, env, **kwargs):
	from complaint_mgmt.api import compensation as endpoints

	if "name" not in kwargs and method != "send_handling_notice":
		kwargs["name"] = env.compensation
	if method == "send_handling_notice" and "complaint" not in kwargs:
		kwargs["complaint"] = env.complaint
	return getattr(endpoints, method)(**kwargs)


def save_settings(**values):
	doc = frappe.get_single("Complaint Settings")
	doc.update(values)
	doc.save()


# ------------------------------------------------------------------ the cases
def case(entry: str, fragment: str, call, label: str):
	return pytest.param(call, fragment, id=f"{entry}:{label}")


def cases():
	out = []
	# the portal form, each field with values of the wrong kind
	for field in (
		"customer_name",
		"customer_phone",
		"customer_email",
		"waybill_no",
		"complaint_type",
		"description",
		"expected_resolution",
		"expected_resolution_detail",
		"portal_attachment",
	):
		for value in NOT_TEXT:
			out.append(
				case("form", TEXT, lambda env, f=field, v=value: portal_form(**{f: v}), f"{field}={value!r}")
			)
	for value in NOT_CHECK:
		out.append(
			case(
				"form",
				TICK,
				lambda env, v=value: portal_form(evidence_consent=v),
				f"evidence_consent={value!r}",
			)
		)
	for field, value, fragment in (
		("customer_email", "<b>wang@example.com</b>", "Email address"),
		("customer_email", "wang@example.com, li@example.com", "Email address"),
		("customer_email", "wang@example.com<script>", "Email address"),
		("customer_email", "not-an-email", "Email address"),
		("customer_phone", "12345", "Phone number"),
		("customer_phone", "abc", "Phone number"),
		("customer_phone", "1391234567890123", "Phone number"),
		("waybill_no", "not a waybill", "Waybill number"),
		("waybill_no", "SF%_13000000", "Waybill number"),
		("waybill_no", "SF" + "1" * 200, "too long"),
		("customer_name", "王" * 300, "too long"),
		("complaint_type", "Nope", "Unknown complaint type"),
		("complaint_type", "5", "Unknown complaint type"),
		("complaint_type", "Service Quality", "is a category"),
		("description", "", "Value missing"),
		("description", "x" * 2_000_000, "too long"),
		("description", "<p>" + "很" * 10_001 + "</p>", "too long"),
		("expected_resolution", "Bribe", "Expected Resolution"),
		("expected_resolution", "5", "Expected Resolution"),
		("expected_resolution_detail", "x" * 10_001, "too long"),
		("portal_attachment", "data:image/png;base64,iVBORw0KGgo=", "upload button"),
		("portal_attachment", "/files/parcel.png", "consent"),
	):
		out.append(
			case(
				"form",
				fragment,
				lambda env, f=field, v=value: portal_form(**{f: v}),
				f"{field}={value[:30]!r}",
			)
		)
	out.append(
		case(
			"form",
			"phone number or email",
			lambda env: portal_form(customer_phone="", customer_email=""),
			"no phone and no email",
		)
	)
	out.append(
		case(
			"form",
			"not received",
			lambda env: portal_form(portal_attachment="/private/files/theirs.pdf", evidence_consent=1),
			"someone else's file",
		)
	)
	out.append(
		case(
			"form",
			"not in use",
			lambda env: portal_form(complaint_type=env.disabled_type),
			"disabled complaint type",
		)
	)
	for data in ("not json", "[1, 2]", "null", "5", '"text"'):
		out.append(case("form", "could not be read", lambda env, d=data: raw_portal_form(d), f"data={data}"))
	for name in ("no-such-form", ["complaint"]):
		out.append(
			case("form", "does not exist", lambda env, n=name: raw_portal_form("{}", n), f"web_form={name!r}")
		)

	# the status page
	for value in NOT_TEXT:
		out.append(case("track", TEXT, lambda env, v=value: track(v, "13912345678"), f"complaint={value!r}"))
		out.append(
			case("track", TEXT, lambda env, v=value: track("CMP-2026-000001", v), f"contact={value!r}")
		)
	for number, contact in (
		("", "13912345678"),
		(None, "13912345678"),
		("CMP-1999-000001", "13912345678"),
		("X" * 5000, "13912345678"),
		("CMP-1999-000001", ""),
		("CMP-1999-000001", "1"),
		("%", "13912345678"),
		("CMP-2026-%", "%@%"),
	):
		out.append(
			case(
				"track",
				"No complaint matches",
				lambda env, n=number, c=contact: track(n, c),
				f"{str(number)[:20]!r},{contact!r}",
			)
		)

	# the survey page
	for field in ("efficiency", "solution"):
		for value in [*NOT_WHOLE, "", None]:
			out.append(
				case(
					"survey", WHOLE, lambda env, f=field, v=value: survey(env, **{f: v}), f"{field}={value!r}"
				)
			)
		for value in (0, 6, -1, 99):
			out.append(
				case(
					"survey",
					"must be scored",
					lambda env, f=field, v=value: survey(env, **{f: v}),
					f"{field}={value}",
				)
			)
	for value in NOT_TEXT:
		out.append(case("survey", TEXT, lambda env, v=value: survey(env, comment=v), f"comment={value!r}"))
		out.append(case("survey", TEXT, lambda env, v=value: survey(env, key=v), f"key={value!r}"))
	for key in ("", "short", "k" * 64, "%" * 24):
		out.append(
			case("survey", "not valid any more", lambda env, k=key: survey(env, key=k), f"key={key[:10]!r}")
		)

	# REST intake (api.complaint.create)
	for value in [*NOT_TEXT, ""]:
		out.append(
			case("intake", TEXT + "|intake reference", lambda env, v=value: intake(v), f"reference={value!r}")
		)
	for field in ("group_size",):
		for value in NOT_WHOLE:
			out.append(
				case("intake", WHOLE, lambda env, f=field, v=value: intake(**{f: v}), f"{field}={value!r}")
			)
	for field in ("goods_value", "declared_value", "insured_value", "freight"):
		for value in NOT_NUMBER:
			out.append(
				case("intake", NUMBER, lambda env, f=field, v=value: intake(**{f: v}), f"{field}={value!r}")
			)
		out.append(
			case("intake", "cannot be negative", lambda env, f=field: intake(**{f: -1}), f"{field}=-1")
		)
	for field in ("is_insured", "media_involved", "regulator_involved", "force_majeure", "evidence_consent"):
		for value in ("yes", "4.9", 2):
			out.append(
				case("intake", TICK, lambda env, f=field, v=value: intake(**{f: v}), f"{field}={value!r}")
			)
	for field in ("received_at", "order_time", "ship_date"):
		for value in NOT_DATE:
			out.append(
				case("intake", DATE, lambda env, f=field, v=value: intake(**{f: v}), f"{field}={value!r}")
			)
	for field, value, fragment in (
		("channel", "Nope", "Unknown channel|Could not find Channel"),
		("channel", ["Hotline 400"], TEXT),
		("complaint_type", "Nope", "Unknown complaint type"),
		("complaint_type", "Damage & Shortage", "is a category"),
		("customer_tier", "Gold", "Customer Tier"),
		("service_type", "Rocket", "Service Type"),
		("goods_category", "Plutonium", "Goods Category"),
		("customer_language", "fr", "Language cannot be"),
		("customer_email", "<img src=x>@example.com", "Email address"),
		("description", "x" * 2_000_000, "too long"),
		("sender_address", ["上海"], TEXT),
		("batch_no", {"a": 1}, TEXT),
	):
		out.append(
			case(
				"intake",
				fragment,
				lambda env, f=field, v=value: intake(**{f: v}),
				f"{field}={str(value)[:20]!r}",
			)
		)
	out.append(
		case("intake", "not in use", lambda env: intake(channel=env.disabled_channel), "disabled channel")
	)

	# REST resource (POST /api/resource/Complaint)
	for field, value, fragment in (
		("group_size", "4.9", WHOLE),
		("goods_value", "abc", NUMBER),
		("received_at", "abc", DATE),
		("customer_name", ["x"], TEXT),
		("is_insured", "yes", TICK),
		("complaint_type", "Nope", "Unknown complaint type"),
		("channel", "Nope", "Unknown channel|Could not find Channel"),
		("evidence", "abc", "list of rows"),
		("evidence_consent", {"a": 1}, TICK),
		("description", "x" * 2_000_000, "too long"),
	):
		out.append(
			case(
				"resource",
				fragment,
				lambda env, f=field, v=value: resource(**{f: v}),
				f"{field}={str(value)[:20]!r}",
			)
		)

	# deadline extension
	for value in [*NOT_NUMBER, "", None]:
		out.append(
			case("extension", NUMBER, lambda env, v=value: extension(env, hours=v), f"hours={value!r}")
		)
	for value, fragment in (
		(0, "longer than zero"),
		(-5, "longer than zero"),
		(100_000, "at most"),
		("73", "at most"),
	):
		out.append(
			case("extension", fragment, lambda env, v=value: extension(env, hours=v), f"hours={value!r}")
		)
	for value in NOT_TEXT:
		out.append(
			case("extension", TEXT, lambda env, v=value: extension(env, reason=v), f"reason={value!r}")
		)
		out.append(
			case("extension", TEXT, lambda env, v=value: extension(env, milestone=v), f"milestone={value!r}")
		)
		out.append(case("extension", TEXT, lambda env, v=value: extension(env, name=v), f"name={value!r}"))
	out.append(
		case("extension", "reason is required", lambda env: extension(env, reason="  "), "blank reason")
	)
	out.append(
		case(
			"extension", "no Nope deadline", lambda env: extension(env, milestone="Nope"), "unknown milestone"
		)
	)
	out.append(
		case(
			"extension", "not found", lambda env: extension(env, name="CMP-1999-000001"), "unknown complaint"
		)
	)

	# compensation endpoints
	for method in ("suggest", "record_objection", "record_acceptance", "record_payment_failure"):
		extra = {"reason": "客户不接受"} if method in ("record_objection", "record_payment_failure") else {}
		if method == "record_payment_failure":
			extra["new_date"] = FUTURE
		for value in [*NOT_TEXT, "", "COMP-1999-00001"]:
			fragment = TEXT if not isinstance(value, str) else "not found"
			out.append(
				case(
					"compensation",
					fragment,
					lambda env, m=method, v=value, x=extra: compensation_call(m, env, name=v, **x),
					f"{method}(name={value!r})",
				)
			)
	for value in NOT_TEXT:
		out.append(
			case(
				"compensation",
				TEXT,
				lambda env, v=value: compensation_call("record_objection", env, reason=v),
				f"record_objection(reason={value!r})",
			)
		)
	out.append(
		case(
			"compensation",
			"what the customer objects to",
			lambda env: compensation_call("record_objection", env, reason=" "),
			"record_objection(blank)",
		)
	)
	for value in [*NOT_DATE, ""]:
		out.append(
			case(
				"compensation",
				DATE,
				lambda env, v=value: compensation_call(
					"record_payment_failure", env, reason="银行退票", new_date=v
				),
				f"record_payment_failure(new_date={value!r})",
			)
		)
	for value in ("yes", "4.9", [1]):
		out.append(
			case(
				"compensation",
				WHOLE,
				lambda env, v=value: compensation_call(
					"record_payment_failure",
					env,
					reason="银行退票",
					new_date=FUTURE,
					use_fallback=v,
				),
				f"record_payment_failure(use_fallback={value!r})",
			)
		)
	for value in ("Standard", "Web Form Print", "complaint handling notice x", ["Complaint Handling Notice"]):
		fragment = TEXT if not isinstance(value, str) else "Only these documents"
		out.append(
			case(
				"compensation",
				fragment,
				lambda env, v=value: compensation_call("send_handling_notice", env, print_format=v),
				f"send_handling_notice(print_format={value!r})",
			)
		)
	for value in [*NOT_TEXT, "CMP-1999-000001"]:
		fragment = TEXT if not isinstance(value, str) else "not found"
		out.append(
			case(
				"compensation",
				fragment,
				lambda env, v=value: compensation_call("send_handling_notice", env, complaint=v),
				f"send_handling_notice(complaint={value!r})",
			)
		)

	# Complaint Settings
	for values, fragment in (
		({"waybill_regex": "(SF"}, "not a valid pattern"),
		({"phone_regex": "[0-9"}, "not a valid pattern"),
		({"ack_sms_text": "Complaint {number} received"}, "placeholder"),
		({"ack_sms_text_zh": "投诉 {0}"}, "placeholder"),
		({"extension_text": "New time: {due"}, "brace"),
		({"survey_invite_text": "{name} {link} {score}"}, "placeholder"),
		({"compensation_delayed_text": "{name} {when}"}, "placeholder"),
		({"survey_lowest_score": 5, "survey_highest_score": 1}, "lowest score below the highest"),
		({"portal_lookups_per_minute": 0}, "at least 1"),
		({"incident_threshold": "abc"}, WHOLE),
		({"evidence_retention_years": "4.9"}, WHOLE),
		({"duplicate_waybill_check": "yes"}, TICK),
		({"general_handling_hours": "soon"}, NUMBER),
		({"max_extension_hours": [72]}, NUMBER),
		({"max_text_chars": "many"}, WHOLE),
		({"trusted_proxies": ["10.0.0.1"]}, TEXT),
		({"default_channel": ["Email"]}, TEXT),
		({"incident_threshold": -1}, "negative|at least|threshold"),
	):
		out.append(
			case(
				"settings",
				fragment,
				lambda env, v=values: save_settings(**v),
				",".join(f"{k}={v!r}" for k, v in values.items()),
			)
		)
	return out


CASES = cases()


def test_there_are_at_least_two_hundred_cases_over_every_entry_point():
	entries = {param.id.split(":", 1)[0] for param in CASES}
	assert len(CASES) >= 200
	assert entries == {
		"form",
		"track",
		"survey",
		"intake",
		"resource",
		"extension",
		"compensation",
		"settings",
	}


def stored() -> dict:
	return {doctype: frappe.db.count(doctype) for doctype in STORED}


def refusal(call, env) -> str:
	"""What the user is shown when ``call`` is refused (the refusal must be a validation error)."""
	frappe.local.message_log = []
	try:
		with pytest.raises(frappe.ValidationError) as info:
			call(env)
	finally:
		frappe.set_user("Administrator")
	shown = [
		m.get("message") if isinstance(m, dict) else json.loads(m).get("message")
		for m in frappe.local.message_log
	]
	return strip_html(" ".join(str(m) for m in shown if m) or str(info.value))


@pytest.mark.parametrize(("call", "fragment"), CASES)
def test_bad_input_is_refused_clearly_in_the_readers_language_and_nothing_is_stored(call, fragment):
	env = Env()
	message = refusal(call, env)  # also makes the records this entry point acts on
	assert re.search(fragment, message, re.IGNORECASE), message
	before = stored()
	frappe.local.lang = "zh"
	message_zh = refusal(call, env)
	assert CJK.search(message_zh), message_zh
	assert stored() == before
