"""The Monthly Complaint Analysis Report (投诉分析报告, SPEC §9): generated for the previous month
by a monthly job (or on demand) as a record, with findings that each open an improvement action,
rendered to PDF with no web server and emailed to the roles set in Complaint Analytics Settings.

Figures come from the rollup as the system sees them (every complaint): the report is for the
roles that see every complaint.
"""

from __future__ import annotations

from datetime import date

import frappe
from frappe import _
from frappe.utils import (
	add_days,
	add_months,
	get_first_day,
	get_last_day,
	get_url,
	getdate,
	now_datetime,
	today,
)
from frappe.utils.pdf import get_pdf

from complaint_mgmt.engine import analytics as figures
from complaint_mgmt.services import analytics_query as q
from complaint_mgmt.services import notices
from complaint_mgmt.services.analysis_recovery import fill_recovery
from complaint_mgmt.services.assignment import users_with_role
from complaint_mgmt.utils import offline_html, svg_chart

DOCTYPE = "Complaint Analysis Report"
PRINT_FORMAT = "Complaint Analysis Report"
SYSTEM = "Administrator"


def _rows(start: date, end: date, grain: str, by: tuple[str, ...]) -> list[dict]:
	return q.rows({"from_date": str(start), "to_date": str(end)}, grain, by, user=SYSTEM)


def generate(month: str | date | None = None) -> str:
	"""The report of ``month`` (default: last month), created or brought up to date."""
	start = get_first_day(getdate(month) if month else add_months(getdate(today()), -1))
	end = get_last_day(start)
	name = frappe.db.get_value(DOCTYPE, {"month": start})
	doc = frappe.get_doc(DOCTYPE, name) if name else frappe.new_doc(DOCTYPE)
	doc.month, doc.to_date, doc.generated_at = start, end, now_datetime()
	settings = q.settings()
	fill_figures(doc, start, end)
	fill_recovery(doc, start, end, SYSTEM)
	fill_tables(doc, start, end, settings)
	fill_findings(doc, start, end, settings)
	doc.flags.ignore_permissions = True
	doc.save()
	return doc.name


def fill_figures(doc, start: date, end: date) -> None:
	sums = figures.total(_rows(start, end, "Type", ()))
	kpis = figures.kpis(sums)
	previous = figures.total(_rows(add_months(start, -1), add_days(start, -1), "Type", ()))
	doc.received, doc.previous_received = sums["received"], previous["received"]
	doc.change_percent = figures.ratio(sums["received"] - previous["received"], previous["received"])
	doc.closed = sums["closed"]
	doc.avg_handling_hours, doc.avg_response_hours = kpis["avg_handling_hours"], kpis["avg_response_hours"]
	doc.sla_attainment, doc.avg_score = kpis["sla_attainment"], kpis["avg_score"]
	doc.low_scores, doc.low_score_rate = sums["low_scores"], kpis["low_score_rate"]
	doc.compensations, doc.compensation_amount = sums["compensations"], sums["compensation_amount"]
	doc.reopen_rate, doc.escalations = kpis["reopen_rate"], sums["escalations"]
	doc.alerts = frappe.db.count("Complaint Alert", {"day": ["between", [start, end]]})
	daily = {getdate(r["day"]): r["received"] for r in _rows(start, end, "Type", ("day",))}
	days = figures.periods(start, end, "Day")
	doc.trend_chart = svg_chart.data_uri(
		svg_chart.line_chart(
			"投诉量趋势 Complaints received per day",
			[d.strftime("%m-%d") for d in days],
			[daily.get(d, 0) for d in days],
		)
	)


def fill_tables(doc, start: date, end: date, settings) -> None:
	top = settings.top_count or 5
	types = {
		r["complaint_type"] or _("Not Set"): r["received"]
		for r in _rows(start, end, "Type", ("complaint_type",))
	}
	doc.set(
		"top_types",
		[{"label": k, "count": c, "share": s} for k, c, s in figures.shares(types, top, _("Other"))],
	)
	routes = {r["node"]: r["received"] for r in _rows(start, end, "Route", ("node",)) if r["node"]}
	doc.set(
		"top_routes",
		[{"label": k, "count": c, "share": s} for k, c, s in figures.shares(routes, top, _("Other"))],
	)
	doc.type_chart = svg_chart.data_uri(
		svg_chart.bar_chart("投诉类型 Complaint types", [(row.label, row.count) for row in doc.top_types])
	)
	goal = {(t.milestone, t.priority): t.target_percent for t in settings.targets}
	lines = []
	per_priority = figures.group(_rows(start, end, "Type", ("priority",)), lambda r: r["priority"])
	for priority, total in per_priority.items():
		for milestone, target in ((m, goal.get((m, priority))) for _k, m in figures.MILESTONE_KEYS):
			actual = figures.attainment(total, milestone)
			if target is None or actual is None:
				continue
			key = figures.milestone_key(milestone)
			lines.append(
				{
					"label": f"{_(milestone)} / {_(priority)}",
					"count": total[f"{key}_met"] + total[f"{key}_breached"],
					"share": actual,
					"target": target,
					"result": _(figures.target_check(actual, target)),
				}
			)
	doc.set("sla_lines", lines)


def fill_findings(doc, start: date, end: date, settings) -> None:
	"""Routes holding at least the finding share of a top type's complaints ("route X: 30 % of
	delays"), and missed SLA targets; each finding keeps (or gets) its improvement action."""
	found = []
	by_route_type = _rows(start, end, "Route", ("node", "complaint_type"))
	minimum = settings.min_count or 5
	for row in doc.top_types:
		of_type = {
			r["node"]: r["received"] for r in by_route_type if r["complaint_type"] == row.label and r["node"]
		}
		for route, count, share in figures.shares(of_type):
			if share >= (settings.finding_share or 30) and count >= minimum:
				text = _("Route {0}: {1} % of the {2} complaints ({3} of {4})").format(
					route, share, _(row.label), int(count), int(row.count)
				)
				found.append((text, "Route", route, row.label))
	for line in doc.sla_lines:
		if line.result == _("Missed"):
			text = _("SLA {0}: {1} % met on time against a target of {2} %").format(
				line.label, line.share, line.target
			)
			found.append((text, "", "", None))
	previous = {(f.key_dimension or "", f.key_value or "", f.finding): f for f in doc.findings}
	rows = []
	for text, dimension, value, complaint_type in found:
		kept = previous.get((dimension, value, text))
		action = kept.improvement_action if kept else None
		rows.append(
			{
				"finding": text,
				"key_dimension": dimension,
				"key_value": value,
				"improvement_action": action
				or raise_action(doc, text, dimension, value, complaint_type, settings),
			}
		)
	doc.set("findings", rows)


def action_owner(complaint_type: str | None, settings) -> str:
	"""The department manager of the finding's type, else the first user of the report roles."""
	department = complaint_type and frappe.db.get_value("Complaint Type", complaint_type, "department")
	manager = department and frappe.db.get_value("Complaint Department", department, "manager")
	if manager:
		return manager
	for row in settings.report_roles:
		people = users_with_role(row.role)
		if people:
			return people[0]
	return SYSTEM


def raise_action(doc, text: str, dimension: str, value: str, complaint_type, settings) -> str:
	department = complaint_type and frappe.db.get_value("Complaint Type", complaint_type, "department")
	action = frappe.get_doc(
		{
			"doctype": "Complaint Improvement Action",
			"title": text[:140],
			"source_doctype": DOCTYPE,
			"source_name": doc.name if not doc.is_new() else None,
			"finding": text,
			"problem": text,
			"action": _("To be decided by the owner"),
			"action_owner": action_owner(complaint_type, settings),
			"department": department or None,
			"due_date": add_days(today(), settings.action_days or 30),
			"key_dimension": dimension or None,
			"key_value": value or None,
		}
	)
	action.insert(ignore_permissions=True)
	return action.name


def link_actions(doc) -> None:
	"""after insert: the actions raised before the report had its name point at it."""
	for row in doc.findings:
		if row.improvement_action:
			frappe.db.set_value(
				"Complaint Improvement Action",
				row.improvement_action,
				{"source_doctype": DOCTYPE, "source_name": doc.name},
				update_modified=False,
			)


def render_pdf(name: str, lang: str = "zh") -> bytes:
	previous = frappe.local.lang
	frappe.local.lang = lang
	try:
		html = frappe.get_print(DOCTYPE, name, print_format=PRINT_FORMAT)
	finally:
		frappe.local.lang = previous
	return get_pdf(offline_html.inline(html, notices.read_local, host_urls=(get_url(),)))


def send(name: str) -> list[str]:
	"""Email the PDF to the users of the report roles; returns the recipients."""
	settings = q.settings()
	recipients = sorted({u for row in settings.report_roles for u in users_with_role(row.role)})
	pdf = render_pdf(name)
	doc = frappe.get_doc(DOCTYPE, name)
	title = _("Complaint Analysis Report {0}").format(getdate(doc.month).strftime("%Y-%m"))
	frappe.get_doc(
		{
			"doctype": "File",
			"file_name": f"{name}.pdf",
			"attached_to_doctype": DOCTYPE,
			"attached_to_name": name,
			"is_private": 1,
			"content": pdf,
		}
	).save(ignore_permissions=True)
	if recipients:
		frappe.sendmail(
			recipients=recipients,
			subject=title,
			message=_("The complaint analysis report of last month is attached."),
			attachments=[{"fname": f"{name}.pdf", "fcontent": pdf}],
			reference_doctype=DOCTYPE,
			reference_name=name,
		)
	doc.db_set("sent_at", now_datetime())
	return recipients


def monthly() -> str:
	"""Scheduled on the first of each month: last month's report, generated and emailed."""
	name = generate()
	send(name)
	frappe.db.commit()
	return name
