"""Every whitelisted endpoint of the app checks permission on the record it changes (issue 10:
related records). A user who does not reach a complaint is refused by each endpoint and nothing
changes. A new endpoint fails the first test until it gets a refusal case here, or is listed as
guest-facing with what guards it."""

from __future__ import annotations

import importlib
import pkgutil

import frappe
import pytest

from tests.factories.access import handled_by
from tests.factories.doctypes import CompensationFactory, ComplaintInvestigationFactory, UserFactory

# endpoints a guest may call: what guards each of them instead of a record permission
GUEST_FACING = {
	"complaint_mgmt.api.portal.track": "the complaint number with the customer's phone or email",
	"complaint_mgmt.api.portal.answer_survey": "the survey's secret key",
	"complaint_mgmt.api.portal.handling_notice": "the notice's secret key",
	"complaint_mgmt.api.portal.accept_web_form": "Frappe's web form rules; answers only the number",
}
# endpoints that only read, within the reader's record rule; where that is tested
READERS = {
	"complaint_mgmt.api.complaint.search": "test_personal_fields",
	**{
		f"complaint_mgmt.api.dashboard.{card}": "test_analytics_dashboard"
		for card in (
			"todays_intake",
			"open_urgent",
			"at_risk",
			"breached",
			"sla_attainment_this_month",
			"average_score_this_month",
		)
	},
}
# the workspace's Number Cards: read-only counts within the record rules, tested in
# test_analytics_dashboard
DASHBOARD_CARDS = {
	f"complaint_mgmt.api.dashboard.{name}"
	for name in (
		"todays_intake",
		"open_urgent",
		"at_risk",
		"breached",
		"sla_attainment_this_month",
		"average_score_this_month",
	)
}


def _api(path: str):
	module, name = path.rsplit(".", 1)
	return getattr(importlib.import_module(module), name)


def _doc_method(doctype: str, method: str):
	return lambda name, **kwargs: getattr(frappe.get_doc(doctype, name), method)(**kwargs)


# endpoint → (what it is called on, how the outsider calls it)
CASES = {
	"complaint_mgmt.api.complaint.change_priority": ("complaint", lambda r: {"priority": "Urgent"}),
	"complaint_mgmt.api.complaint.create": ("none", lambda r: {"intake_reference": "X-1", "subject": "x"}),
	"complaint_mgmt.api.complaint.grant_extension": ("complaint", lambda r: {"hours": 4, "reason": "r"}),
	"complaint_mgmt.api.complaint.record_acknowledgement": ("complaint", lambda r: {"via": "Phone"}),
	"complaint_mgmt.api.compensation.suggest": ("compensation", lambda r: {}),
	"complaint_mgmt.api.compensation.record_objection": ("compensation", lambda r: {"reason": "r"}),
	"complaint_mgmt.api.compensation.record_reevaluation": (
		"compensation",
		lambda r: {"outcome": "Upheld", "note": "n"},
	),
	"complaint_mgmt.api.compensation.record_payment_failure": (
		"compensation",
		lambda r: {"reason": "r", "new_date": "2030-01-01"},
	),
	"complaint_mgmt.api.compensation.record_done": ("compensation", lambda r: {"line": "1"}),
	"complaint_mgmt.api.compensation.send_handling_notice": ("complaint", lambda r: {}),
	"complaint_mgmt.api.compensation.submit_investigation_report": ("investigation", lambda r: {}),
	"complaint_mgmt.api.compensation.request_customer_evidence": ("investigation", lambda r: {}),
	"complaint_mgmt.api.compensation.record_acceptance": ("compensation", lambda r: {}),
	"complaint_mgmt.api.importing.start": ("import", lambda r: {}),
	"complaint_mgmt.api.triage.suggest": ("none", lambda r: {"subject": "x", "description": "快递延误"}),
	"complaint_mgmt.api.triage.similar": ("complaint", lambda r: {}),
	"complaint_mgmt.api.triage.link_duplicate": ("complaint", lambda r: {"original": r["complaint"]}),
	"complaint_mgmt.api.triage.link_incident": ("complaint", lambda r: {"incident": "x"}),
	"complaint_mgmt.api.analytics.raise_action": ("alert", lambda r: {}),
	"complaint_mgmt.api.recovery.create_plan": ("complaint", lambda r: {}),
	"complaint_mgmt.api.shipments.ingest": ("none", lambda r: {"shipments": "[]"}),
	"complaint_mgmt.api.shipments.import_csv": ("none", lambda r: {"file_url": "/private/files/x.csv"}),
	"complaint_mgmt.api.vouchers.redeem": ("none", lambda r: {"code": "NOPE", "waybill_no": "SF1"}),
	"complaint_mgmt.api.vouchers.approve": ("voucher", lambda r: {}),
	"complaint_mgmt.api.vouchers.cancel": ("voucher", lambda r: {}),
	"complaint_mgmt.api.analytics.generate_report": ("none", lambda r: {"month": "2020-06-01"}),
	"ComplaintPurgeRequest.approve": ("purge", lambda r: {}),
	"ComplaintPurgeRequest.reject": ("purge", lambda r: {"reason": "r"}),
}
DOC_METHODS = {
	"ComplaintPurgeRequest.approve": _doc_method("Complaint Purge Request", "approve"),
	"ComplaintPurgeRequest.reject": _doc_method("Complaint Purge Request", "reject"),
}
# who is refused: an agent who does not handle the complaint; for creating, an account without the role
CREATORS_ONLY = {
	"complaint_mgmt.api.complaint.create",
	"complaint_mgmt.api.triage.suggest",
	"complaint_mgmt.api.shipments.ingest",
	"complaint_mgmt.api.shipments.import_csv",
	"complaint_mgmt.api.vouchers.redeem",
}
TARGETS = {
	"complaint": "Complaint",
	"compensation": "Compensation",
	"investigation": "Complaint Investigation",
	"import": "Complaint Import",
	"purge": "Complaint Purge Request",
	"alert": "Complaint Alert",
	"voucher": "Complaint Voucher",
}


def app_endpoints() -> set[str]:
	"""Dotted paths of the app's whitelisted functions (api modules) and document methods."""
	import complaint_mgmt.api as api

	for module in pkgutil.iter_modules(api.__path__):
		importlib.import_module(f"complaint_mgmt.api.{module.name}")
	for doctype in frappe.get_all("DocType", filters={"module": "Complaint Management"}, pluck="name"):
		frappe.get_doc({"doctype": doctype})  # imports the controller
	found = set()
	for fn in frappe.whitelisted:
		if not fn.__module__.startswith("complaint_mgmt."):
			continue
		qualname = fn.__qualname__
		found.add(qualname if "." in qualname else f"{fn.__module__}.{qualname}")
	return found


def test_every_endpoint_of_the_app_has_an_access_case_here():
	missing = app_endpoints() - set(CASES) - set(GUEST_FACING) - set(READERS) - DASHBOARD_CARDS
	assert not missing, f"whitelisted endpoints with no refusal case in this test: {sorted(missing)}"


@pytest.fixture
def records():
	owner = UserFactory(roles=["Complaint Agent"]).name
	complaint = handled_by(owner)
	compensation = CompensationFactory(complaint=complaint.name)
	investigation = ComplaintInvestigationFactory(complaint=complaint.name)
	import_doc = frappe.get_doc({"doctype": "Complaint Import", "status": "Not Started"})
	import_doc.db_insert()  # as if a file were attached
	purge = frappe.get_doc(
		{"doctype": "Complaint Purge Request", "reason": "yearly", "status": "Awaiting Approval"}
	)
	purge.db_insert()
	alert = frappe.get_doc(
		{"doctype": "Complaint Alert", "dimension": "Route", "key_value": "上海-北京", "rule": "Sudden Jump"}
	)
	alert.db_insert()
	voucher = frappe.get_doc(
		{
			"doctype": "Complaint Voucher",
			"kind": "Voucher",
			"customer": frappe.db.get_value("Complaint", complaint.name, "customer"),
			"complaint": complaint.name,
			"value": 500,
			"status": "Pending Approval",
		}
	)
	voucher.db_insert()
	return {
		"voucher": voucher.name,
		"complaint": complaint.name,
		"compensation": compensation.name,
		"investigation": investigation.name,
		"import": import_doc.name,
		"purge": purge.name,
		"alert": alert.name,
		"none": None,
	}


def _state(records) -> dict:
	return {
		key: frappe.db.get_value(doctype, records[key], ["modified", "docstatus"])
		for key, doctype in TARGETS.items()
	} | {"complaints": frappe.db.count("Complaint")}


@pytest.mark.parametrize("endpoint", sorted(CASES))
def test_a_user_who_does_not_reach_the_record_is_refused_and_nothing_changes(records, endpoint, as_user):
	target, arguments = CASES[endpoint]
	fn = DOC_METHODS.get(endpoint) or _api(endpoint)
	before = _state(records)
	if endpoint in CREATORS_ONLY:
		outsider = UserFactory(roles=[], user_type="Website User").name
	else:
		outsider = UserFactory(roles=["Complaint Agent"]).name
	as_user(outsider)
	name = records[target]
	with pytest.raises(frappe.PermissionError):
		fn(**arguments(records)) if name is None else fn(name, **arguments(records))
	as_user("Administrator")
	frappe.local.message_log = []
	assert _state(records) == before
