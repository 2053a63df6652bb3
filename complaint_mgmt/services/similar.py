"""Similar complaints on the site: an in-memory index of the recent complaints (the settings' look-back
window) per worker process, built on first use and topped up with what changed since; complaints
that have left the window are dropped from the answers."""

from __future__ import annotations

import frappe
from frappe import _
from frappe.utils import add_to_date, now_datetime

from complaint_mgmt.engine.similar import SimilarIndex
from complaint_mgmt.services import triage

FIELDS = ("name", "subject", "description", "waybill_no", "batch_no", "route", "customer_phone", "modified")
REASONS = {
	"waybill_no": "same waybill",
	"batch_no": "same batch",
	"customer": "same customer",
	"route": "same route",
	"text": "similar words",
}
_INDEXES: dict[str, dict] = {}  # site → {"index", "built", "seen", "since"}


def _exact(row) -> dict:
	return {
		"waybill_no": row.waybill_no,
		"batch_no": row.batch_no,
		"route": row.route,
		"customer": row.customer_phone,
	}


def _rows(since, modified_after=None) -> list:
	c = frappe.qb.DocType("Complaint")
	query = frappe.qb.from_(c).select(*(c[f] for f in FIELDS)).where(c.received_at >= since)
	if modified_after:
		query = query.where(c.modified > modified_after)
	return query.orderby(c.received_at).run(as_dict=True)


def index() -> SimilarIndex:
	"""This process's index of the site's recent complaints, fresh to the last change."""
	window = triage.settings().similar_window_days or 90
	since = add_to_date(now_datetime(), days=-window)
	state = _INDEXES.get(frappe.local.site)
	if not state or state["window"] != window:
		built = SimilarIndex()
		rows = _rows(since)
		for row in rows:
			built.add(row.name, triage.text_of(row.subject, row.description), _exact(row), bulk=True)
		built.refresh_norms()
		state = {"index": built, "window": window}
		state["seen"] = max((row.modified for row in rows), default=since)
		_INDEXES[frappe.local.site] = state
		return built
	for row in _rows(since, state["seen"]):
		state["index"].add(row.name, triage.text_of(row.subject, row.description), _exact(row))
		state["seen"] = max(state["seen"], row.modified)
	return state["index"]


def similar_to(doc, *, limit: int | None = None) -> list[dict]:
	"""The complaints most like ``doc`` that the user may read, each with why."""
	s = triage.settings()
	limit = limit or s.similar_count or 5
	found = index().search(
		triage.text_of(doc.subject, doc.description),
		_exact(doc),
		k=limit * 3,  # some may be out of the user's reach
		min_score=(s.similar_min_score or 35) / 100,
		exclude=doc.name,
	)
	result = []
	since = add_to_date(now_datetime(), days=-(s.similar_window_days or 90))
	for match in found:
		row = frappe.db.get_value(
			"Complaint",
			match.key,
			[
				"name",
				"subject",
				"received_at",
				"workflow_state",
				"complaint_type",
				"incident",
				"duplicate_of",
			],
			as_dict=True,
		)
		if not row or row.received_at < since or not frappe.has_permission("Complaint", "read", row.name):
			continue
		row.update(
			score=round(match.score * 100),
			reasons=[_(REASONS[r]) for r in match.reasons],
			words=list(match.words),
		)
		result.append(row)
		if len(result) == limit:
			break
	return result


def link_duplicate(doc, original: str) -> None:
	"""Mark ``doc`` a duplicate of ``original``, with a note on both timelines."""
	if original == doc.name:
		frappe.throw(_("A complaint cannot be a duplicate of itself"))
	doc.duplicate_of = original
	doc.flags.server_change = True
	doc.save()
	doc.add_comment("Info", _("Duplicate of {0} (linked from similar complaints)").format(original))
	frappe.get_doc("Complaint", original).add_comment(
		"Info", _("Complaint {0} was linked to this one as a duplicate").format(doc.name)
	)


def link_incident(doc, incident: str) -> None:
	"""Join ``doc`` to a group incident the way the incident detector does (raised to the top
	priority and co-led, the incident's counts updated, Risk Management told once)."""
	from complaint_mgmt.services import incidents

	frappe.db.set_value("Complaint", doc.name, "incident", incident)
	incidents.update_members(frappe._dict(doctype="Complaint Incident", name=incident))
	doc.add_comment("Info", _("Linked to group incident {0} from similar complaints").format(incident))
