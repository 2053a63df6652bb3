"""Messages to the customer through the channel the complaint came from (SPEC §2, §5, §6).

Email goes through Frappe's Email Queue (editable Email Templates, English or Chinese by the
customer's language); SMS through Frappe's SMS Settings; "System Notification" to the customer's
portal user. Every outcome is recorded; a message that cannot be sent never loses the complaint.
"""

from __future__ import annotations

from contextlib import contextmanager, suppress

import frappe
from frappe import _
from frappe.email.doctype.email_account.email_account import EmailAccount
from frappe.utils import escape_html, format_datetime, now_datetime

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


# which contact detail of the customer each medium needs, and the Communication medium it is filed as
REACHED_BY = {"Email": "customer_email", "SMS": "customer_phone", "System Notification": "portal_user"}
FILED_AS = {"Email": "Email", "SMS": "SMS", "System Notification": "Other"}


def send(
	doc,
	*,
	subject: str,
	text: str,
	html: str | None = None,
	attachments: list[dict] | None = None,
	about=None,
	first: str | None = None,
) -> tuple[str, str]:
	"""Send through ``first`` (by default the complaint's channel), or else any other way the
	customer can be reached (a portal complaint with a phone number only gets its SMS); returns
	(medium, detail) or raises NotSent with every reason.

	Each message is one Communication on the complaint's timeline (and on ``about``'s, say the
	compensation it concerns): what was sent, to whom, by which medium, and its outcome.
	"""
	first = first or medium(doc)
	if not first:
		reason = _("The channel {0} cannot carry messages to the customer").format(_(doc.channel))
		record(doc, None, subject, text, about, failed=reason)
		raise NotSent(reason)
	others = [m for m, field in REACHED_BY.items() if m != first and doc.get(field)]
	reasons = []
	for via in [first, *others]:
		try:
			CHECKS[via](doc)
		except NotSent as reason:
			reasons.append(f"{_(via)}: {reason}")
			continue
		content = html if via == "Email" and html else text
		comm = record(doc, via, subject, content, about)
		return via, DELIVERY[via](doc, comm, subject, content, attachments)
	why = "; ".join(reasons)
	record(doc, first, subject, html or text, about, failed=why)
	raise NotSent(why)


def record(doc, via: str | None, subject: str, content: str, about=None, failed: str | None = None):
	"""The message as a Communication on the complaint's timeline; a failed one says why first."""
	if failed:
		content = "<p><b>{}</b> {}</p><hr>{}".format(
			_("Not sent:"), frappe.utils.escape_html(failed), content
		)
	account = outgoing_account()
	contact = doc.get(REACHED_BY[via]) if via else None  # email address, phone number or portal user
	comm = frappe.get_doc(
		{
			"doctype": "Communication",
			"communication_type": "Communication",
			"communication_medium": FILED_AS.get(via, "Other"),
			"sent_or_received": "Sent",
			"subject": subject,
			"content": content,
			"sender": account.email_id if account else None,
			"sender_full_name": account.name if account else None,
			"recipients": contact if via != "SMS" else None,
			"phone_no": contact if via == "SMS" else None,
			"delivery_status": "Error" if failed else "Sending",
			"reference_doctype": "Complaint",
			"reference_name": doc.name,
		}
	)
	if about is not None:
		comm.append("timeline_links", {"link_doctype": about.doctype, "link_name": about.name})
	comm.flags.skip_add_signature = True
	return comm.insert(ignore_permissions=True)


def with_failure(content: str, reason: str) -> str:
	"""The message as it would have gone out, under the reason it did not."""
	return "<p><b>{}</b> {}</p><hr>{}".format(_("Not sent:"), frappe.utils.escape_html(reason), content)


def outgoing_account():
	account = EmailAccount.find_outgoing(match_by_doctype="Complaint")
	# none set up (or emails muted, where Frappe hands out an account without an address)
	return account if account and account.get("email_id") else None


def require_email_account() -> None:
	if not outgoing_account():
		raise NotSent(_("No outgoing email account is set up (Settings > Email Account)"))


def _can_email(doc) -> None:
	if not doc.customer_email:
		raise NotSent(_("No customer email address to write to"))
	require_email_account()


def _can_sms(doc) -> None:
	if not doc.customer_phone:
		raise NotSent(_("No customer phone number to write to"))
	if not frappe.db.get_single_value("SMS Settings", "sms_gateway_url"):
		raise NotSent(_("SMS Settings have no gateway: configure SMS Settings to send messages"))


def _can_notify(doc) -> None:
	if not doc.portal_user:
		raise NotSent(_("The customer has no portal account to notify"))


def _email(doc, comm, subject: str, html: str, attachments) -> str:
	frappe.sendmail(
		recipients=[doc.customer_email],
		subject=subject,
		message=html,
		attachments=attachments,
		reference_doctype="Complaint",
		reference_name=doc.name,
		communication=comm.name,  # the Email Queue reports the outcome to the Communication
	)
	return _("Email queued to {0}").format(doc.customer_email)


def _sms(doc, comm, subject: str, text: str, attachments) -> str:
	frappe.enqueue(
		"complaint_mgmt.services.customer_messages.deliver_sms",
		communication=comm.name,
		enqueue_after_commit=True,
	)
	return _("SMS queued to {0}").format(doc.customer_phone)


def deliver_sms(communication: str) -> None:
	"""Background job: hand the SMS to the gateway and record the outcome on its Communication."""
	from frappe.core.doctype.sms_settings.sms_settings import send_sms

	comm = frappe.get_doc("Communication", communication)
	try:
		send_sms(receiver_list=[comm.phone_no], msg=frappe.utils.strip_html(comm.content), success_msg=False)
	except Exception as error:
		comm.db_set({"delivery_status": "Error", "content": with_failure(comm.content, str(error))})
		frappe.log_error(title=_("SMS to the customer of {0} not sent").format(comm.reference_name))
		return
	comm.db_set("delivery_status", "Sent")


def _notify(doc, comm, subject: str, text: str, attachments) -> str:
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
	comm.db_set("delivery_status", "Sent")
	return _("Notification sent to {0}").format(doc.portal_user)


CHECKS = {"Email": _can_email, "SMS": _can_sms, "System Notification": _can_notify}
DELIVERY = {"Email": _email, "SMS": _sms, "System Notification": _notify}


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


def escaped(doc) -> frappe._dict:
	"""The complaint's values with their HTML escaped, for a mail body: whoever files a complaint
	chooses both its text and the address the acknowledgement goes to, so a name such as
	``<a href="…">Claim your refund</a>`` must arrive as text, not as a link from us."""
	return frappe._dict(
		{key: escape_html(value) if isinstance(value, str) else value for key, value in doc.as_dict().items()}
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
	hours = expected_hours(doc)
	with speaking(doc):
		subject = frappe.render_template(template.subject, {"doc": doc, "hours": hours})
		html = frappe.render_template(
			template.response_html or template.response, {"doc": escaped(doc), "hours": hours}
		)
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
	"""Tell the customer, before the deadline, that the investigation needs more time (the
	Communication on the timeline records whether they could be told)."""
	settings = policy.settings()
	with speaking(doc):
		text = templates.render(
			settings.extension_text_zh if language(doc) == "zh" else settings.extension_text,
			{"name": doc.name, "due": format_datetime(due, "yyyy-MM-dd HH:mm"), "reason": reason},
		)
		subject = _("Complaint {0}: new expected time").format(doc.name)
	with suppress(NotSent):
		send(doc, subject=subject, text=text)
