# Copyright (c) 2026, complaint_mgmt contributors
# License: MIT. See license.txt

from frappe.model.document import Document

MILESTONE_CODES = {
	"Acknowledge": "ACK",
	"Assign": "ASG",
	"Investigation Report": "INV",
	"Objection Re-evaluation": "OBJ",
	"Resolution": "RES",
	"Survey": "SRV",
}


def escalation_name(complaint: str, milestone: str, extensions: int, level: int, clock_round: int = 0) -> str:
	"""One name per complaint, milestone, run of its clock (a clock started again: an objection
	after the last was re-evaluated), deadline (extensions granted) and level: the primary key itself
	makes a second escalation of the same level impossible."""
	code = MILESTONE_CODES.get(milestone, milestone[:3].upper())
	run = f"R{clock_round}-" if clock_round else ""  # the first run keeps the names it always had
	return f"ESC-{complaint}-{code}-{run}{extensions}-{level}"


class ComplaintEscalation(Document):
	def autoname(self) -> None:
		self.name = escalation_name(
			self.complaint,
			self.milestone,
			self.get("extensions") or 0,
			self.level,
			self.get("clock_round") or 0,
		)
