"""Install, migrate and uninstall hooks.

Default records (workflow, channels, complaint types, departments, priority rules, email
templates) are inserted only when missing: an admin's later changes in the desk survive
every migrate. Roles are real fixtures (``fixtures/role.json``).
"""

from __future__ import annotations

import json
import os

import frappe

from complaint_mgmt.engine import regions
from complaint_mgmt.engine.analytics import DEFAULT_ALERT_ROLES, DEFAULT_REPORT_ROLES, DEFAULT_TARGETS
from complaint_mgmt.engine.approval import DEFAULT_APPROVAL_MATRIX
from complaint_mgmt.engine.compensation import DEFAULT_COMPENSATION_CAPS, DEFAULT_SCENARIO_MATRIX
from complaint_mgmt.engine.defaults import (
	DEFAULT_AT_RISK_PERCENT,
	DEFAULT_ESCALATION_LEVELS,
	DEFAULT_PAUSE_STATES,
	DEFAULT_SLA_TARGETS,
	MILESTONES,
)
from complaint_mgmt.engine.priority import DEFAULT_PRIORITY_RULES
from complaint_mgmt.engine.recovery import DEFAULT_SUGGESTION_RULES
from complaint_mgmt.engine.triage_defaults import DEFAULT_LEXICONS
from complaint_mgmt.services import access_log
from complaint_mgmt.services.compensation import REMEDY_CODES

DEFAULTS_DIR = os.path.join(os.path.dirname(__file__), "fixtures", "defaults")
WORKFLOWS = {
	"Complaint Workflow": "workflow.json",
	"Compensation Workflow": "compensation_workflow.json",
	"Complaint Improvement Action Workflow": "capa_workflow.json",
	"Recovery Plan Workflow": "recovery_plan_workflow.json",
}


def _load(name: str):
	with open(os.path.join(DEFAULTS_DIR, name), encoding="utf-8") as fh:
		return json.load(fh)


def before_install() -> None:
	"""Records the settings' defaults link to must exist before Frappe stores those defaults."""
	seed_workflow_states()
	seed_email_templates()


def after_install() -> None:
	seed_defaults()
	seed_access_log_roles()


def after_migrate() -> None:
	seed_defaults()
	access_log.sync_report_roles()


def seed_defaults() -> None:
	seed_workflow()
	seed_records("Complaint Department", "department_name", _load("complaint_department.json"))
	seed_records("Complaint Channel", "channel_name", _load("complaint_channel.json"))
	seed_complaint_types()
	seed_priority_rules()
	seed_sla()
	seed_compensation_policy()
	seed_email_templates()
	seed_settings()
	seed_default_currency()
	seed_triage()
	seed_analytics_settings()
	seed_dashboard()
	seed_recovery_rules()


def seed_records(doctype: str, key: str, rows: list[dict]) -> None:
	existing = set(frappe.get_all(doctype, pluck="name"))
	for row in rows:
		if row[key] not in existing:
			frappe.get_doc({"doctype": doctype, **row}).insert(ignore_permissions=True)


def seed_complaint_types() -> None:
	# parents come first in the file, so the tree is built top-down
	seed_records("Complaint Type", "complaint_type_name", _load("complaint_type.json"))


def seed_priority_rules() -> None:
	if frappe.db.count("Complaint Priority Rule"):
		return
	for rule in DEFAULT_PRIORITY_RULES:
		frappe.get_doc({"doctype": "Complaint Priority Rule", **rule}).insert(ignore_permissions=True)


def seed_recovery_rules() -> None:
	if frappe.db.count("Recovery Suggestion Rule"):
		return
	for rule in DEFAULT_SUGGESTION_RULES:
		frappe.get_doc({"doctype": "Recovery Suggestion Rule", **rule}).insert(ignore_permissions=True)


def seed_sla() -> None:
	if not frappe.db.exists("Complaint Business Calendar", "24x7"):
		frappe.get_doc(
			{"doctype": "Complaint Business Calendar", "calendar_name": "24x7", "always_open": 1}
		).insert(ignore_permissions=True)
	if not frappe.db.count("Complaint SLA Policy"):
		frappe.get_doc(
			{
				"doctype": "Complaint SLA Policy",
				"policy_name": "Standard",
				"is_default": 1,
				"calendar": "24x7",
				"at_risk_percent": DEFAULT_AT_RISK_PERCENT,
				"targets": [
					{"milestone": milestone, "priority": priority, "target_hours": hours}
					for milestone, by_priority in DEFAULT_SLA_TARGETS.items()
					for priority, hours in by_priority.items()
				],
				"pause_states": [{"workflow_state": state} for state in DEFAULT_PAUSE_STATES],
			}
		).insert(ignore_permissions=True)
	if not frappe.db.count("Complaint Escalation Rule"):
		for milestone in MILESTONES:
			frappe.get_doc(
				{
					"doctype": "Complaint Escalation Rule",
					"rule_name": f"{milestone} escalation",
					"milestone": milestone,
					"levels": list(DEFAULT_ESCALATION_LEVELS),
				}
			).insert(ignore_permissions=True)


def seed_workflow_states() -> None:
	for filename in WORKFLOWS.values():
		data = _load(filename)
		for state in data["states"]:
			if not frappe.db.exists("Workflow State", state["workflow_state_name"]):
				frappe.get_doc({"doctype": "Workflow State", **state}).insert(ignore_permissions=True)
		for action in data["actions"]:
			if not frappe.db.exists("Workflow Action Master", action):
				frappe.get_doc({"doctype": "Workflow Action Master", "workflow_action_name": action}).insert(
					ignore_permissions=True
				)


def seed_workflow() -> None:
	seed_workflow_states()
	for name, filename in WORKFLOWS.items():
		if not frappe.db.exists("Workflow", name):
			frappe.get_doc(_load(filename)["workflow"]).insert(ignore_permissions=True)


def seed_compensation_policy() -> None:
	labels = {code: label for label, code in REMEDY_CODES.items()}
	if not frappe.db.count("Compensation Scenario"):
		for row in DEFAULT_SCENARIO_MATRIX:
			frappe.get_doc(
				{
					"doctype": "Compensation Scenario",
					"scenario": row["complaint_type"],
					"remedy": labels[row["remedy"]],
					"basis": row["basis"],
					"percent": row["percent"],
					"percent_min": row["percent_min"],
					"percent_max": row["percent_max"],
					"amount": row["amount"],
					"equal_to": labels.get(row["equal_to"]) if row["equal_to"] else None,
					"optional": row["optional"],
					"customer_tiers": row["customer_tiers"],
				}
			).insert(ignore_permissions=True)
	if not frappe.db.count("Compensation Cap"):
		for row in DEFAULT_COMPENSATION_CAPS:
			frappe.get_doc(
				{
					"doctype": "Compensation Cap",
					**row,
					"remedy": labels.get(row["remedy"]) if row["remedy"] else None,
				}
			).insert(ignore_permissions=True)
	if not frappe.db.count("Compensation Approval Level"):
		# top level first: every level is checked against the matrix saved so far
		for row in reversed(DEFAULT_APPROVAL_MATRIX):
			frappe.get_doc(
				{
					"doctype": "Compensation Approval Level",
					"level_name": row["name"],
					"role": row["role"],
					"rank": row["rank"],
					"max_amount": row["max_amount"],
					"required_for": "\n".join(row["required_for"]),
				}
			).insert(ignore_permissions=True)


def seed_email_templates() -> None:
	for name, lang in (("Complaint Acknowledgement", "en"), ("Complaint Acknowledgement (zh)", "zh")):
		if frappe.db.exists("Email Template", name):
			continue
		with open(os.path.join(DEFAULTS_DIR, f"ack_email_{lang}.html"), encoding="utf-8") as fh:
			body = fh.read()
		subject = (
			"已收到您的投诉 {{ doc.name }}"
			if lang == "zh"
			else "We have received your complaint {{ doc.name }}"
		)
		frappe.get_doc(
			{
				"doctype": "Email Template",
				"name": name,
				"subject": subject,
				"use_html": 1,
				"response_html": body,
			}
		).insert(ignore_permissions=True)


# settings that point at a seeded record: no JSON default (Frappe stores the defaults of a new
# Single before after_install seeds the records), filled here while empty
SEEDED_SETTING_LINKS = {"portal_channel": ("Complaint Channel", "Customer Portal")}


def seed_settings() -> None:
	"""Give every setting never stored yet its default (a field added by an upgrade included)."""
	stored = frappe.db.get_singles_dict("Complaint Settings")
	settings = frappe.get_single("Complaint Settings")
	missing = [df for df in settings.meta.fields if df.default and df.fieldname not in stored]
	links = {
		field: name
		for field, (doctype, name) in SEEDED_SETTING_LINKS.items()
		if not stored.get(field) and frappe.db.exists(doctype, name)
	}
	if not (missing or links):
		return
	for df in missing:
		settings.set(df.fieldname, df.default)
	settings.update(links)
	settings.flags.ignore_mandatory = True
	settings.flags.ignore_validate = True  # only defaults are filled; the admin's values stay as they are
	settings.save(ignore_permissions=True)


def seed_default_currency() -> None:
	"""A site without a default currency (frappe alone: its setup wizard stores none) shows amounts
	in reports with the currency of the compensations, not the first one in Frappe's list."""
	if not frappe.db.get_default("currency"):
		currency = frappe.db.get_single_value("Complaint Settings", "compensation_currency")
		if currency:
			frappe.db.set_default("currency", currency)


def seed_triage() -> None:
	"""The triage lexicons missing by name, and the triage settings never stored yet."""
	types = set(frappe.get_all("Complaint Type", pluck="name"))
	# a type hint only for a type the site still has
	rows = [row for row in DEFAULT_LEXICONS if row.get("complaint_type", "") in types | {""}]
	seed_records("Complaint Triage Lexicon", "lexicon_name", rows)
	stored = frappe.db.get_singles_dict("Complaint Triage Settings")
	settings = frappe.get_single("Complaint Triage Settings")
	missing = [df for df in settings.meta.fields if df.default and df.fieldname not in stored]
	if not stored.get("fallback_type") and "Other Complaint" in types:
		missing.append(frappe._dict(fieldname="fallback_type", default="Other Complaint"))
	if missing:
		for df in missing:
			settings.set(df.fieldname, df.default)
		settings.flags.ignore_validate = True  # only defaults are filled
		settings.save(ignore_permissions=True)


ANALYTICS_TABLES_SEEDED = "complaint_mgmt_analytics_tables_seeded"


def seed_analytics_settings() -> None:
	"""Defaults of Complaint Analytics Settings never stored yet; the targets, the roles told of
	alerts and sent the monthly report, and the region map once per site, each while empty (an admin
	may empty them later: a marker in the site's defaults remembers they were given). Frappe stores a
	Single's field defaults when it creates the DocType, so "nothing stored yet" cannot tell."""
	settings = frappe.get_single("Complaint Analytics Settings")
	stored = frappe.db.get_singles_dict("Complaint Analytics Settings")
	missing = [df for df in settings.meta.fields if df.default and df.fieldname not in stored]
	tables = {}
	if not frappe.db.get_default(ANALYTICS_TABLES_SEEDED):
		defaults = {
			"targets": [{"milestone": m, "priority": p, "target_percent": t} for m, p, t in DEFAULT_TARGETS],
			"alert_roles": [{"role": role} for role in DEFAULT_ALERT_ROLES],
			"report_roles": [{"role": role} for role in DEFAULT_REPORT_ROLES],
			"region_map": [{"branch_prefix": p, "region": r} for p, r in regions.default_map()],
		}
		tables = {field: rows for field, rows in defaults.items() if not settings.get(field)}
	if missing or tables:
		for df in missing:
			settings.set(df.fieldname, df.default)
		for field, rows in tables.items():
			settings.set(field, rows)
		settings.save(ignore_permissions=True)
	frappe.db.set_default(ANALYTICS_TABLES_SEEDED, 1)


def seed_dashboard() -> None:
	"""The workspace's Number Cards and Dashboard Charts, each only while missing."""
	data = _load("dashboard.json")
	for card in data["number_cards"]:
		if not frappe.db.exists("Number Card", card["label"]):
			frappe.get_doc(
				{
					"doctype": "Number Card",
					"type": "Custom",
					"is_public": 1,
					"module": "Complaint Management",
					**card,
				}
			).insert(ignore_permissions=True)
	for chart in data["charts"]:
		if not frappe.db.exists("Dashboard Chart", chart["chart_name"]):
			frappe.get_doc(
				{"doctype": "Dashboard Chart", "is_public": 1, "module": "Complaint Management", **chart}
			).insert(ignore_permissions=True)


ACCESS_LOG_ROLES = ("Complaint Manager", "Complaint Admin")


def seed_access_log_roles() -> None:
	"""Once per site (install, or the patch that brought the setting): who reads the access log."""
	settings = frappe.get_single("Complaint Settings")
	if settings.access_log_roles:
		return
	settings.set("access_log_roles", [{"role": role} for role in ACCESS_LOG_ROLES])
	settings.flags.ignore_mandatory = True
	settings.save(ignore_permissions=True)


def before_uninstall() -> None:
	"""Remove the records the app seeded outside its own DocTypes."""
	for name in WORKFLOWS:
		if frappe.db.exists("Workflow", name):
			frappe.delete_doc("Workflow", name, ignore_permissions=True, force=True)
	for name in ("Complaint Acknowledgement", "Complaint Acknowledgement (zh)"):
		if frappe.db.exists("Email Template", name):
			frappe.delete_doc("Email Template", name, ignore_permissions=True, force=True)
