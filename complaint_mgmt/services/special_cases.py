"""Special cases: the risk pre-check at intake (SPEC §2) and the media, regulator and force-majeure
flows (SPEC §10). Each runs whenever a complaint is saved with its flag (a new complaint or a later
edit, through any path) and only once: a stamp on the complaint records that it ran."""

from __future__ import annotations

import frappe
from frappe import _
from frappe.desk.form import assign_to
from frappe.utils import add_to_date, format_datetime, getdate, now_datetime

from complaint_mgmt.engine import special_cases as rules
from complaint_mgmt.engine import templates
from complaint_mgmt.services import customer_messages, notify, policy, side_effects
from complaint_mgmt.services.assignment import users_with_role


def attach_notice(doc) -> None:
	"""Force majeure: the official notice becomes an evidence row (an authority's notice, no
	customer consent needed)."""
	if not (doc.force_majeure and doc.force_majeure_notice):
		return
	if any(row.file == doc.force_majeure_notice for row in doc.evidence):
		return
	doc.append(
		"evidence",
		{
			"file": doc.force_majeure_notice,
			"evidence_kind": "Document",
			"description": _("Official notice (force majeure)"),
			"official_notice": 1,
		},
	)


def on_update(doc) -> None:
	settings = policy.settings()
	risk_check(doc, settings)
	media(doc, settings)
	regulator(doc, settings)
	force_majeure(doc, settings)


def _when(moment) -> str:
	return format_datetime(moment, "yyyy-MM-dd HH:mm")


def task(doc, users: list[str], description: str, due) -> None:
	"""A ToDo on the complaint for each user, through Frappe's assignment API."""
	users = [u for u in dict.fromkeys(users) if u]
	if not users:
		return
	# a side task: the liaison gets access and a to-do, not the complaint (see assignment.on_todo_change)
	frappe.flags.complaint_side_task = True
	try:
		assign_to.add(
			{
				"assign_to": users,
				"doctype": "Complaint",
				"name": doc.name,
				"description": description,
				"date": getdate(due),
				"priority": "High",
			},
			ignore_permissions=True,
		)
	finally:
		frappe.flags.complaint_side_task = False


def risk_check(doc, settings) -> None:
	"""Group, media, regulator and high-value cases reach Risk Management with the reason, each
	reason once, in the background."""
	if new_risks(doc, settings):
		side_effects.later(report_risk, doc)


def new_risks(doc, settings) -> list[tuple]:
	reasons = rules.risk_reasons(
		doc.as_dict(), group_size=settings.incident_threshold or 0, high_value=settings.high_value_threshold
	)
	reported = set(filter(None, (doc.risk_keys or "").split(",")))
	return [(key, template, params) for key, template, params in reasons if key not in reported]


def report_risk(doc) -> None:
	"""Background job: the reasons not reported yet (read under the complaint's lock, so a second
	run finds them reported)."""
	settings = policy.settings()
	new = new_risks(doc, settings)
	if not new:
		return
	reported = set(filter(None, (doc.risk_keys or "").split(",")))
	said = [_(template).format(**params) for _key, template, params in new]
	notify.users(
		users_with_role(settings.risk_role),
		_("Complaint {0} reported to Risk Management: {1}").format(doc.name, "; ".join(said)),
		"Complaint",
		doc.name,
	)
	now = now_datetime()
	doc.db_set(
		{
			"risk_keys": ",".join(sorted(reported | {key for key, _t, _p in new})),
			"risk_reasons": "\n".join(filter(None, [doc.risk_reasons, *said])),
			"risk_notified_at": now,
		},
		update_modified=False,
	)
	side_effects.record(doc, "risk notice", f"{side_effects.DONE} {now:%Y-%m-%d %H:%M:%S}")


def media(doc, settings) -> None:
	"""Tell the media liaison and Risk at once; the PR statement becomes a task with a deadline."""
	if not doc.media_involved or doc.media_notified_at:
		return
	now = now_datetime()
	due = add_to_date(now, hours=settings.pr_statement_hours or 0)
	risk = users_with_role(settings.risk_role)
	notify.users(
		[settings.media_liaison, *risk],
		_("Media exposure on complaint {0}: contact the media at once; PR statement due {1}").format(
			doc.name, _when(due)
		),
		"Complaint",
		doc.name,
		doc.media_details or "",
	)
	task(
		doc,
		[settings.media_liaison] if settings.media_liaison else risk,
		_("PR statement on complaint {0} (media exposure), due {1}").format(doc.name, _when(due)),
		due,
	)
	if not settings.media_liaison:
		doc.add_comment(
			"Info", _("No media liaison is set in Complaint Settings: Risk Management has the task")
		)
	doc.db_set({"media_notified_at": now, "pr_statement_due": due}, update_modified=False)


def regulator(doc, settings) -> None:
	"""The explanation deadline starts; the named liaison gets the task (when named later, then)."""
	if not doc.regulator_involved:
		return
	due = doc.regulator_explanation_due
	starting = not due
	if starting:
		due = add_to_date(now_datetime(), hours=settings.regulator_explanation_hours or 0)
		doc.db_set("regulator_explanation_due", due, update_modified=False)
		if not doc.regulator_liaison:
			doc.add_comment(
				"Info",
				_("Regulator involved: name the regulator liaison; the explanation is due {0}").format(
					_when(due)
				),
			)
	if doc.regulator_liaison and (starting or doc.has_value_changed("regulator_liaison")):
		description = _(
			"Regulator explanation on complaint {0}: submit the Regulator Explanation Report (evidence chain, solution, improvement) by {1}"
		).format(doc.name, _when(due))
		task(doc, [doc.regulator_liaison], description, due)
		notify.users([doc.regulator_liaison], description, "Complaint", doc.name)


def force_majeure(doc, settings) -> None:
	"""The alternative offered (other transport, agreed delay) is recorded and sent to the customer
	when it is set or changed."""
	detail = (doc.fm_alternative_detail or "").strip()
	if not (doc.force_majeure and doc.fm_alternative and detail):
		return
	if doc.fm_alternative_sent_at and not any(
		doc.has_value_changed(f) for f in ("fm_alternative", "fm_alternative_detail")
	):
		return
	lang = customer_messages.language(doc)
	text = templates.render(
		settings.force_majeure_text_zh if lang == "zh" else settings.force_majeure_text,
		{"name": doc.name, "alternative": f"{_(doc.fm_alternative, lang=lang)}: {detail}"},
	)
	try:
		via, _detail = customer_messages.send(doc, subject=_("Complaint {0}").format(doc.name), text=text)
	except customer_messages.NotSent as why:
		doc.add_comment(
			"Info", _("The alternative could not be sent to the customer ({0}): {1}").format(why, text)
		)
		return
	doc.add_comment("Info", _("Alternative sent to the customer ({0}): {1}").format(via, text))
	doc.db_set("fm_alternative_sent_at", now_datetime(), update_modified=False)
