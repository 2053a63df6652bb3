"""Messages to the customer through the channel the complaint came from (SPEC §2, §5, §6).

Email goes through Frappe's Email Queue (editable Email Templates, English or Chinese by the
customer's language); SMS through Frappe's SMS Settings; "System Notification" to the customer's
portal user. Every outcome is recorded; a message that cannot be sent never loses the complaint.
"""

from __future__ import annotations

from contextlib import contextmanager

import frappe
from frappe import _
from frappe.email.doctype.email_account.email_account import EmailAccount
from frappe.utils import format_datetime, now_datetime

from complaint_mgmt.engine import templates
from complaint_mgmt.services import policy, workflow


class NotSent(Exception):
	"""The channel cannot carry this message; the text says why."""


def language(doc) -> str:
	return doc.customer_language or "zh"


@contextmanager
def speaking(doc):
	"""Compose a message in the customer's language: every ``_()`` inside, in Python and in the
	templates, translates to it (a fixed value such as the priority included), whatever the
	language of the user or job that sends it."""
	previous = getattr(frappe.local, "lang", None)
	frappe.local.lang = language(doc)
	try:
		yield
	finally:
		frappe.local.lang = previous


def medium(doc) -> str | None:
	channel = frappe.get_cached_doc("Complaint Channel", doc.channel)
	return channel.ack_medium if channel.can_acknowledge else None


# which contact detail of the customer each medium needs
REACHED_BY = {"Email": "customer_email", "SMS": "customer_phone", "System Notification": "portal_user"}


def send(doc, *, subject: str, text: str, html: str | None = None) -> tuple[str, str]:
	"""Send through the complaint's channel, or else any other way the customer can be reached
	(a portal complaint with a phone number only gets its SMS); returns (medium, detail) or
	raises NotSent with every reason."""
	first = medium(doc)
	if not first:
		raise NotSent(_("The channel {0} cannot carry messages to the customer").format(_(doc.channel)))
	others = [m for m, field in REACHED_BY.items() if m != first and doc.get(field)]
	reasons = []
	for via in [first, *others]:
		try:
			if via == "Email":
				return via, _send_email(doc, subject, html or text)
			if via == "SMS":
				return via, _send_sms(doc, text)
			return via, _send_notification(doc, text)
		except NotSent as reason:
			reasons.append(f"{_(via)}: {reason}")
	raise NotSent("; ".join(reasons))


def require_email_account() -> None:
	account = EmailAccount.find_outgoing(match_by_doctype="Complaint")
	if not (account and account.get("email_id")):
		# none set up (or emails muted, where Frappe hands out an account without an address)
		raise NotSent(_("No outgoing email account is set up (Settings > Email Account)"))


def _send_email(doc, subject: str, html: str) -> str:
	if not doc.customer_email:
		raise NotSent(_("No customer email address to write to"))
	require_email_account()
	frappe.sendmail(
		recipients=[doc.customer_email],
		subject=subject,
		message=html,
		reference_doctype="Complaint",
		reference_name=doc.name,
	)
	return _("Email queued to {0}").format(doc.customer_email)


def _send_sms(doc, text: str) -> str:
	if not doc.customer_phone:
		raise NotSent(_("No customer phone number to write to"))
	if not frappe.db.get_single_value("SMS Settings", "sms_gateway_url"):
		raise NotSent(_("SMS Settings have no gateway: configure SMS Settings to send messages"))
	frappe.enqueue(
		"frappe.core.doctype.sms_settings.sms_settings.send_sms",
		receiver_list=[doc.customer_phone],
		msg=text,
		success_msg=False,
		enqueue_after_commit=True,
	)
	return _("SMS queued to {0}").format(doc.customer_phone)


def _send_notification(doc, text: str) -> str:
	if not doc.portal_user:
		raise NotSent(_("The customer has no portal account to notify"))
	frappe.get_doc(
		{
			"doctype": "Notification Log",
			"for_user": doc.portal_user,
			"type": "Alert",
			"document_type": "Complaint",
			"document_name": doc.name,
			"subject": text,
		}
	).insert(ignore_permissions=True)
	return _("Notification sent to {0}").format(doc.portal_user)


# ------------------------------------------------------------------ acknowledgement
def expected_hours(doc) -> float:
	settings = policy.settings()
	fields = ("urgent_handling_hours", "important_handling_hours", "general_handling_hours")
	by_priority = dict(zip(policy.priority_levels(), (settings.get(f) for f in fields), strict=False))
	hours = by_priority.get(doc.priority) or settings.general_handling_hours
	return int(hours) if float(hours or 0).is_integer() else hours


def sms_text(doc) -> str:
	settings = policy.settings()
	text = settings.ack_sms_text_zh if language(doc) == "zh" else settings.ack_sms_text
	with speaking(doc):
		return templates.render(
			text, {"name": doc.name, "hours": expected_hours(doc), "priority": _(doc.priority)}
		)


def acknowledge(doc) -> str:
	"""Acknowledge a new complaint; returns the recorded status."""
	if not medium(doc):
		_record(
			doc,
			"Not Applicable",
			"",
			_("The channel {0} cannot carry an acknowledgement").format(_(doc.channel)),
		)
		return "Not Applicable"
	settings = policy.settings()
	template = frappe.get_doc(
		"Email Template",
		settings.ack_email_template_zh if language(doc) == "zh" else settings.ack_email_template,
	)
	context = {"doc": doc, "hours": expected_hours(doc)}
	with speaking(doc):
		subject = frappe.render_template(template.subject, context)
		html = frappe.render_template(template.response_html or template.response, context)
	try:
		via, detail = send(doc, subject=subject, text=sms_text(doc), html=html)
	except NotSent as reason:
		_record(doc, "Failed", medium(doc), str(reason))
		return "Failed"
	_record(doc, "Sent", via, detail)
	workflow.advance(doc, settings.acknowledged_state)
	return "Sent"


def _record(doc, status: str, via: str, detail: str) -> None:
	values = {"ack_status": status, "ack_via": via, "ack_detail": detail}
	if status == "Sent":
		values["acknowledged_at"] = now_datetime()
	doc.db_set(values, update_modified=False)


def send_extension_notice(doc, due, reason: str) -> None:
	"""Tell the customer, before the deadline, that the investigation needs more time."""
	settings = policy.settings()
	text = templates.render(
		settings.extension_text_zh if language(doc) == "zh" else settings.extension_text,
		{"name": doc.name, "due": format_datetime(due, "yyyy-MM-dd HH:mm"), "reason": reason},
	)
	try:
		via, detail = send(doc, subject=_("Complaint {0}: new expected time").format(doc.name), text=text)
		doc.add_comment("Info", _("Customer told of the extension ({0}): {1}").format(via, detail))
	except NotSent as why:
		doc.add_comment("Info", _("The customer could not be told of the extension: {0}").format(why))
