"""The audited purge after retention (SPEC §11): approved by another user, anonymises personal
data, keeps the statistics, leaves an audit record and no copy; nothing inside retention goes."""

from __future__ import annotations

import json
import os

import frappe
import pytest
from frappe.utils import add_days, add_years, now_datetime

from complaint_mgmt.services import policy, purge
from complaint_mgmt.services.anonymise import PURGED
from tests.factories.doctypes import ComplaintFactory, UserFactory


@pytest.fixture
def people():
	return frappe._dict(
		admin=UserFactory(roles=["Complaint Admin"]).name,
		manager=UserFactory(roles=["Complaint Manager"]).name,
		second_manager=UserFactory(roles=["Complaint Manager"]).name,
		quality=UserFactory(roles=["Quality Manager"]).name,
	)


def closed(doc, years_ago: float):
	"""Mark the complaint closed that long ago (as if the workflow had closed it then)."""
	when = add_days(now_datetime(), -int(years_ago * 365.25))
	frappe.db.set_value(
		"Complaint",
		doc.name,
		{"workflow_state": policy.settings().closed_state, "closed_at": when},
		update_modified=False,
	)
	return doc.name


def request(user: str, as_user, complaints: list[str] | None = None):
	as_user(user)
	doc = frappe.get_doc(
		{
			"doctype": "Complaint Purge Request",
			"reason": "Yearly purge",
			"complaints": [{"complaint": name} for name in complaints or []],
		}
	).insert()
	return doc


def test_a_request_lists_every_closed_complaint_past_retention_and_nothing_else(people, as_user):
	old = closed(ComplaintFactory(), 3)
	recent = closed(ComplaintFactory(), 1)
	still_open = ComplaintFactory().name

	doc = request(people.admin, as_user)

	listed = [row.complaint for row in doc.complaints]
	assert old in listed
	assert recent not in listed and still_open not in listed
	assert doc.status == "Awaiting Approval" and doc.requested_by == people.admin
	assert doc.complaint_count == len(listed)
	for name in (recent, still_open):
		with pytest.raises(frappe.ValidationError, match="inside their retention"):
			request(people.admin, as_user, [old, name])


def test_a_longer_retention_setting_keeps_more_complaints(people, as_user, settings):
	three_years = closed(ComplaintFactory(), 3)
	settings(evidence_retention_years=5)
	with pytest.raises(frappe.ValidationError, match="inside their retention"):
		request(people.admin, as_user, [three_years])


def test_only_the_roles_in_settings_request_and_approve_and_never_the_same_user(people, as_user, settings):
	name = closed(ComplaintFactory(), 3)
	with pytest.raises(frappe.PermissionError):
		request(people.quality, as_user, [name])
	doc = request(people.admin, as_user, [name])

	as_user(people.quality)
	with pytest.raises(frappe.PermissionError):
		frappe.get_doc("Complaint Purge Request", doc.name).approve()
	as_user("Administrator")
	settings(purge_requester_role="Complaint Manager")
	own = request(people.manager, as_user, [name])
	with pytest.raises(frappe.ValidationError, match="another user"):
		frappe.get_doc("Complaint Purge Request", own.name).approve()
	assert frappe.db.get_value("Complaint", name, "customer_name") != PURGED


def _with_copies(doc):
	"""Personal values copied where Frappe keeps them: a version, a message, a comment, a file,
	a deleted document."""
	doc.reload()
	doc.customer_phone = "13912345678"
	doc.sender_address = "上海市浦东新区世纪大道100号"
	doc.save(ignore_permissions=True)
	photo = frappe.get_doc(
		{
			"doctype": "File",
			"file_name": "parcel-photo.txt",
			"attached_to_doctype": "Complaint",
			"attached_to_name": doc.name,
			"is_private": 1,
			"content": b"photo",
		}
	).insert(ignore_permissions=True)
	frappe.get_doc(
		{
			"doctype": "Complaint Evidence",
			"parent": doc.name,
			"parenttype": "Complaint",
			"parentfield": "evidence",
			"file": photo.file_url,
			"description": "破损照片",
		}
	).db_insert()
	frappe.get_doc(
		{
			"doctype": "Communication",
			"communication_type": "Communication",
			"communication_medium": "Email",
			"sent_or_received": "Sent",
			"subject": f"Complaint {doc.name}",
			"content": f"Dear {doc.customer_name}, we will call you on 13912345678.",
			"recipients": doc.customer_email,
			"reference_doctype": "Complaint",
			"reference_name": doc.name,
		}
	).insert(ignore_permissions=True)
	doc.add_comment("Comment", f"Called {doc.customer_name} at 13912345678")
	frappe.get_doc(
		{
			"doctype": "Deleted Document",
			"deleted_doctype": "File",
			"deleted_name": "old-scan",
			"data": json.dumps({"attached_to_name": doc.name, "file_name": "scan.pdf"}),
		}
	).db_insert()
	return photo


def test_an_approved_purge_anonymises_keeps_the_statistics_and_leaves_no_copy(people, as_user):
	doc = ComplaintFactory(priority="Important")
	photo = _with_copies(doc)
	disk = frappe.get_site_path("private", "files", os.path.basename(photo.file_url))
	secrets = (doc.customer_name, "13912345678", doc.customer_email, "世纪大道")
	before = frappe.db.get_value(
		"Complaint",
		doc.name,
		["complaint_type", "channel", "priority", "received_at", "department", "goods_value"],
		as_dict=True,
	)
	milestones = frappe.get_all("Complaint Milestone", filters={"parent": doc.name}, fields=["*"])
	closed(doc, 2.5)

	purge = request(people.admin, as_user, [doc.name])
	as_user(people.manager)
	frappe.get_doc("Complaint Purge Request", purge.name).approve()
	as_user("Administrator")

	after = frappe.get_doc("Complaint", doc.name)
	assert after.customer_name == PURGED
	assert not (
		after.customer_phone or after.customer_email or after.sender_address or after.recipient_address
	)
	assert not after.evidence[0].file and not after.evidence[0].description
	assert {k: after.get(k) for k in before} == before
	assert frappe.get_all("Complaint Milestone", filters={"parent": doc.name}, fields=["*"]) == milestones

	assert not frappe.db.exists("File", photo.name) and not os.path.exists(disk)
	assert not frappe.db.exists("Deleted Document", {"data": ["like", f"%{doc.name}%"]})
	assert not frappe.db.exists("Deleted Document", {"deleted_name": photo.name})
	copies = [
		*frappe.get_all("Version", filters={"docname": doc.name}, pluck="data"),
		*frappe.get_all("Communication", filters={"reference_name": doc.name}, pluck="content"),
		*frappe.get_all("Communication", filters={"reference_name": doc.name}, pluck="recipients"),
		*frappe.get_all("Comment", filters={"reference_name": doc.name}, pluck="content"),
	]
	assert copies
	assert not [text for text in copies if text and any(secret in text for secret in secrets)]

	audit = frappe.get_doc("Complaint Purge Request", purge.name)
	assert (audit.status, audit.requested_by, audit.approved_by) == (
		"Completed",
		people.admin,
		people.manager,
	)
	assert audit.approved_at and audit.completed_at
	assert (audit.complaint_count, audit.files_removed) == (1, 1)
	assert [(row.complaint, bool(row.purged_at)) for row in audit.complaints] == [(doc.name, True)]
	with pytest.raises(frappe.ValidationError):
		audit.delete(ignore_permissions=True)


def test_nothing_inside_retention_is_purged_even_when_approved(people, as_user):
	doc = ComplaintFactory()
	closed(doc, 3)
	purge = request(people.admin, as_user, [doc.name])
	# reopened and closed again meanwhile: its retention starts over
	frappe.db.set_value("Complaint", doc.name, "closed_at", add_years(now_datetime(), -1))
	as_user(people.manager)
	frappe.get_doc("Complaint Purge Request", purge.name).approve()
	as_user("Administrator")

	assert frappe.db.get_value("Complaint", doc.name, "customer_name") == doc.customer_name
	audit = frappe.get_doc("Complaint Purge Request", purge.name)
	assert audit.status == "Completed" and audit.complaint_count == 0
	assert not audit.complaints[0].purged_at


def test_a_purged_complaint_is_not_listed_again(people, as_user):
	doc = ComplaintFactory()
	closed(doc, 3)
	purge = request(people.admin, as_user, [doc.name])
	as_user(people.second_manager)
	frappe.get_doc("Complaint Purge Request", purge.name).approve()
	with pytest.raises(frappe.ValidationError, match="purged already"):
		request(people.admin, as_user, [doc.name])


def test_a_customers_own_deletion_request_purges_their_complaints_once_past_retention(outbox):
	customer = UserFactory(user_type="Website User")
	old = ComplaintFactory(customer_email=customer.email)
	recent = ComplaintFactory(customer_email=customer.email)
	other = ComplaintFactory()
	for doc, years in ((old, 3), (recent, 1), (other, 3)):
		closed(doc, years)
	deletion = frappe.get_doc({"doctype": "Personal Data Deletion Request", "email": customer.email}).insert(
		ignore_permissions=True
	)
	deletion.db_set("status", "Pending Approval")

	deletion.trigger_data_deletion()  # a System Manager carries it out

	assert frappe.db.get_value("Complaint", old.name, "customer_name") == PURGED
	assert frappe.db.get_value("Complaint", recent.name, "customer_name") == recent.customer_name
	assert frappe.db.get_value("Complaint", other.name, "customer_name") == other.customer_name
	audit = frappe.get_all(
		"Complaint Purge Request",
		filters={"deletion_request": deletion.name},
		fields=["status", "approved_by", "complaint_count"],
	)
	assert audit == [{"status": "Completed", "approved_by": "Administrator", "complaint_count": 1}]

	# a year later the second complaint's retention ends too
	closed(recent, 2.1)
	purge.deletion_requests_due()
	assert frappe.db.get_value("Complaint", recent.name, "customer_name") == PURGED
	assert frappe.db.get_value("Complaint", other.name, "customer_name") == other.customer_name
