"""Learned triage (issue 14): training on the site's closed complaints, suggestions on the form's
endpoint and at API intake, the agent's accept/override record, and rules only when there is too
little to learn from — said plainly."""

from __future__ import annotations

import random

import frappe
import pytest
from frappe.utils import now_datetime

from complaint_mgmt import demo_phrases
from complaint_mgmt.api import triage as triage_api
from complaint_mgmt.complaint_management.report.triage_accuracy import triage_accuracy
from complaint_mgmt.services import triage_model
from tests.factories.doctypes import ComplaintFactory, UserFactory

KINDS = {"Delay": "General", "Damaged": "Important", "Bad Attitude": "General", "Parcel Lost": "Important"}


def triage_settings(**values):
	doc = frappe.get_single("Complaint Triage Settings")
	doc.update(values)
	doc.save()
	frappe.clear_document_cache("Complaint Triage Settings", "Complaint Triage Settings")


def closed_complaints(count: int) -> None:
	"""Closed complaints in customers' words, written straight to the table (no intake)."""
	rng = random.Random(14)
	for i in range(count):
		kind = list(KINDS)[i % len(KINDS)]
		subject, description = demo_phrases.text(rng, {"complaint_type": kind}, {})
		doc = frappe.get_doc(
			{
				"doctype": "Complaint",
				"subject": subject,
				"description": description,
				"channel": "Hotline 400",
				"complaint_type": kind,
				"priority": KINDS[kind],
				"received_at": now_datetime(),
				"closed_at": now_datetime(),
				"customer_name": "客户",
				"customer_phone": f"139{i:08d}",
			}
		)
		doc.set_new_name()
		doc.db_insert()


@pytest.fixture
def no_model():
	frappe.db.delete("Complaint Triage Model")
	frappe.db.delete("Complaint", {"closed_at": ["is", "set"]})


@pytest.fixture
def trained(no_model):
	closed_complaints(240)
	triage_settings(min_labelled_complaints=50)
	return triage_model.train()


def test_with_too_little_data_the_suggestion_says_rules_only_and_uses_the_type_hints(no_model):
	closed_complaints(12)
	result = triage_model.train()
	assert result["trained"] is False and result["labelled"] == 12
	assert not frappe.db.count("Complaint Triage Model")
	answer = triage_api.suggest("投诉", "外包装破损，杯子摔碎了", "Hotline 400")
	assert answer["mode"] == "rules"
	assert answer["note"] == (
		"Rules only: the site has 12 closed complaints with a type; learning starts at 200"
	)
	assert answer["type"]["value"] == "Damaged" and answer["type"]["source"] == "Rules"
	assert "破损" in answer["type"]["words"] and answer["type"]["confidence"] == 100


def test_training_stores_a_model_that_beats_the_rules_and_the_form_gets_learned_suggestions(trained):
	model = frappe.get_doc("Complaint Triage Model", trained["model"])
	assert model.labelled_complaints == 240 and model.trained_on + model.tested_on == 240
	assert model.type_in_use and model.type_accuracy > model.type_baseline
	assert model.type_accuracy >= 85
	assert "Damaged" in model.confusion
	answer = triage_api.suggest("快递问题", "箱子被压扁了，里面的东西都坏了！！", "Hotline 400")
	assert answer["mode"] == "model"
	assert answer["note"].startswith("Learned from 240 closed complaints")
	assert answer["type"]["value"] == "Damaged" and answer["type"]["source"] == "Model"
	assert 40 <= answer["type"]["confidence"] <= 100
	assert answer["type"]["words"]
	assert answer["anger"]["level"] >= 1 and "!!" in answer["anger"]["words"]


def test_a_model_no_better_than_the_rules_is_not_used(trained):
	frappe.db.set_value("Complaint Triage Model", trained["model"], "type_in_use", 0)
	answer = triage_api.suggest("", "包裹丢了，客服说找不到", "")
	assert answer["mode"] == "rules"
	assert answer["note"] == (
		f"Rules only: the latest model ({trained['model']}) was not more accurate than the rules"
	)
	assert answer["type"]["source"] == "Rules"


def test_api_intake_without_a_type_gets_the_suggested_one_and_an_agents_change_is_an_override(trained):
	from complaint_mgmt.api import complaint as complaint_api

	name = complaint_api.create(
		"TRIAGE-API-1",
		subject="投诉",
		channel="Hotline 400",
		description="说好的次日达，现在都第5天了还没到",
		customer_name="客户",
		customer_phone="13900000001",
	)
	assert frappe.db.get_value("Complaint", name, "complaint_type") == "Delay"
	applied = frappe.get_all("Complaint Triage Feedback", filters={"complaint": name}, fields=["outcome"])
	assert [row.outcome for row in applied] == ["Applied at Intake"]
	doc = frappe.get_doc("Complaint", name)
	doc.complaint_type = "Parcel Lost"
	doc.save()
	outcomes = frappe.get_all(
		"Complaint Triage Feedback",
		filters={"complaint": name},
		fields=["outcome", "suggested_type", "chosen_type"],
		order_by="creation",
	)
	assert (outcomes[-1].outcome, outcomes[-1].suggested_type, outcomes[-1].chosen_type) == (
		"Overridden",
		"Delay",
		"Parcel Lost",
	)


def _this_weeks_rows() -> dict[str, dict]:
	_columns, data = triage_accuracy.execute({})
	assert all(row["week"][:4].isdigit() for row in data)
	week = max((row["week"] for row in data), default="")
	return {row["complaint_type"]: row for row in data if row["week"] == week}


def test_the_agents_choice_is_recorded_and_the_report_gives_accuracy_per_type_and_week(trained):
	before = _this_weeks_rows()  # a site may hold this week's feedback already
	kept = ComplaintFactory(complaint_type="Damaged", description="外包装破损，里面的东西摔坏了")
	changed = ComplaintFactory(complaint_type="Bad Attitude", description="外包装破损，里面的东西摔坏了")
	outcome = {
		row.complaint: row.outcome
		for row in frappe.get_all("Complaint Triage Feedback", fields=["complaint", "outcome"])
	}
	assert outcome[kept.name] == "Accepted" and outcome[changed.name] == "Overridden"
	after = _this_weeks_rows()

	def added(complaint_type: str, column: str) -> int:
		return after[complaint_type][column] - before.get(complaint_type, {}).get(column, 0)

	assert added("Damaged", "accepted") == 1 and added("Damaged", "overridden") == 0
	assert added("Bad Attitude", "overridden") == 1 and added("Bad Attitude", "accepted") == 0
	assert after["Damaged"]["accuracy"] > 0 and after["Bad Attitude"]["accuracy"] < 100
	if not before:
		assert after["Damaged"]["accuracy"] == 100 and after["Bad Attitude"]["accuracy"] == 0
	assert max(row["week"] for row in triage_accuracy.execute({})[1]).startswith(
		str(now_datetime().isocalendar()[0])
	)


def test_a_website_user_may_not_ask_and_suggestions_are_rate_limited(as_user):
	as_user(UserFactory(roles=[], user_type="Website User").name)
	with pytest.raises(frappe.PermissionError):
		triage_api.suggest("x", "y", "")
	as_user("Administrator")
	triage_settings(suggestions_per_minute=2)
	as_user(UserFactory(roles=["Complaint Agent"]).name)
	triage_api.suggest("x", "快递延误", "")
	triage_api.suggest("x", "快递延误", "")
	with pytest.raises(frappe.RateLimitExceededError):
		triage_api.suggest("x", "快递延误", "")


def test_bad_settings_are_refused():
	with pytest.raises(frappe.ValidationError, match="three rising numbers"):
		triage_settings(anger_level_1_points=3, anger_level_2_points=2)


@pytest.mark.parametrize(
	("description", "kind", "source"),
	[
		("<p>外包装破损，杯子摔碎了</p>", "Damaged", "Rules"),
		("<p>你好，请回电</p>", "Other Complaint", "None"),
	],
)
def test_a_customer_on_the_portal_may_leave_the_type_to_us(no_model, description, kind, source):
	from tests.integration.test_portal import submit

	frappe.set_user("Guest")
	doc = submit(complaint_type="", description=description)
	frappe.set_user("Administrator")
	assert frappe.db.get_value("Complaint", doc.name, "complaint_type") == kind
	feedback = frappe.get_all(
		"Complaint Triage Feedback", filters={"complaint": doc.name}, fields=["outcome", "source"]
	)
	assert [(row.outcome, row.source) for row in feedback] == [("Applied at Intake", source)]


def test_the_weekly_job_retrains_only_when_the_settings_say_so(no_model):
	closed_complaints(60)
	triage_settings(min_labelled_complaints=50, weekly_training=0)
	triage_model.train_weekly()
	assert not frappe.db.count("Complaint Triage Model")
	triage_settings(weekly_training=1)
	triage_model.train_weekly()
	assert frappe.db.count("Complaint Triage Model") == 1


def test_only_the_five_newest_models_are_kept(no_model):
	closed_complaints(60)
	triage_settings(min_labelled_complaints=50)
	first = triage_model.train()["model"]
	for _ in range(5):
		latest = triage_model.train()["model"]
	kept = frappe.get_all("Complaint Triage Model", pluck="name")
	assert len(kept) == 5 and first not in kept and latest in kept
