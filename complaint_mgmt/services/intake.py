"""The values a complaint is recorded with: defaults, the portal's channel and customer, and the
checks of waybill, phone, email, amounts, type and channel (types and channels from the policy
snapshot, no query)."""

from __future__ import annotations

import re

import frappe
from frappe import _
from frappe.utils import get_datetime, now_datetime, validate_email_address

from complaint_mgmt.services import policy, portal_evidence
from complaint_mgmt.utils import plain_text


def validate_input(doc) -> None:
	settings = policy.settings()
	doc.received_at = get_datetime(doc.received_at or now_datetime()).replace(microsecond=0)
	if frappe.flags.in_web_form and doc.is_new():
		from_portal(doc, settings)
	if not doc.channel and settings.default_channel:
		doc.channel = settings.default_channel
	check_type_and_channel(doc)
	if not doc.subject and doc.complaint_type:
		doc.subject = (
			_("{0} on waybill {1}").format(_(doc.complaint_type), doc.waybill_no)
			if doc.waybill_no
			else _(doc.complaint_type)
		)
	for field in ("waybill_no", "batch_no", "route", "customer_phone", "customer_email"):
		value = doc.get(field)
		if isinstance(value, str):
			doc.set(field, value.strip())
	if doc.waybill_no:
		doc.waybill_no = doc.waybill_no.upper()
		if settings.waybill_regex and not re.fullmatch(settings.waybill_regex, doc.waybill_no):
			frappe.throw(
				_("Waybill number {0} is not valid: it must look like {1}").format(
					frappe.bold(doc.waybill_no), "SF1234567890"
				),
				title=_("Invalid waybill number"),
			)
	if doc.customer_phone and settings.phone_regex:
		if not re.fullmatch(settings.phone_regex, doc.customer_phone.replace(" ", "")):
			frappe.throw(
				_("Phone number {0} is not valid").format(frappe.bold(doc.customer_phone)),
				title=_("Invalid phone number"),
			)
	if doc.customer_email and not one_email_address(doc.customer_email):
		frappe.throw(
			_("Email address {0} is not valid").format(frappe.bold(doc.customer_email)),
			title=_("Invalid email address"),
		)
	if not (doc.customer_phone or doc.customer_email or doc.portal_user):
		frappe.throw(_("Give the customer's phone number or email address so we can reply"))
	for label, value in (
		(_("Goods Value"), doc.goods_value),
		(_("Declared Value"), doc.declared_value),
		(_("Insured Value"), doc.insured_value),
		(_("Freight"), doc.freight),
	):
		if value and value < 0:
			frappe.throw(_("{0} cannot be negative").format(label))
	portal_evidence.validate_evidence_consent(doc)


def one_email_address(value: str) -> bool:
	"""Exactly one plain address: no list, no name or markup around it ("<b>a@b.cn</b>")."""
	return "," not in value and validate_email_address(value) == value


def check_type_and_channel(doc) -> None:
	"""A new or changed type must be a complaint type in use (not a category that only groups
	them), and the channel one in use. Frappe's own link check misses unknown names here,
	because other fields fetch from these links."""
	if doc.complaint_type and (doc.is_new() or doc.has_value_changed("complaint_type")):
		kind = policy.complaint_type(doc.complaint_type)
		if not kind:
			frappe.throw(
				_("Unknown complaint type {0}").format(frappe.bold(doc.complaint_type)),
				frappe.LinkValidationError,
			)
		if kind.is_group:
			frappe.throw(
				_("{0} is a category: choose one of its complaint types").format(
					frappe.bold(_(doc.complaint_type))
				)
			)
		if not kind.enabled:
			frappe.throw(_("Complaint type {0} is not in use").format(frappe.bold(_(doc.complaint_type))))
	if doc.channel and (doc.is_new() or doc.has_value_changed("channel")):
		channel = policy.channel(doc.channel)
		if channel is None:
			frappe.throw(
				_("Unknown channel {0}").format(frappe.bold(doc.channel)), frappe.LinkValidationError
			)
		if not channel.enabled:
			frappe.throw(_("Channel {0} is not in use").format(frappe.bold(_(doc.channel))))


def from_portal(doc, settings) -> None:
	"""The customer filed it on the portal form: record that channel, and who they are if logged in."""
	if not settings.portal_channel:
		frappe.throw(
			_("The complaint form is not set up yet: choose the Portal Channel in Complaint Settings")
		)
	doc.channel = settings.portal_channel
	doc.description = plain_text.as_html(doc.description)  # the form asks for plain text
	# the customer wrote in the language the form was shown in; we answer in it
	doc.customer_language = "zh" if (frappe.local.lang or "").startswith("zh") else "en"
	if frappe.session.user != "Guest" and frappe.get_cached_value(
		"User", frappe.session.user, "user_type"
	) == ("Website User"):
		doc.portal_user = frappe.session.user
