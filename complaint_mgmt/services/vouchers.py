"""Vouchers and value-added services (issue 12): a ledger of what a customer was given, each
with an unguessable code, redeemed atomically and exactly once per waybill.

A redemption is one conditional UPDATE (``… where status = 'Issued' and used < quantity``): of
two requests at the same moment, the database lets exactly one through; the other finds the
voucher used. The same request sent twice (same code, same waybill) gets the first redemption
back. Issuing by hand above the settings' limit waits for an approver whose level in the
compensation approval matrix covers the value; an approved compensation's Voucher line issues
its voucher once.
"""

from __future__ import annotations

import secrets

import frappe
from frappe import _
from frappe.utils import add_days, getdate, now_datetime, nowdate

from complaint_mgmt.engine import approval as approval_rules
from complaint_mgmt.services import closure, compensation, recovery_settings
from complaint_mgmt.services.errors import throw_policy

VOUCHER, REDEMPTION = "Complaint Voucher", "Voucher Redemption"
PENDING, ISSUED, REDEEMED, EXPIRED, CANCELLED = (
	"Pending Approval",
	"Issued",
	"Redeemed",
	"Expired",
	"Cancelled",
)
# 16 characters of a 31-letter alphabet without 0/O, 1/I/L: ~79 bits, read out on the phone
ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 16


def new_code() -> str:
	return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))


def validate(doc) -> None:
	if doc.is_new():
		settings = recovery_settings.get()
		doc.code = new_code()
		doc.used = 0
		doc.valid_from = doc.valid_from or nowdate()
		doc.valid_to = doc.valid_to or add_days(doc.valid_from, settings.voucher_validity_days or 0)
		doc.status = ISSUED if doc.flags.approved_elsewhere else initial_status(doc, settings)
	if (doc.value or 0) < 0 or (doc.quantity or 0) < 1:
		frappe.throw(_("A voucher's value cannot be negative and its quantity is at least 1"))
	if getdate(doc.valid_to) < getdate(doc.valid_from):
		frappe.throw(_("A voucher cannot end before it starts"))
	if doc.kind == "Service" and not doc.service:
		frappe.throw(_("Choose the service the customer gets"))
	before = doc.get_doc_before_save()
	if before and (before.value, before.quantity, before.customer) != (doc.value, doc.quantity, doc.customer):
		frappe.throw(
			_("An issued voucher keeps its customer, value and quantity; cancel it and issue a new one")
		)


def initial_status(doc, settings) -> str:
	if (doc.value or 0) <= (settings.voucher_approval_limit or 0):
		return ISSUED
	level = intake_call(approval_rules.required_level, doc.value, matrix=compensation.approval_matrix())
	doc.required_level = level.name
	return PENDING


def intake_call(fn, *args, **kwargs):
	from complaint_mgmt.engine.errors import PolicyViolation

	try:
		return fn(*args, **kwargs)
	except PolicyViolation as error:
		throw_policy(error)


def issue(
	customer: str, value, *, complaint=None, source=None, row: str | None = None, approved=False, **extra
) -> str:
	"""A voucher (or, with kind="Service", an entitlement) issued by a record; the same source row
	issues once."""
	if row and frappe.db.exists(VOUCHER, {"source_row": row}):
		return frappe.db.get_value(VOUCHER, {"source_row": row})
	doc = frappe.get_doc(
		{
			"doctype": VOUCHER,
			"customer": customer,
			"complaint": complaint,
			"value": value,
			"source_doctype": source.doctype if source else None,
			"source_name": source.name if source else None,
			"source_row": row,
			**extra,
		}
	)
	doc.flags.server_change = True
	doc.flags.approved_elsewhere = approved  # by the compensation approval matrix already
	doc.insert(ignore_permissions=True)
	return doc.name


def approve(name: str) -> None:
	doc = frappe.get_doc(VOUCHER, name)
	doc.check_permission("write")
	if doc.status != PENDING:
		frappe.throw(_("Voucher {0} is not waiting for approval").format(name))
	intake_call(
		approval_rules.check_can_approve, frappe.get_roles(), doc.value, [], compensation.approval_matrix()
	)
	doc.db_set({"status": ISSUED, "approved_by": frappe.session.user, "approved_at": now_datetime()})
	doc.add_comment("Info", _("Approved"))


def cancel(name: str) -> None:
	doc = frappe.get_doc(VOUCHER, name)
	doc.check_permission("write")
	if doc.status not in (PENDING, ISSUED):
		frappe.throw(_("Voucher {0} is {1} and cannot be cancelled").format(name, _(doc.status)))
	doc.db_set("status", CANCELLED)
	doc.add_comment("Info", _("Cancelled"))


# ------------------------------------------------------------------ redemption
def redeem(code: str, waybill_no: str) -> dict:
	code, waybill_no = (code or "").strip().upper(), (waybill_no or "").strip()
	if not code or not waybill_no:
		frappe.throw(_("Give the voucher code and the waybill it is used on"), title=_("Invalid input"))
	voucher = frappe.db.get_value(
		VOUCHER,
		{"code": code},
		["name", "status", "valid_from", "valid_to", "customer", "value"],
		as_dict=True,
	)
	if not voucher:
		frappe.throw(_("No voucher has this code"), frappe.DoesNotExistError, title=_("Not found"))
	earlier = frappe.db.get_value(REDEMPTION, {"voucher": voucher.name, "waybill_no": waybill_no})
	if earlier:
		return answer(voucher, earlier, repeated=True)
	if voucher.status != ISSUED:
		frappe.throw(_("Voucher {0} is {1}").format(voucher.name, _(voucher.status)), title=_("Not redeemed"))
	today = getdate(nowdate())
	if not (getdate(voucher.valid_from) <= today <= getdate(voucher.valid_to)):
		frappe.throw(_("Voucher {0} is not valid today").format(voucher.name), title=_("Not redeemed"))
	frappe.db.sql(
		f"""update `tab{VOUCHER}`
		set status = if(used + 1 >= quantity, %(redeemed)s, status), used = used + 1, modified = %(now)s
		where name = %(name)s and status = %(issued)s and used < quantity""",
		{"redeemed": REDEEMED, "issued": ISSUED, "name": voucher.name, "now": now_datetime()},
	)
	if frappe.db._cursor.rowcount != 1:
		frappe.throw(_("Voucher {0} has been used already").format(voucher.name), title=_("Not redeemed"))
	redemption = frappe.get_doc(
		{
			"doctype": REDEMPTION,
			"voucher": voucher.name,
			"customer": voucher.customer,
			"waybill_no": waybill_no,
			"redeemed_at": now_datetime(),
			"value": voucher.value,
		}
	).insert(ignore_permissions=True)
	return answer(voucher, redemption.name, repeated=False)


def answer(voucher, redemption: str, repeated: bool) -> dict:
	status = frappe.db.get_value(VOUCHER, voucher.name, "status")
	return {"voucher": voucher.name, "redemption": redemption, "status": status, "repeated": repeated}


# ------------------------------------------------------------------ compensation, expiry
def on_compensation_update(doc, method=None) -> None:
	"""doc_events: an approved compensation's Voucher lines issue their vouchers, once each."""
	if doc.workflow_state != compensation.APPROVED or not doc.has_value_changed("workflow_state"):
		return
	lines = [row for row in doc.lines if row.remedy == "Voucher" and row.amount]
	if not lines:
		return
	customer, complaint = frappe.db.get_value("Complaint", doc.complaint, ["customer", "name"])
	if not customer:
		doc.add_comment(
			"Info", _("No voucher issued: complaint {0} has no customer record").format(complaint)
		)
		return
	for row in lines:
		name = issue(customer, row.amount, complaint=complaint, source=doc, row=row.name, approved=True)
		row.db_set({"done": 1, "done_reference": name}, update_modified=False)
		doc.add_comment("Info", _("Voucher {0} issued for {1}").format(name, row.amount))
	closure.refresh(doc.complaint)  # the Voucher lines are carried out now


def expire() -> int:
	"""Daily: vouchers past their last day are Expired (one UPDATE)."""
	table = frappe.qb.DocType(VOUCHER)
	query = (
		frappe.qb.update(table)
		.set(table.status, EXPIRED)
		.where(table.status.isin((ISSUED, PENDING)))
		.where(table.valid_to < nowdate())
	)
	query.run()
	return frappe.db._cursor.rowcount
