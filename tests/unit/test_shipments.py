"""Rows of the shipping system: good ones kept, malformed ones refused with every reason."""

import datetime

from complaint_mgmt.engine.shipments import check_rows

NOW = datetime.datetime(2026, 11, 23, 12, 0)
GOOD = {
	"waybill_no": "SF1234567890",
	"customer": "13912345678",
	"shipped_at": "2026-11-20 10:00:00",
	"freight": "18.5",
}


def test_a_good_row_is_kept_with_the_customer_key():
	checked = check_rows([GOOD], NOW)
	assert not checked.refused
	(shipment,) = checked.good
	assert shipment.customer_key == "13912345678" and str(shipment.freight) == "18.5"
	assert shipment.shipped_at == datetime.datetime(2026, 11, 20, 10, 0)


def test_every_reason_of_a_malformed_row_is_given():
	bad = {"waybill_no": "x", "customer": "", "shipped_at": "yesterday", "freight": "ten"}
	checked = check_rows([GOOD, bad], NOW)
	assert len(checked.good) == 1
	(refusal,) = checked.refused
	assert refusal.row == 2 and len(refusal.reasons) == 4


def test_future_time_negative_freight_a_repeated_waybill_and_a_non_object_are_refused():
	rows = [
		GOOD,
		{**GOOD, "waybill_no": "SF2222222222", "shipped_at": "2027-01-01"},
		{**GOOD, "waybill_no": "SF3333333333", "freight": -1},
		GOOD,
		"SF4444444444",
	]
	checked = check_rows(rows, NOW)
	assert [r.row for r in checked.refused] == [2, 3, 4, 5]
	assert checked.refused[2].reasons == ("waybill number twice in this batch",)
