"""The Complaint form's Connections tab: the records the complaint's handling produced."""

from frappe import _


def get_data():
	return {
		"fieldname": "complaint",
		"transactions": [
			{"label": _("Handling"), "items": ["Complaint Investigation", "Compensation"]},
			{"label": _("Follow-up"), "items": ["Complaint Escalation", "Complaint Survey"]},
		],
	}
