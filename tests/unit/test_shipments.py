"""Rows of the shipping system: good ones kept, malformed ones refused with every reason."""

import datetime

from complaint_mgmt.engine.shipments import check_rows, earlier_first_shipments

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


def test_shipping_times_in_every_accepted_form_read_the_same():
	forms = ["2026-11-20 10:00:00", "2026-11-20T10:00:00", "2026/11/20 10:00:00", "2026-11-20 10:00"]
	rows = [dict(GOOD, waybill_no=f"SF12345678{n}", shipped_at=form) for n, form in enumerate(forms)]
	checked = check_rows(rows, NOW)
	assert {s.shipped_at for s in checked.good} == {datetime.datetime(2026, 11, 20, 10, 0)}
	bad = check_rows([dict(GOOD, shipped_at="2026-13-40 10:00:00")], NOW)
	assert not bad.good and "shipped_at is not a date" in bad.refused[0].reasons[0]


def _day(day):
	return None if day is None else datetime.datetime(2026, 11, day, 12, 0)


def _closure(name, customer, closed_day, first_day=None):
	return {
		"name": name,
		"customer": customer,
		"closed_at": _day(closed_day),
		"first_shipment_after": _day(first_day),
	}


def test_a_batch_moves_only_the_closures_whose_first_shipment_after_it_comes_earlier():
	closures = [
		_closure("new", "C1", 1),  # no shipment since: the batch's first after the closure
		_closure("earlier", "C1", 1, first_day=20),  # the batch ships before the known first one
		_closure("later", "C2", 1, first_day=3),  # the known first one stays
		_closure("after-all", "C2", 25),  # every shipment of the batch is before the closure
		_closure("elsewhere", "C3", 1),  # the batch has nothing of this customer
	]
	shipped = {
		"C1": [datetime.datetime(2026, 11, 10, 9, 0), datetime.datetime(2026, 11, 5, 9, 0)],
		"C2": [datetime.datetime(2026, 11, 8, 9, 0)],
	}
	assert earlier_first_shipments(closures, shipped) == {
		"new": datetime.datetime(2026, 11, 5, 9, 0),
		"earlier": datetime.datetime(2026, 11, 5, 9, 0),
	}
	shipped_same_moment = {"C1": [datetime.datetime(2026, 11, 1, 12, 0)]}  # only after counts
	assert earlier_first_shipments([_closure("new", "C1", 1)], shipped_same_moment) == {}
