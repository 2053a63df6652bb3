"""The complaints a website customer filed while logged in, as they may read them."""

from __future__ import annotations

import frappe
from frappe import _
from frappe.utils import format_datetime

from complaint_mgmt.services import policy


def own_complaints(user: str, limit: int = 100) -> list[frappe._dict]:
	"""Only complaints whose portal account is ``user``: never anyone else's, whatever the roles."""
	rows = frappe.get_all(
		"Complaint",
		filters={"portal_user": user},
		fields=[
			"name",
			"subject",
			"complaint_type",
			"workflow_state",
			"waybill_no",
			"received_at",
			"closed_at",
		],
		order_by="received_at desc",
		limit=limit,
		ignore_permissions=True,  # a website customer has no desk permission on complaints
	)
	closed = policy.settings().closed_state
	return [
		frappe._dict(
			name=row.name,
			subject=row.subject,
			complaint_type=_(row.complaint_type),
			status=_(row.workflow_state),
			is_closed=row.workflow_state == closed,
			waybill_no=row.waybill_no,
			received_at=format_datetime(row.received_at, "yyyy-MM-dd HH:mm"),
			closed_at=format_datetime(row.closed_at, "yyyy-MM-dd HH:mm") if row.closed_at else None,
		)
		for row in rows
	]
