"""Issue 10's medium and low findings: each test failed before its fix."""

from __future__ import annotations

import json
import random
import re
import socket
import threading

import frappe
import pytest
from frappe.utils import set_request

from tests.factories.doctypes import ComplaintFactory, UserFactory


@pytest.fixture
def agent():
	return UserFactory(roles=["Complaint Agent"]).name


def guest_files(**values):
	"""The complaint form as a guest submits it, through the method the browser calls."""
	from frappe.handler import execute_cmd

	data = {
		"customer_name": "王女士",
		"customer_phone": "13912345678",
		"customer_email": "wang@example.com",
		"waybill_no": "SF1300000001",
		"complaint_type": "Bad Attitude",
		"description": "<p>快递员态度恶劣。</p>",
		"expected_resolution": "Apology",
		**values,
	}
	method = "frappe.website.doctype.web_form.web_form.accept"
	set_request(method="POST", path=f"/api/method/{method}")
	frappe.local.request_ip = f"10.{random.randrange(256)}.{random.randrange(256)}.{random.randrange(1, 255)}"
	frappe.set_user("Guest")
	frappe.local.form_dict = frappe._dict(web_form="complaint", data=json.dumps(data))
	try:
		return json.loads(frappe.as_json(execute_cmd(method)))
	finally:
		frappe.flags.in_web_form = False
		frappe.local.form_dict = frappe._dict()
		del frappe.local.request
		frappe.set_user("Administrator")


def test_the_guest_gets_back_only_the_complaint_number(agent, outbox):
	earlier = ComplaintFactory(waybill_no="SF1300000077", customer_email="zhang@example.com")
	sent = guest_files(waybill_no="SF1300000077")
	saved = frappe.get_doc("Complaint", sent["name"])
	assert saved.duplicate_of == earlier.name and saved.lead_owner == agent  # the record has them…
	assert sent == {"doctype": "Complaint", "name": saved.name}  # …the guest is not shown them


def test_html_in_the_email_field_is_refused(agent, outbox):
	with pytest.raises(frappe.ValidationError, match="Email address"):
		guest_files(customer_email='<a href="http://evil.example/">wang@example.com</a>')


def test_the_acknowledgement_shows_the_guests_text_as_text(agent, outbox, monkeypatch):
	sent = []
	monkeypatch.setattr(frappe, "sendmail", lambda **kwargs: sent.append(kwargs))
	guest_files(customer_name='<a href="http://evil.example/">Claim your refund</a>')
	body = sent[0]["message"]
	assert '<a href="http://evil.example/">' not in body
	assert "&lt;a href=&quot;http://evil.example/&quot;&gt;Claim your refund&lt;/a&gt;" in body


def test_an_assignment_to_a_look_alike_user_name_grants_no_access(as_user):
	number = frappe.generate_hash(length=6)
	underscore = UserFactory(email=f"li_{number}@test.complaint.localhost", roles=["Complaint Agent"]).name
	look_alike = UserFactory(email=f"lia{number}@test.complaint.localhost", roles=["Complaint Agent"]).name
	theirs = ComplaintFactory(complaint_type="Delay")
	frappe.db.set_value(
		"Complaint", theirs.name, {"lead_owner": None, "co_owner": None, "_assign": json.dumps([look_alike])}
	)
	as_user(underscore)
	assert theirs.name not in frappe.get_list("Complaint", pluck="name")
	as_user(look_alike)
	assert theirs.name in frappe.get_list("Complaint", pluck="name")


def test_evidence_cannot_be_detached_and_then_deleted_inside_retention():
	doc = ComplaintFactory(evidence_consent=1)
	file = frappe.get_doc(
		{
			"doctype": "File",
			"file_name": "damage-report.pdf",
			"content": b"%PDF-1.4 the courier's damage report",
			"is_private": 1,
			"attached_to_doctype": "Complaint",
			"attached_to_name": doc.name,
		}
	).insert()
	doc.append("evidence", {"file": file.file_url, "evidence_kind": "Document"})
	doc.save()

	file.reload()
	file.update({"attached_to_doctype": None, "attached_to_name": None})
	with pytest.raises(
		(frappe.ValidationError, frappe.PermissionError), match=r"stays? (private and )?attached"
	):
		file.save()
	# detached behind the app's back: its evidence row still protects it
	frappe.db.set_value("File", file.name, {"attached_to_doctype": None, "attached_to_name": None})
	with pytest.raises(frappe.ValidationError, match="is kept until"):
		frappe.delete_doc("File", file.name)
	assert frappe.db.exists("File", file.name)


def test_demo_staff_each_get_their_own_password_shown_once(capsys):
	from frappe.utils.password import check_password

	from complaint_mgmt.demo import DEMO_DOMAIN, STAFF, ensure_staff

	ensure_staff()
	printed = dict(re.findall(r"Demo user (\S+): password (\S+)", capsys.readouterr().out))
	emails = [f"{login}@{DEMO_DOMAIN}" for login, *_ in STAFF]
	assert set(printed) == set(emails) and len(set(printed.values())) == len(emails)
	for email in emails[:2]:
		assert check_password(email, printed[email]) == email
		with pytest.raises(frappe.AuthenticationError):
			check_password(email, "demo-Pass-2026")


def test_the_handling_notice_is_rendered_in_a_job_after_the_request_commits(agent, monkeypatch):
	from complaint_mgmt.api.compensation import send_handling_notice

	doc = ComplaintFactory(complaint_type="Damaged")
	queued = []
	real_enqueue = frappe.enqueue

	def spy(method, **kwargs):
		queued.append((method, kwargs))
		return real_enqueue(method, **kwargs)

	monkeypatch.setattr(frappe, "enqueue", spy)
	send_handling_notice(doc.name)
	((method, kwargs),) = queued
	assert method == "complaint_mgmt.services.notices.send_in_background"
	assert kwargs["enqueue_after_commit"] is True and kwargs["complaint"] == doc.name
	# tests run the job at once: the PDF is attached
	assert frappe.db.exists("File", {"attached_to_name": doc.name, "file_name": ["like", "%.pdf"]})


def test_a_customers_description_makes_the_pdf_renderer_fetch_nothing_and_restyle_nothing(agent, monkeypatch):
	from complaint_mgmt.services import notices

	listener = socket.socket()
	listener.bind(("127.0.0.1", 0))
	listener.listen(8)
	listener.settimeout(0.2)
	port = listener.getsockname()[1]
	requests: list[bytes] = []
	stop = threading.Event()

	def record():
		while not stop.is_set():
			try:
				conn, _ = listener.accept()
			except OSError:
				continue
			requests.append(conn.recv(1024))
			conn.close()

	watcher = threading.Thread(target=record, daemon=True)
	watcher.start()
	rendered = []
	real_get_pdf = notices.get_pdf
	monkeypatch.setattr(
		notices, "get_pdf", lambda html, *a, **k: rendered.append(html) or real_get_pdf(html, *a, **k)
	)
	doc = ComplaintFactory(
		complaint_type="Damaged",
		description=(
			f'<p>Box crushed</p><img src="http://127.0.0.1:{port}/internal-admin.png">'
			f"<style>.cmp-doc {{ display: none; color: #c0ffee }}</style>"
			f'<p style="background: url(http://127.0.0.1:{port}/bg.png)">see photo</p>'
		),
	)
	try:
		pdf = notices.render_pdf(frappe.get_doc("Complaint", doc.name), notices.HANDLING_NOTICE)
	finally:
		stop.set()
		watcher.join()
		listener.close()
	assert pdf.startswith(b"%PDF")
	assert requests == []
	assert "#c0ffee" not in rendered[0] and f"127.0.0.1:{port}" not in rendered[0]
	assert "Box crushed" in rendered[0]
