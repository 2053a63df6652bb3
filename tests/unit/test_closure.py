from __future__ import annotations

from decimal import Decimal

from complaint_mgmt.engine.closure import Compensation, Evidence, Line, evidence_gaps, solution_gaps


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
