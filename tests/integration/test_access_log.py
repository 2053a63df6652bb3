"""Who opened a complaint's personal data or evidence is logged, path by path, and reportable
per customer (SPEC §11). The requests go through Frappe's WSGI application, as a browser's would."""

from __future__ import annotations

import os
import threading

import frappe
import pytest

from complaint_mgmt.complaint_management.report.personal_data_access import personal_data_access
from tests.factories.doctypes import ComplaintFactory, UserFactory

PASSWORD = "Evidence-Log-2026!"
NOTICE = "Complaint Handling Notice"


def http(site: str, user: str, requests: list[tuple[str, str, dict | None]]) -> list[tuple[int, bytes]]:
	"""Log in as `user` and send the requests from another thread (its own site connection)."""
	answers: list = []

	def run():
		from frappe.app import application
		from werkzeug.test import Client

		client = Client(application)
		headers = {"X-Frappe-Site-Name": site}
		login = client.post("/api/method/login", data={"usr": user, "pwd": PASSWORD}, headers=headers)
		answers.append((login.status_code, login.get_data()))
		for method, path, query in requests:
			response = client.open(path, method=method, query_string=query, headers=headers)
			answers.append((response.status_code, response.get_data()))

	thread = threading.Thread(target=run)
	thread.start()
	thread.join(300)
	frappe.db.rollback()  # see what the requests committed
	assert answers and answers[0][0] == 200, answers[:1]
	return answers[1:]


@pytest.fixture
def opened(site, committed):
	"""A complaint with a private evidence file, handled by an agent who can log in."""
	agent = UserFactory(roles=["Complaint Agent"], new_password=PASSWORD)
	complaint = ComplaintFactory(lead_owner=agent.name)
	evidence = frappe.get_doc(
		{
			"doctype": "File",
			"file_name": "damage-report.txt",
			"attached_to_doctype": "Complaint",
			"attached_to_name": complaint.name,
			"is_private": 1,
			"content": b"courier note: parcel crushed",
		}
	).insert(ignore_permissions=True)
	committed.track("User", agent.name)
	committed.track("Complaint", complaint.name)
	committed.track("File", evidence.name)
	committed.commit()
	yield frappe._dict(agent=agent.name, complaint=complaint, evidence=evidence)
	frappe.db.rollback()
	path = frappe.get_site_path("private", "files", os.path.basename(evidence.file_url))
	if os.path.exists(path):
		os.remove(path)
	for doctype, field in (("View Log", "reference_name"), ("Access Log", "reference_document")):
		for value in (complaint.name, evidence.name):
			for name in frappe.get_all(doctype, filters={field: value}, pluck="name"):
				committed.track(doctype, name)
	fields = {"Version": "docname", "Notification Log": "document_name"}
	for doctype in ("Comment", "ToDo", "Notification Log", "Communication", "Email Queue", "Version"):
		field = fields.get(doctype, "reference_name")
		for name in frappe.get_all(doctype, filters={field: complaint.name}, pluck="name"):
			committed.track(doctype, name)
	frappe.db.sql("delete from `tabSessions` where user = %s", agent.name)


def accesses(**filters) -> list[tuple[str, str, str]]:
	_columns, rows = personal_data_access.execute(filters)
	return sorted((row["user"], row["access"], row["detail"]) for row in rows)


def test_each_way_of_reading_a_complaint_is_logged_and_reported_per_customer(site, opened):
	name, agent = opened.complaint.name, opened.agent
	answers = http(
		site,
		agent,
		[
			("GET", "/api/method/frappe.desk.form.load.getdoc", {"doctype": "Complaint", "name": name}),
			("GET", f"/api/resource/Complaint/{name}", None),
			("GET", f"/api/v2/document/Complaint/{name}", None),
			("GET", "/printview", {"doctype": "Complaint", "name": name, "format": NOTICE}),
			(
				"GET",
				"/api/method/frappe.www.printview.get_html_and_style",
				{"doc": "Complaint", "name": name, "print_format": NOTICE},
			),
			("GET", opened.evidence.file_url, None),
		],
	)
	assert [status for status, _body in answers] == [200] * 6, answers
	assert answers[-1][1].endswith(b"courier note: parcel crushed")

	expected = sorted(
		[
			(agent, "Form", ""),
			(agent, "REST", ""),
			(agent, "REST", ""),
			(agent, "Print", ""),
			(agent, "Print", ""),
			(agent, "File", "damage-report.txt"),
		]
	)
	assert accesses(customer_phone=opened.complaint.customer_phone) == expected
	assert accesses(customer_email=opened.complaint.customer_email) == expected
	assert accesses(complaint=name) == expected


def test_a_refused_read_is_not_logged_as_an_access(site, opened):
	outsider = UserFactory(roles=["Complaint Agent"], new_password=PASSWORD)
	frappe.flags.complaint_real_commit()
	try:
		answers = http(
			site, outsider.name, [("GET", f"/api/resource/Complaint/{opened.complaint.name}", None)]
		)
		assert answers[0][0] == 403
		assert accesses(complaint=opened.complaint.name) == []
	finally:
		frappe.db.delete("Has Role", {"parent": outsider.name})
		frappe.db.sql("delete from `tabSessions` where user = %s", outsider.name)
		frappe.db.delete("User", {"name": outsider.name})
		frappe.flags.complaint_real_commit()


def test_only_the_roles_named_in_settings_read_the_access_report(settings, as_user):
	complaint = ComplaintFactory()
	quality = UserFactory(roles=["Quality Manager"]).name
	manager = UserFactory(roles=["Complaint Manager"]).name

	as_user(quality)
	with pytest.raises(frappe.PermissionError):
		personal_data_access.execute({"complaint": complaint.name})
	as_user(manager)
	personal_data_access.execute({"complaint": complaint.name})

	as_user("Administrator")
	settings(access_log_roles=[{"role": "Quality Manager"}])
	report_roles = frappe.get_all("Has Role", filters={"parent": "Personal Data Access"}, pluck="role")
	assert sorted(report_roles) == ["Quality Manager", "System Manager"]
	as_user(quality)
	personal_data_access.execute({"complaint": complaint.name})
	as_user(manager)
	with pytest.raises(frappe.PermissionError):
		personal_data_access.execute({"complaint": complaint.name})


def test_the_report_asks_for_a_customer_or_a_complaint():
	with pytest.raises(frappe.ValidationError, match="customer's phone or email"):
		personal_data_access.execute({})
