"""Connects to the bench's test site; every test runs in a transaction that is rolled back."""

from __future__ import annotations

import os

import pytest

frappe = pytest.importorskip(
	"frappe", reason="the integration tier runs inside a Frappe bench (scripts/test)"
)

SITE = os.environ.get("COMPLAINT_TEST_SITE", "test.complaint.localhost")
SITES_PATH = os.environ.get("COMPLAINT_SITES_PATH", os.path.join(os.getcwd(), "..", "..", "sites"))
CACHED_DOCS = ("Complaint Settings", "SMS Settings", "Complaint Triage Settings")


@pytest.fixture(scope="session", autouse=True)
def site():
	# under Frappe's own runner (bench run-tests) the site is connected already: use it as it is
	owns_connection = not getattr(frappe.local, "site", None)
	if owns_connection:
		frappe.init(site=SITE, sites_path=SITES_PATH)
		frappe.connect()
	frappe.flags.in_test = True
	frappe.flags.mute_emails = False
	frappe.set_user("Administrator")
	# Frappe code commits in places (saving some settings, workflow actions); inside a test
	# that would leak data into the next test, so commits become no-ops for the session.
	real_commit = frappe.db.commit
	frappe.db.commit = lambda *args, **kwargs: None
	frappe.flags.complaint_real_commit = real_commit
	yield frappe.local.site
	frappe.db.rollback()
	frappe.db.commit = real_commit
	if owns_connection:
		frappe.destroy()


@pytest.fixture(scope="session", autouse=True)
def no_web_server(site):
	"""CI runs with no web server: point the site's URL at a closed port so that anything that
	would fetch from it (a PDF's stylesheet, say) fails here too, even with a desk being served."""
	import socket

	# a port nothing listens on (browsers, wkhtmltopdf too, skip "unsafe" ports like 9 silently)
	with socket.socket() as probe:
		probe.bind(("127.0.0.1", 0))
		port = probe.getsockname()[1]
	previous = frappe.local.conf.get("host_name")
	frappe.local.conf.host_name = f"http://127.0.0.1:{port}"
	yield
	frappe.local.conf.host_name = previous


@pytest.fixture(autouse=True)
def rollback():
	reset()
	yield
	reset()


def reset() -> None:
	"""A clean slate around every test, also after module-scoped fixtures (a demo load) ran."""
	frappe.db.rollback()
	frappe.set_user("Administrator")
	frappe.local.lang = "en"
	for name in CACHED_DOCS:
		frappe.clear_document_cache(name, name)
	frappe.db.value_cache.clear()
	frappe.cache().delete_value("complaint_triage_lexicons")  # a rolled-back lexicon must not linger
	# Frappe memoises the outgoing email account per process; a rolled-back account must not linger
	if hasattr(frappe.local, "outgoing_email_account"):
		del frappe.local.outgoing_email_account
	frappe.local.message_log = []


HANDLING_ROLES = (
	"Complaint Agent",
	"Complaint Supervisor",
	"Complaint Manager",
	"Department Manager",
	"Operations Manager",
	"Risk Manager",
)


@pytest.fixture(autouse=True)
def no_other_handlers(rollback):
	"""Users the site already has (the setup wizard's admin holds every role) lose their
	handling roles for the test, so assignment picks among the users the test creates."""
	has_role = frappe.qb.DocType("Has Role")
	holders = (
		frappe.qb.from_(has_role)
		.select(has_role.parent)
		.distinct()
		.where(has_role.role.isin(HANDLING_ROLES))
		.where(has_role.parenttype == "User")
		.where(has_role.parent.notin(["Administrator", "Guest"]))
		.run(pluck=True)
	)
	if holders:
		frappe.qb.from_(has_role).delete().where(has_role.role.isin(HANDLING_ROLES)).where(
			has_role.parent.isin(holders)
		).run()
		for user in holders:
			frappe.clear_cache(user=user)


@pytest.fixture
def as_user():
	"""Switch the session user for the rest of the test."""

	def switch(user: str) -> None:
		frappe.set_user(user)

	return switch


@pytest.fixture
def settings():
	"""Change Complaint Settings for one test (rolled back afterwards)."""

	def update(**values):
		doc = frappe.get_single("Complaint Settings")
		doc.update(values)
		doc.flags.ignore_permissions = True
		doc.save()
		frappe.clear_document_cache("Complaint Settings", "Complaint Settings")
		return doc

	return update


@pytest.fixture
def committed():
	"""For tests that need other connections to see their data (concurrency): commits for real,
	and deletes what the test registered afterwards."""
	created: list[tuple[str, str]] = []

	class Committed:
		def commit(self):
			frappe.flags.complaint_real_commit()

		def track(self, doctype: str, name: str):
			created.append((doctype, name))

	yield Committed()
	frappe.db.rollback()
	# straight deletes: complaints refuse deletion through the ORM while their evidence is retained
	for doctype, name in reversed(created):
		if doctype == "Complaint":
			_delete_records_of_complaint(name)
		for child in frappe.get_meta(doctype).get_table_fields():
			frappe.db.delete(child.options, {"parent": name, "parenttype": doctype})
		frappe.db.delete(doctype, {"name": name})
	frappe.flags.complaint_real_commit()


def _delete_records_of_complaint(name: str) -> None:
	"""What the app made for a committed complaint by itself (triage feedback, its customer…)."""
	customer = frappe.db.get_value("Complaint", name, "customer")
	for doctype in frappe.get_all(
		"DocType", filters={"module": "Complaint Management", "istable": 0, "issingle": 0}, pluck="name"
	):
		field = frappe.get_meta(doctype).get_field("complaint")
		if field and field.fieldtype == "Link" and field.options == "Complaint":
			frappe.db.delete(doctype, {"complaint": name})
	if customer and not frappe.db.exists("Complaint", {"customer": customer, "name": ["!=", name]}):
		frappe.db.delete("Complaint Customer", {"name": customer})


@pytest.fixture
def outbox():
	"""An outgoing email account (queued mail is never sent: nothing listens on its port)."""
	account = frappe.get_doc(
		{
			"doctype": "Email Account",
			"email_account_name": "Complaints Outbox",
			"email_id": "complaints@test.complaint.localhost",
			"enable_outgoing": 1,
			"default_outgoing": 1,
			"smtp_server": "127.0.0.1",
			"smtp_port": 2525,
			"no_smtp_authentication": 1,
		}
	)
	account.flags.ignore_validate = True
	return account.insert()
