"""Real HTTP requests of a guest (Frappe's WSGI app through werkzeug's test client): rate limits
count the visitor, not a header they write or the spelling of a form's name, and a guest never
sees a traceback. Each request runs in its own thread with its own connection, as on a server;
none of these requests stores anything."""

from __future__ import annotations

import json
import random
import threading

import frappe
import pytest
from frappe.utils import get_test_client

TRACK = "/api/method/complaint_mgmt.api.portal.track"
ACCEPT = "/api/method/frappe.website.doctype.web_form.web_form.accept"


def visitor() -> str:
	"""An address no other test (or earlier run within the rate-limit window) used."""
	return f"10.{random.randrange(256)}.{random.randrange(256)}.{random.randrange(1, 255)}"


def post(path: str, data: dict, *, remote: str, headers: dict | None = None):
	client = get_test_client(use_cookies=False)
	headers = {"X-Frappe-Site-Name": frappe.local.site, "Accept": "application/json", **(headers or {})}
	result = {}

	def run():
		result["response"] = client.post(
			path,
			data=data,
			headers=headers,
			environ_base={"REMOTE_ADDR": remote},
		)

	thread = threading.Thread(target=run)
	thread.start()
	thread.join()
	return result["response"]


def lookup_limit() -> int:
	return frappe.db.get_single_value("Complaint Settings", "portal_lookups_per_minute") or 10


def test_a_made_up_forwarded_for_header_does_not_escape_the_lookup_limit():
	remote = visitor()
	statuses = [
		post(
			TRACK,
			{"complaint": "CMP-1999-000001", "contact": "13912345678"},
			remote=remote,
			headers={"X-Forwarded-For": visitor()},
		).status_code
		for _ in range(lookup_limit() + 1)
	]
	assert statuses[:-1] == [417] * lookup_limit()  # "no complaint matches"
	assert statuses[-1] == 429


def test_the_form_is_limited_whatever_the_spelling_of_its_name():
	remote = visitor()
	spellings = ["complaint", "Complaint", "COMPLAINT", "cOmplaint", "compLaint"]
	statuses = [
		post(ACCEPT, {"web_form": spellings[i % len(spellings)], "data": "{}"}, remote=remote).status_code
		for i in range(11)  # Frappe lets one address submit a form 10 times a minute
	]
	assert 429 not in statuses[:10] and statuses[-1] == 429


@pytest.mark.parametrize(
	("path", "data"),
	[
		(TRACK, {"complaint": json.dumps(["CMP"]), "contact": "13912345678"}),
		(ACCEPT, {"web_form": "complaint", "data": "not json"}),
		(ACCEPT, {"web_form": "complaint", "data": json.dumps({"evidence_consent": "yes"})}),
		(ACCEPT, {"web_form": "complaint", "data": json.dumps({"customer_phone": ["13912345678"]})}),
		(
			"/api/method/complaint_mgmt.api.portal.answer_survey",
			{"key": "k" * 24, "efficiency_score": "4.9", "solution_score": "yes"},
		),
	],
)
def test_bad_guest_input_is_a_clear_refusal_without_a_traceback(path, data):
	response = post(path, data, remote=visitor())
	body = response.get_data(as_text=True)
	assert response.status_code == 417, body
	assert "Traceback" not in body and "exc" not in response.json
	messages = [json.loads(m)["message"] for m in json.loads(response.json["_server_messages"])]
	assert messages and all(m for m in messages)


def test_a_server_error_shows_a_guest_no_traceback(monkeypatch):
	from complaint_mgmt.services import input_check

	def broken(*args, **kwargs):
		raise RuntimeError("database password is hunter2")

	monkeypatch.setattr(input_check, "text_argument", broken)
	response = post(TRACK, {"complaint": "CMP-1999-000001", "contact": "13912345678"}, remote=visitor())
	body = response.get_data(as_text=True)
	assert response.status_code == 500
	assert "Traceback" not in body and "hunter2" not in body
