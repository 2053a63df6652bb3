"""An acknowledgement a person made by hand (a phone call, an SMS from their own phone, a visit…).

Recorded on the complaint (how, when, by whom) and on its timeline as a Communication; it meets the
Acknowledge clock at the moment the customer was told, exactly as an automatic one does.
"""

from __future__ import annotations

import frappe
from frappe import _
from frappe.utils import add_to_date, get_datetime, now_datetime

from complaint_mgmt.services import policy, workflow

# how the customer was told → the Communication medium the timeline shows
MEDIUMS = {
	"Phone": "Phone",
	"SMS": "SMS",
	"Email": "Email",
	"In Person": "Visit",
	"Chat": "Chat",
	"Letter": "Other",
	"Other": "Other",
}
RECORDED = "Recorded"
CLOCK_SKEW_MINUTES = 5  # a time a few minutes ahead of the server's clock is still "now"


def record(doc, via: str, at=None, note: str | None = None) -> None:
	if via not in MEDIUMS:
		frappe.throw(
			_("Choose how the customer was told: {0}").format(", ".join(_(m) for m in MEDIUMS)),
			title=_("Invalid acknowledgement"),
		)
	at = get_datetime(at) if at else now_datetime()
	if at > add_to_date(now_datetime(), minutes=CLOCK_SKEW_MINUTES):
		frappe.throw(
			_("An acknowledgement cannot be recorded in the future"), title=_("Invalid acknowledgement")
		)
	if at < get_datetime(doc.received_at):
		frappe.throw(
			_("The acknowledgement cannot be earlier than the complaint ({0})").format(doc.received_at),
			title=_("Invalid acknowledgement"),
		)
	if doc.acknowledged_at:
		frappe.throw(
			_("The complaint was already acknowledged at {0}").format(doc.acknowledged_at),
			title=_("Already acknowledged"),
		)
	if doc.workflow_state in policy.terminal_states():
		frappe.throw(_("The complaint is finished ({0})").format(_(doc.workflow_state)))
	user = frappe.session.user
	detail = (note or "").strip()
	doc.update(
		{
			"acknowledged_at": at,
			"acknowledged_by": user,
			"ack_status": RECORDED,
			"ack_via": _(via),
			"ack_detail": detail,
		}
	)
	doc.flags.server_change = True  # the acknowledgement fields are set here, not typed in
	doc.save()
	summary = _("Acknowledged by hand ({0}) at {1} by {2}").format(_(via), at, user)
	frappe.get_doc(
		{
			"doctype": "Communication",
			"communication_type": "Communication",
			"communication_medium": MEDIUMS[via],
			"sent_or_received": "Sent",
			"status": "Linked",
			"subject": _("Acknowledgement of complaint {0}").format(doc.name),
			"content": f"{summary}\n{detail}" if detail else summary,
			"communication_date": at,
			"sender": user,
			"phone_no": doc.customer_phone if via in ("Phone", "SMS") else None,
			"recipients": doc.customer_email if via == "Email" else None,
			"reference_doctype": "Complaint",
			"reference_name": doc.name,
		}
	).insert(ignore_permissions=True)
	workflow.advance(doc, policy.settings().acknowledged_state)
