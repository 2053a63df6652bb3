from __future__ import annotations

from decimal import Decimal

from complaint_mgmt.engine.closure import (
	Compensation,
	Evidence,
	Line,
	closure_check,
	evidence_gaps,
	solution_gaps,
)


def comp(state="Paid", total="100", *lines):
	return Compensation(name="COMP-1", state=state, total=Decimal(total), lines=tuple(lines))


def messages(gaps):
	return [template.format(**params) for template, params in gaps]


def test_a_paid_compensation_with_its_reshipment_signed_is_executed():
	assert solution_gaps([comp("Paid", "30", Line("reship", "Reship", done=True))]) == []


def test_unpaid_money_and_an_unsigned_reshipment_are_gaps():
	gaps = solution_gaps([comp("Approved", "30", Line("reship", "Reship"), Line("freight_waiver", "Waiver"))])
	assert messages(gaps) == [
		"compensation COMP-1 is not paid (Approved)",
		"Reship of COMP-1 is not recorded as done",
	]


def test_a_voucher_only_compensation_needs_approval_and_the_voucher_issued():
	assert messages(
		solution_gaps([comp("Pending Approval", "0", Line("apology_call", "Apology Call", True))])
	) == ["compensation COMP-1 is not approved (Pending Approval)"]
	assert solution_gaps([comp("Approved", "0", Line("vip_card", "VIP Card", done=True))]) == []


def test_rejected_compensations_do_not_count_and_without_any_the_summary_is_the_solution():
	rejected = comp("Rejected", "500")
	assert messages(solution_gaps([rejected])) == [
		"no solution is recorded: a compensation or the resolution summary"
	]
	assert solution_gaps([rejected], "已电话致歉，客户接受") == []


def test_internal_penalties_need_no_record_of_delivery():
	assert solution_gaps([comp("Paid", "10", Line("internal_penalty", "Internal Penalty"))]) == []


def test_evidence_is_archived_when_nothing_is_awaited_and_collected_items_have_files():
	assert evidence_gaps([Evidence("GPS", "Collected", True), Evidence("CCTV", "Not Available", False)]) == []
	assert messages(
		evidence_gaps([Evidence("Photos", "Requested", False), Evidence("Scan log", "Collected", False)])
	) == ["evidence Photos is still Requested", "evidence Scan log has no file archived"]


UNPAID = [("compensation {name} is not paid ({state})", {"name": "COMP-1", "state": "Approved"})]
AWAITED = [("evidence {item} is still {status}", {"item": "Photo", "status": "Pending"})]


def test_a_complaint_closes_once_the_customer_is_done_and_the_solution_executed():
	check = closure_check(
		customer_accepted=True,
		no_further_demand=False,
		override_reason="",
		solution=[],
		evidence=AWAITED,
		require_evidence=False,
	)
	assert check.allowed and check.gaps == ()


def test_without_the_customers_word_or_with_an_unpaid_compensation_it_stays_open():
	waiting = closure_check(
		customer_accepted=False,
		no_further_demand=False,
		override_reason=None,
		solution=[],
		evidence=[],
		require_evidence=True,
	)
	assert not waiting.allowed and not waiting.customer_done
	unpaid = closure_check(
		customer_accepted=False,
		no_further_demand=True,
		override_reason=None,
		solution=UNPAID,
		evidence=AWAITED,
		require_evidence=True,
	)
	assert unpaid.customer_done and unpaid.gaps == (*UNPAID, *AWAITED) and not unpaid.allowed


def test_a_supervisors_override_lifts_the_derived_criteria_but_not_the_customers_word():
	overridden = closure_check(
		customer_accepted=False,
		no_further_demand=True,
		override_reason="  paid in cash at the branch  ",
		solution=UNPAID,
		evidence=AWAITED,
		require_evidence=True,
	)
	assert overridden.allowed
	blank = closure_check(
		customer_accepted=True,
		no_further_demand=False,
		override_reason="   ",
		solution=UNPAID,
		evidence=[],
		require_evidence=False,
	)
	assert blank.gaps == tuple(UNPAID)
