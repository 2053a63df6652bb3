"""A complaint's private files (evidence, handling notices) are reached only through the complaint
(issue 10, private files and personal fields)."""

from __future__ import annotations

import re

import frappe
import pytest
from frappe.core.doctype.file.utils import find_file_by_url

from tests.factories.access import handled_by
from tests.factories.doctypes import UserFactory


@pytest.fixture
def people():
	return {
		"a": UserFactory(roles=["Complaint Agent"]).name,
		"b": UserFactory(roles=["Complaint Agent"]).name,
		"quality": UserFactory(roles=["Quality Manager"]).name,
		"customer": UserFactory(user_type="Website User").name,
	}


@pytest.fixture
def evidence(people):
	"""A photo kept as private evidence of agent A's complaint."""
	complaint = handled_by(people["a"])
	file = frappe.get_doc(
		{
			"doctype": "File",
			"file_name": "damage.png",
			"content": b"\x89PNG evidence " + frappe.generate_hash().encode(),
			"is_private": 1,
			"attached_to_doctype": "Complaint",
			"attached_to_name": complaint.name,
		}
	).insert(ignore_permissions=True)
	return file


@pytest.mark.parametrize("who", ["b", "customer"])
def test_a_file_record_pointing_at_evidence_is_refused(people, evidence, as_user, who):
	as_user(people[who])
	forged = frappe.get_doc(
		{"doctype": "File", "file_name": "mine.png", "file_url": evidence.file_url, "is_private": 1}
	)
	with pytest.raises(frappe.PermissionError):
		forged.insert()
	assert find_file_by_url(evidence.file_url) is None


def test_the_evidence_file_cannot_be_made_public_or_moved(people, evidence, as_user):
	as_user(people["a"])
	doc = frappe.get_doc("File", evidence.name)
	doc.is_private = 0
	with pytest.raises(frappe.PermissionError):
		doc.save()
	doc = frappe.get_doc("File", evidence.name)
	doc.attached_to_doctype, doc.attached_to_name = "User", people["a"]
	with pytest.raises(frappe.PermissionError):
		doc.save()
	assert frappe.db.get_value("File", evidence.name, "file_url") == evidence.file_url
	assert evidence.file_url.startswith("/private/files/")


def test_downloads_follow_the_complaint_and_the_personal_field_level(people, evidence, as_user):
	as_user(people["a"])
	assert find_file_by_url(evidence.file_url).name == evidence.name
	for outsider in ("b", "quality", "customer"):
		as_user(people[outsider])
		assert find_file_by_url(evidence.file_url) is None, outsider
		assert evidence.name not in frappe.get_list("File", pluck="name") or outsider == "customer"
	as_user(people["quality"])  # reads the complaint, not its personal data
	assert frappe.has_permission("Complaint", "read", doc=evidence.attached_to_name)
	assert not frappe.has_permission("File", "read", doc=evidence.name)


def test_the_handling_notice_has_an_unguessable_name_and_stays_with_the_complaint(
	people, as_user, monkeypatch
):
	from complaint_mgmt.services import notices

	monkeypatch.setattr(
		notices, "render_pdf", lambda doc, fmt: b"%PDF-1.4 " + frappe.generate_hash().encode()
	)
	complaint = handled_by(people["a"])
	url = notices.send(complaint)
	name = url.rsplit("/", 1)[1]
	assert url.startswith("/private/files/")
	assert not re.search(r"\d{8}-\d{6}", name)  # not the time it was made
	assert re.search(r"[0-9a-f]{20}", name)
	as_user(people["b"])
	assert find_file_by_url(url) is None
	as_user(people["a"])
	assert find_file_by_url(url) is not None
