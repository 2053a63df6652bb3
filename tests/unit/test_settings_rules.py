from __future__ import annotations

import pytest

from complaint_mgmt.engine.errors import PolicyViolation
from complaint_mgmt.engine.settings import check

GOOD = {
	"incident_threshold": 5,
	"incident_window_hours": 24,
	"group_by_waybill_prefix": 0,
	"waybill_prefix_length": 6,
	"waybill_regex": "^[A-Z]{2,4}[0-9]{8,15}$",
	"phone_regex": "^1[3-9][0-9]{9}$",
	"survey_lowest_score": 1,
	"survey_highest_score": 5,
	"survey_low_score_below": 4,
	"max_extensions": 1,
	"evidence_reminder_after_days": 1,
	"evidence_max_reminders": 3,
	"payment_working_days": 3,
	"ack_sms_text": "Complaint {name} received, reply within {hours} h",
}
TEXTS = {"ack_sms_text": ("name", "hours", "priority")}
LABELS = {"ack_sms_text": "SMS Text (English)", "evidence_reminder_after_days": "Remind After (Days)"}


def test_the_defaults_pass():
	check(GOOD, LABELS, TEXTS)


@pytest.mark.parametrize(
	("change", "message"),
	[
		({"incident_threshold": 1}, "The group-incident threshold must be at least 2"),
		({"incident_threshold": None}, "The group-incident threshold must be at least 2"),
		(
			{"group_by_waybill_prefix": 1, "waybill_prefix_length": 0},
			"The waybill prefix length must be at least 1",
		),
		({"evidence_reminder_after_days": 0}, "Remind After (Days) must be at least 1"),
		({"max_extensions": -1}, "max_extensions must be at least 0"),
		({"waybill_regex": "^[A-Z"}, "waybill_regex is not a valid pattern"),
		({"survey_lowest_score": 5}, "The survey scale needs a lowest score below the highest"),
		({"survey_low_score_below": 6}, "survey_low_score_below must be above 1 and at most 5"),
		(
			{"ack_sms_text": "Complaint {nom}"},
			"SMS Text (English): unknown placeholder {nom}; this text can use {name}, {hours}, {priority}",
		),
	],
)
def test_bad_settings_are_refused_with_the_field_named(change, message):
	with pytest.raises(PolicyViolation) as err:
		check({**GOOD, **change}, LABELS, TEXTS)
	assert str(err.value).startswith(message)
