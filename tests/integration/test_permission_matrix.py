"""Every role of the app × every DocType of the app × every access path, checked against the
table in docs/admin.md (issue 10). The table is the specification: a change of access shows up
here as a failing cell; the test then writes the table it found to ``MATRIX_OUT``: after a
deliberate change of access, paste that file between the markers of docs/admin.md."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import frappe
import pytest
from frappe.core.doctype.file.utils import find_file_by_url
from frappe.model.workflow import apply_workflow

from complaint_mgmt.services import recovery_plans
from tests.factories.access import handled_by
from tests.factories.doctypes import (
	CompensationFactory,
	ComplaintIncidentFactory,
	ComplaintInvestigationFactory,
	ComplaintSurveyFactory,
	UserFactory,
)
from tests.integration.test_survey import closed_complaint

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs" / "admin.md"
START, END = "<!-- permission-matrix:start -->", "<!-- permission-matrix:end -->"
CUSTOMER = "Customer (website user)"
# access path → its letter in the table
PATHS = {
	"L": "list (get_list)",
	"G": "get (REST / frappe.client.get)",
	"U": "update (save)",
	"D": "delete",
	"R": "report view (frappe.desk.reportview.get)",
	"P": "print view (frappe.www.printview)",
	"F": "download of a private file attached to the record",
	"A": "the app's whitelisted APIs that change the record",
}
NOTHING = "—"
MATRIX_OUT = Path(tempfile.gettempdir()) / "complaint-permission-matrix.md"


def app_roles() -> list[str]:
	with open(ROOT / "complaint_mgmt" / "fixtures" / "role.json", encoding="utf-8") as fh:
		return [row["role_name"] for row in json.load(fh)] + [CUSTOMER]


def app_doctypes() -> list[str]:
	return frappe.get_all(
		"DocType", filters={"module": "Complaint Management", "istable": 0}, pluck="name", order_by="name"
	)


def read_table() -> dict[tuple[str, str], str]:
	text = DOCS.read_text(encoding="utf-8")
	body = text[text.index(START) + len(START) : text.index(END)].strip().splitlines()
	if not body:
		return {}
	header = [cell.strip() for cell in body[0].strip("|").split("|")]
	table = {}
	for line in body[2:]:
		cells = [cell.strip() for cell in line.strip("|").split("|")]
		for role, cell in zip(header[1:], cells[1:], strict=True):
			table[(cells[0], role)] = "" if cell == NOTHING else cell
	return table


def render_table(outcomes: dict[tuple[str, str], str], doctypes, roles) -> str:
	lines = ["| DocType | " + " | ".join(roles) + " |", "|---" * (len(roles) + 1) + "|"]
	for doctype in doctypes:
		lines.append(
			f"| {doctype} | " + " | ".join(outcomes[(doctype, role)] or NOTHING for role in roles) + " |"
		)
	return "\n".join(lines)


# ------------------------------------------------------------------ the records checked
def scenario() -> dict[str, str]:
	"""One record of every DocType. Records of complaints belong to a complaint handled by an
	agent who is none of the users checked, in no department: what the record rules guard."""
	handler = UserFactory(roles=["Complaint Agent"]).name
	complaint = handled_by(handler, complaint_type="Damaged", goods_value=800, freight=30)
	frappe.db.set_value("Complaint", complaint.name, "workflow_state", "Investigating", update_modified=False)
	compensation = CompensationFactory(complaint=complaint.name, lines=[{"remedy": "Voucher", "amount": 100}])
	apply_workflow(frappe.get_doc("Compensation", compensation.name), "Submit for Approval")
	incident = ComplaintIncidentFactory()
	frappe.db.set_value("Complaint", complaint.name, "incident", incident.name, update_modified=False)
	closed = handled_by(handler, complaint=closed_complaint())
	records = {
		"Complaint": complaint.name,
		"Compensation": compensation.name,
		"Complaint Investigation": ComplaintInvestigationFactory(complaint=complaint.name).name,
		"Complaint Survey": ComplaintSurveyFactory(complaint=closed.name).name,
		"Complaint Incident": incident.name,
		"Complaint Triage Feedback": frappe.get_doc(
			{
				"doctype": "Complaint Triage Feedback",
				"complaint": complaint.name,
				"outcome": "Overridden",
				"source": "Rules",
				"suggested_type": "Parcel Lost",
				"chosen_type": "Damaged",
			}
		)
		.insert(ignore_permissions=True)
		.name,
		"Complaint Escalation": frappe.get_doc(
			{
				"doctype": "Complaint Escalation",
				"complaint": complaint.name,
				"milestone": "Resolution",
				"level": 1,
			}
		)
		.insert(ignore_permissions=True)
		.name,
		**customer_records(complaint),
		"Recovery Plan": recovery_plans.create_plan(closed.name),
		"Customer Recovery Stat": closed.name,  # the recovery rollup's row of the closed complaint
	}
	alert = frappe.get_doc(
		{"doctype": "Complaint Alert", "dimension": "Route", "key_value": "上海-北京", "rule": "Sudden Jump"}
	)
	alert.db_insert()
	records["Complaint Alert"] = alert.name
	records["Complaint Improvement Action"] = (
		frappe.get_doc(
			{
				"doctype": "Complaint Improvement Action",
				"title": "上海-北京 延误",
				"problem": "延误投诉突增",
				"action": "增加班次",
				"action_owner": handler,
				"due_date": "2030-01-01",
			}
		)
		.insert(ignore_permissions=True)
		.name
	)
	report = frappe.get_doc({"doctype": "Complaint Analysis Report", "month": "2020-01-01"})
	report.db_insert()
	records["Complaint Analysis Report"] = report.name
	for doctype in app_doctypes():
		if doctype in records:
			continue
		if frappe.get_meta(doctype).issingle:
			records[doctype] = doctype
		else:
			# a DocType without records yet (requests made later): checked on the DocType alone
			records[doctype] = next(
				iter(frappe.get_all(doctype, order_by="creation asc", limit=1, pluck="name")), None
			)
	return records


def customer_records(complaint) -> dict[str, str]:
	"""Issue 12: the complaint's customer, a shipment, a voucher and its redemption."""
	from complaint_mgmt.services import shipments, vouchers

	waybill = f"SFMATRIX{frappe.generate_hash(length=8)}"
	shipments.ingest(
		[{"waybill_no": waybill, "customer": complaint.customer_phone, "shipped_at": "2026-01-05 10:00:00"}]
	)
	voucher = vouchers.issue(complaint.customer, 20)
	redeemed = vouchers.issue(complaint.customer, 20)
	code = frappe.db.get_value("Complaint Voucher", redeemed, "code")
	return {
		"Complaint Customer": complaint.customer,
		"Customer Shipment": waybill,
		"Complaint Voucher": voucher,
		"Voucher Redemption": vouchers.redeem(code, waybill)["redemption"],
	}


def attach_private_file(doctype: str, name: str) -> str:
	return (
		frappe.get_doc(
			{
				"doctype": "File",
				"file_name": "matrix.txt",
				"content": f"matrix {doctype} {frappe.generate_hash()}",
				"is_private": 1,
				"attached_to_doctype": doctype,
				"attached_to_name": name,
			}
		)
		.insert(ignore_permissions=True)
		.file_url
	)


def app_apis(doctype: str, name: str) -> list:
	from complaint_mgmt.api import compensation, complaint, vouchers

	if doctype == "Complaint":
		priority = frappe.db.get_value("Complaint", name, "priority")
		return [lambda: complaint.change_priority(name, priority)]
	if doctype == "Compensation":
		return [lambda: compensation.suggest(name), lambda: compensation.record_acceptance(name)]
	if doctype == "Complaint Voucher":
		return [lambda: vouchers.cancel(name)]
	if doctype == "Complaint Investigation":
		return [lambda: compensation.submit_investigation_report(name)]
	return []


# ------------------------------------------------------------------ one user, one record
def attempt(action) -> str:
	"""'ok', 'denied' (a permission refusal) or 'refused' (allowed, stopped by a business rule);
	whatever it changed is rolled back."""
	frappe.db.savepoint("matrix")
	try:
		return "ok" if action() is not False else "denied"
	except frappe.PermissionError:
		return "denied"
	except frappe.ValidationError:
		return "refused"
	finally:
		frappe.db.rollback(save_point="matrix")
		frappe.local.message_log = []


def listed(doctype: str, name: str) -> bool:
	return name in frappe.get_list(doctype, filters={"name": name}, pluck="name")


def in_report(doctype: str, name: str) -> bool:
	from frappe.desk.reportview import get

	frappe.local.form_dict = frappe._dict(
		doctype=doctype, fields=json.dumps([f"`tab{doctype}`.`name`"]), filters=json.dumps({"name": name})
	)
	result = get()
	return bool(result and name in json.dumps(result.get("values", [])))


def printed(doctype: str, name: str) -> bool:
	from frappe.www.printview import get_html_and_style

	return bool(get_html_and_style(doctype, name)["html"])


def outcome_without_record(doctype: str) -> str:
	checks = {
		"L": lambda: frappe.get_list(doctype, limit=1) is not None,
		"D": lambda: frappe.has_permission(doctype, "delete"),
		"R": lambda: frappe.has_permission(doctype, "report"),
	}
	return "".join(code for code, check in checks.items() if attempt(check) == "ok")


def outcome(doctype: str, name: str | None, file_url: str | None) -> str:
	if name is None:
		return outcome_without_record(doctype)
	single = frappe.get_meta(doctype).issingle
	checks = {
		"L": None if single else lambda: listed(doctype, name),
		"G": lambda: bool(frappe.client.get(doctype, name)),
		"U": lambda: frappe.get_doc(doctype, name).save(),
		"D": lambda: frappe.has_permission(doctype, "delete", doc=name),
		"R": None if single else lambda: in_report(doctype, name),
		"P": lambda: printed(doctype, name),
		"F": lambda: find_file_by_url(file_url) is not None,
	}
	codes = []
	for code, check in checks.items():
		result = attempt(check) if check else "denied"
		if result == "ok":
			codes.append(code)
		elif result == "refused":
			codes.append(code.lower())
	apis = [attempt(call) for call in app_apis(doctype, name)]
	if apis and "denied" not in apis:
		codes.append("A")
	elif apis and set(apis) != {"denied"}:
		codes.append("a")
	return "".join(codes)


@pytest.fixture
def users() -> dict[str, str]:
	people = {role: UserFactory(roles=[role]).name for role in app_roles() if role != CUSTOMER}
	people[CUSTOMER] = UserFactory(user_type="Website User").name
	return people


def test_every_role_reaches_every_doctype_as_the_admin_guide_says(users, as_user):
	doctypes, roles = app_doctypes(), app_roles()
	expected = read_table()
	records = scenario()
	files = {doctype: name and attach_private_file(doctype, name) for doctype, name in records.items()}
	outcomes = {}
	for role in roles:
		as_user(users[role])
		for doctype in doctypes:
			outcomes[(doctype, role)] = outcome(doctype, records[doctype], files[doctype])
	as_user("Administrator")
	table = render_table(outcomes, doctypes, roles)
	if outcomes != expected:
		MATRIX_OUT.write_text(table + "\n", encoding="utf-8")
	assert {d for d, _ in expected} == set(doctypes), "docs/admin.md lists other DocTypes than the app has"
	assert {r for _, r in expected} == set(roles), "docs/admin.md lists other roles than the app has"
	wrong = sorted(k for k in outcomes if outcomes[k] != expected[k])
	assert not wrong, f"cells that differ from docs/admin.md (doctype, role), table in {MATRIX_OUT}: {wrong}"
