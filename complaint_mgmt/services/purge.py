"""The audited purge of personal data after retention (SPEC §11).

A Complaint Purge Request lists the closed complaints past their retention, is approved by
another user holding the approver role of the settings, then a background job anonymises them
(`services.anonymise`). A website customer's own Personal Data Deletion Request, once a System
Manager has carried it out, stands for the approval: their complaints past retention are purged
then, the others as their retention ends (daily job). Nothing inside retention is ever purged: eligibility is checked when the
request is saved and again, complaint by complaint, when the job runs.
"""

from __future__ import annotations

import frappe
from frappe import _
from frappe.utils import add_years, get_datetime, getdate, now_datetime, nowdate

from complaint_mgmt.services import anonymise, evidence, policy

DOCTYPE = "Complaint Purge Request"
JOB = "complaint_mgmt.services.purge.run"


def closed_before():
	"""Complaints closed before this day are past their retention today."""
	return add_years(getdate(nowdate()), -(policy.settings().evidence_retention_years or 0))


def _purged() -> frappe.qb.builder.QueryBuilder:
	item = frappe.qb.DocType("Complaint Purge Item")
	return frappe.qb.from_(item).select(item.complaint).where(item.purged_at.isnotnull())


def eligible(names: list[str] | None = None) -> list[frappe._dict]:
	"""Closed complaints past retention and not purged yet (of `names`, when given)."""
	c = frappe.qb.DocType("Complaint")
	query = (
		frappe.qb.from_(c)
		.select(c.name, c.closed_at)
		.where(c.workflow_state == policy.settings().closed_state)
		.where(c.closed_at.isnotnull())
		.where(c.closed_at < get_datetime(closed_before()))
		.where(c.name.notin(_purged()))
		.orderby(c.closed_at)
	)
	if names is not None:
		query = query.where(c.name.isin(names or [""]))
	return query.run(as_dict=True)


def _has_role(setting: str) -> bool:
	role = policy.settings().get(setting)
	return frappe.session.user == "Administrator" or bool(role and role in frappe.get_roles())


def prepare(doc) -> None:
	"""validate: a new request lists the eligible complaints; any other row is refused."""
	if not doc.is_new():
		frappe.throw(_("A purge request cannot be changed after it is saved"))
	if not (doc.flags.deletion_request or _has_role("purge_requester_role")):
		frappe.throw(
			_("Only the role {0} may request a purge").format(_(policy.settings().purge_requester_role)),
			frappe.PermissionError,
		)
	doc.status = "Awaiting Approval"
	doc.requested_by = frappe.session.user
	doc.requested_at = now_datetime()
	doc.retention_years = policy.settings().evidence_retention_years
	doc.closed_before = closed_before()
	chosen = [row.complaint for row in doc.complaints]
	found = {row.name: row for row in eligible(chosen if chosen else None)}
	refused = [name for name in chosen if name not in found]
	if refused:
		frappe.throw(
			_("These complaints are open, inside their retention or purged already: {0}").format(
				", ".join(refused)
			),
			title=_("Not past retention"),
		)
	if not found:
		frappe.throw(_("No closed complaint is past its retention"))
	doc.set(
		"complaints",
		[
			{
				"complaint": name,
				"closed_at": row.closed_at,
				"retained_until": evidence.retention_ends(name),
			}
			for name, row in found.items()
		],
	)
	doc.complaint_count = len(found)


def refuse_deletion(doc) -> None:
	"""The request is the audit record of the purge: it stays."""
	frappe.throw(_("A purge request is kept as the audit record and cannot be deleted"))


def approve(doc) -> None:
	if doc.status != "Awaiting Approval":
		frappe.throw(_("Only a purge awaiting approval can be approved"))
	if not _has_role("purge_approver_role"):
		frappe.throw(
			_("Only the role {0} may approve a purge").format(_(policy.settings().purge_approver_role)),
			frappe.PermissionError,
		)
	if frappe.session.user == doc.requested_by:
		frappe.throw(_("A purge is approved by another user than the one who requested it"))
	_set(doc, status="Approved", approved_by=frappe.session.user, approved_at=now_datetime())
	frappe.enqueue(
		JOB,
		queue="long",
		timeout=3600,
		request=doc.name,
		enqueue_after_commit=True,
		now=bool(frappe.flags.in_test),
	)


def reject(doc, reason: str) -> None:
	if doc.status != "Awaiting Approval":
		frappe.throw(_("Only a purge awaiting approval can be rejected"))
	if not _has_role("purge_approver_role"):
		frappe.throw(
			_("Only the role {0} may approve a purge").format(_(policy.settings().purge_approver_role)),
			frappe.PermissionError,
		)
	if not (reason or "").strip():
		frappe.throw(_("Give a reason for the rejection"))
	_set(doc, status="Rejected", rejection_reason=reason.strip())


def _set(doc, **values) -> None:
	"""Status changes go straight to the row (the form itself is frozen once saved)."""
	doc.db_set(values, notify=True)


def run(request: str) -> None:
	"""Background job: anonymise each complaint still past retention, one commit per complaint."""
	doc = frappe.get_doc(DOCTYPE, request)
	if doc.status != "Approved":
		return
	_set(doc, status="Running")
	frappe.db.commit()
	try:
		total = 0
		still = {row.name for row in eligible([row.complaint for row in doc.complaints])}
		for row in doc.complaints:
			if row.complaint not in still or evidence.within_retention(row.complaint):
				continue
			removed = anonymise.complaint(row.complaint, doc.name)
			row.db_set({"purged_at": now_datetime(), "files_removed": removed})
			total += removed
			frappe.db.commit()
		purged = sum(1 for row in doc.complaints if row.purged_at)
		_set(
			doc, status="Completed", completed_at=now_datetime(), files_removed=total, complaint_count=purged
		)
		frappe.db.commit()
	except Exception:
		frappe.db.rollback()
		_set(doc, status="Failed", error=frappe.get_traceback(with_context=False)[-2000:])
		frappe.db.commit()
		raise


def on_deletion_request(doc, method=None) -> None:
	"""doc_events (on_change) of Personal Data Deletion Request."""
	if doc.status == "Deleted":
		for_deletion_request(doc.name)


def deletion_requests_due() -> None:
	"""Daily: complaints of customers who asked for deletion, as their retention ends."""
	for name in frappe.get_all("Personal Data Deletion Request", filters={"status": "Deleted"}, pluck="name"):
		for_deletion_request(name)


def for_deletion_request(name: str) -> str | None:
	"""Purge the requesting customer's complaints that are past retention; the request's name."""
	email = frappe.db.get_value("Personal Data Deletion Request", name, "email")
	c = frappe.qb.DocType("Complaint")
	# Frappe renames the customer's User to the request's name before it marks the request done
	theirs = (
		frappe.qb.from_(c)
		.select(c.name)
		.where((c.customer_email == email) | c.portal_user.isin([email, name]))
		.run(pluck=True)
	)
	due = eligible(theirs) if theirs else []
	if not due:
		return None
	doc = frappe.get_doc(
		{
			"doctype": DOCTYPE,
			"deletion_request": name,
			"reason": _("The customer's own deletion request {0}").format(name),
			"complaints": [{"complaint": row.name} for row in due],
		}
	)
	doc.flags.deletion_request = True
	doc.insert(ignore_permissions=True)
	_set(doc, status="Approved", approved_by=frappe.session.user, approved_at=now_datetime())
	run(doc.name)
	return doc.name
