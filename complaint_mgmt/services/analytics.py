"""The rollup behind the analysis reports: Complaint Daily Stat (issue 13).

One row per day of receipt × grain × dimensions, with the sums the reports divide (see
engine/analytics.py). Rows are recomputed a day at a time, set-based, from the raw records
(one INSERT … SELECT per grain). A change of a complaint or of a record of it marks its day; the
marks reach Redis when the transaction commits, and the scheduled ``refresh`` recomputes the
marked days together with the days of clocks that fell due since its last run (a clock breaches
by the passing of time, without anyone saving anything).

Rebuild everything: ``bench --site S execute complaint_mgmt.services.analytics.rebuild``
(optionally ``--kwargs "{'from_date': '2026-01-01', 'to_date': '2026-03-31'}"``).
"""

from __future__ import annotations

import time
from datetime import date, datetime, timedelta

import frappe
from frappe.query_builder.functions import Max, Min
from frappe.translate import get_all_translations
from frappe.utils import add_days, add_months, get_datetime, get_first_day, getdate, now_datetime

from complaint_mgmt.engine.analytics import MILESTONE_KEYS
from complaint_mgmt.services import policy

STAT = "Complaint Daily Stat"
DIRTY_KEY = "complaint_analytics:dirty_days"
LAST_SCAN_KEY = "complaint_analytics:due_scan"
CHUNK_DAYS = 31
# compensations that count: approved, on their way or paid
COUNTED_COMPENSATION_STATES = ("Approved", "Paying", "Paid")
# dimension column → SQL expression, per grain
GRAINS = {
	# the coarsest: most reports and cards read it when they need no type, channel or node
	"Day": {"priority": "c.priority", "department": "c.department"},
	"Type": {
		"complaint_type": "c.complaint_type",
		"channel": "c.channel",
		"priority": "c.priority",
		"department": "c.department",
	},
	"Owner": {"node": "c.lead_owner", "priority": "c.priority", "department": "c.department"},
	"Route": {"node": "c.route", "complaint_type": "c.complaint_type", "department": "c.department"},
	"Branch": {"node": "c.origin_branch", "complaint_type": "c.complaint_type", "department": "c.department"},
	# the origin branch's region (engine/regions.py), a field of the complaint set at intake
	"Region": {"node": "c.region", "complaint_type": "c.complaint_type", "department": "c.department"},
	"Liability": {
		"node": "i.liability",
		"responsible_node": "i.responsible_node",
		"complaint_type": "c.complaint_type",
		"department": "c.department",
	},
}
IN_RANGE = "select name from `tabComplaint` where received_at >= %(start)s and received_at < %(end)s"
# a grain's month rows ("Route Month": the month's "Route" rows summed, dated its first day): a
# report over whole months reads them instead of 30 times as many day rows
MONTH = " Month"
DIMENSIONS = ("complaint_type", "channel", "priority", "department", "node", "responsible_node")


def _milestone_columns() -> str:
	ended = "coalesce(met_at, stopped_at)"
	open_late = "(met_at is null and stopped_at is null and status != 'Paused' and due_at <= %(now)s)"
	parts = []
	for key, milestone in MILESTONE_KEYS:
		name = frappe.db.escape(milestone)
		parts.append(f"sum(milestone = {name} and met_at <= due_at) {key}_met")
		parts.append(f"sum(milestone = {name} and ({ended} > due_at or {open_late})) {key}_breached")
	return ", ".join(parts)


def _measures() -> str:
	minutes = "timestampdiff(second, c.received_at, {0}) / 60"
	columns = [
		"count(*)",
		"sum(c.closed_at is not null)",
		f"coalesce(sum({minutes.format('c.closed_at')}), 0)",
		"sum(c.acknowledged_at is not null)",
		f"coalesce(sum({minutes.format('c.acknowledged_at')}), 0)",
	]
	columns += [
		f"coalesce(sum(m.{key}_{outcome}), 0)" for key, _ in MILESTONE_KEYS for outcome in ("met", "breached")
	]
	columns += [
		f"coalesce(sum(s.{col}), 0)"
		for col in ("surveyed", "efficiency_score", "solution_score", "low_scores")
	]
	columns += ["coalesce(sum(p.compensations), 0)", "coalesce(sum(p.amount), 0)"]
	columns += ["coalesce(sum(r.reopened), 0)", "coalesce(sum(e.escalations), 0)"]
	return ", ".join(columns)


MEASURE_COLUMNS = (
	"received, closed, handling_minutes, responded, response_minutes, "
	+ ", ".join(f"{key}_{outcome}" for key, _ in MILESTONE_KEYS for outcome in ("met", "breached"))
	+ ", surveyed, efficiency_score, solution_score, low_scores, compensations, compensation_amount,"
	" reopened, escalations"
)


def _joins() -> str:
	return f"""
		left join (select parent, {_milestone_columns()} from `tabComplaint Milestone`
			where parenttype = 'Complaint' and parent in ({IN_RANGE}) group by parent) m on m.parent = c.name
		left join (select complaint, count(*) surveyed, sum(efficiency_score) efficiency_score,
			sum(solution_score) solution_score, sum(low_score) low_scores from `tabComplaint Survey`
			where complaint in ({IN_RANGE}) group by complaint) s on s.complaint = c.name
		left join (select complaint, count(*) compensations, sum(total_amount) amount from `tabCompensation`
			where workflow_state in %(paid_states)s and complaint in ({IN_RANGE}) group by complaint) p
			on p.complaint = c.name
		left join (select complaint, count(*) escalations from `tabComplaint Escalation`
			where complaint in ({IN_RANGE}) group by complaint) e on e.complaint = c.name
		left join (select reference_name, count(*) reopened from `tabComment`
			where reference_doctype = 'Complaint' and comment_type = 'Workflow' and content in %(reopen_names)s
			and reference_name in ({IN_RANGE}) group by reference_name) r on r.reference_name = c.name
		left join (select complaint, max(liability) liability, max(responsible_node) responsible_node
			from `tabComplaint Investigation` where complaint in ({IN_RANGE}) group by complaint) i
			on i.complaint = c.name"""


def reopen_names() -> tuple[str, ...]:
	"""The reopened state as the workflow's comments spell it (Frappe writes it translated)."""
	state = policy.settings().reopened_state
	if not state:
		return ("",)
	translated = get_all_translations("zh").get(state)
	return tuple({state, translated} - {None})


def recompute(start: date, end: date, now: datetime | None = None, grains: tuple[str, ...] = ()) -> int:
	"""Replace the rows of the days start ≤ day < end (of the given grains, default all); returns how
	many rows were written."""
	grains = grains or tuple(GRAINS)
	params = {
		"start": get_datetime(start),
		"end": get_datetime(end),
		"now": now or now_datetime(),
		"paid_states": COUNTED_COMPENSATION_STATES,
		"reopen_names": reopen_names(),
		"grains": grains,
	}
	frappe.db.sql(
		f"delete from `tab{STAT}` where day >= %(start)s and day < %(end)s and grain in %(grains)s", params
	)
	joins, measures = _joins(), _measures()
	written = 0
	for grain in grains:
		dims = GRAINS[grain]
		columns = ", ".join(dims)
		keys = ", ".join(f"coalesce({expr}, '')" for expr in dims.values())
		frappe.db.sql(
			f"""insert into `tab{STAT}` (name, creation, modified, owner, modified_by, docstatus, idx,
				day, grain, {columns}, {MEASURE_COLUMNS})
			select md5(concat_ws('|', date(c.received_at), {frappe.db.escape(grain)}, {keys})),
				%(now)s, %(now)s, 'Administrator', 'Administrator', 0, 0,
				date(c.received_at), {frappe.db.escape(grain)}, {keys}, {measures}
			from `tabComplaint` c {joins}
			where c.received_at >= %(start)s and c.received_at < %(end)s
			group by date(c.received_at), {keys}""",
			params,
		)
		written += frappe.db.sql("select row_count()")[0][0]
	return written + recompute_months(start, end, params)


def recompute_months(start: date, end: date, params: dict) -> int:
	"""Replace the month rows of every month the days start ≤ day < end fall in, summed from its
	day rows (the day rows of those days must be current)."""
	first = getdate(start).replace(day=1)
	stop = get_first_day(add_months(add_days(getdate(end), -1), 1))
	months = {**params, "first": first, "stop": stop, "month_grains": [g + MONTH for g in params["grains"]]}
	frappe.db.sql(
		f"""delete from `tab{STAT}` where grain in %(month_grains)s and day >= %(first)s and day < %(stop)s""",
		months,
	)
	month, dims = "date_format(day, '%%Y-%%m-01')", ", ".join(DIMENSIONS)
	keys = ", ".join(f"coalesce({dim}, '')" for dim in DIMENSIONS)
	sums = ", ".join(f"sum({measure})" for measure in MEASURE_COLUMNS.split(", "))
	frappe.db.sql(
		f"""insert into `tab{STAT}` (name, creation, modified, owner, modified_by, docstatus, idx,
			day, grain, {dims}, {MEASURE_COLUMNS})
		select md5(concat_ws('|', {month}, grain, 'Month', {keys})), %(now)s, %(now)s, 'Administrator',
			'Administrator', 0, 0, {month}, concat(grain, '{MONTH}'), {dims}, {sums}
		from `tab{STAT}` where grain in %(grains)s and day >= %(first)s and day < %(stop)s
		group by {month}, grain, {dims}""",
		months,
	)
	return frappe.db.sql("select row_count()")[0][0]


def ranges(days: set[date]) -> list[tuple[date, date]]:
	"""Consecutive days as [start, end) ranges of at most CHUNK_DAYS days."""
	found: list[tuple[date, date]] = []
	for day in sorted(days):
		if found and found[-1][1] == day and (day - found[-1][0]).days < CHUNK_DAYS:
			found[-1] = (found[-1][0], day + timedelta(days=1))
		else:
			found.append((day, day + timedelta(days=1)))
	return found


def rebuild(from_date: str | None = None, to_date: str | None = None, grains: tuple[str, ...] = ()) -> dict:
	"""Recompute every day from ``from_date`` to ``to_date`` (default: all days with complaints),
	committing a month at a time; only the given grains (default all)."""
	started = time.monotonic()
	complaint = frappe.qb.DocType("Complaint")
	first, last = (
		frappe.qb.from_(complaint).select(Min(complaint.received_at), Max(complaint.received_at)).run()[0]
	)
	if not first and not from_date:
		return {"days": 0, "rows": 0, "seconds": 0.0}
	start, end = getdate(from_date or first), getdate(to_date or last or from_date)
	rows, day = 0, start
	while day <= end:
		stop = min(add_days(day, CHUNK_DAYS), add_days(end, 1))
		rows += recompute(day, stop, grains=tuple(grains))
		frappe.db.commit()
		day = stop
	return {"days": (end - start).days + 1, "rows": rows, "seconds": round(time.monotonic() - started, 2)}


# ------------------------------------------------------------------ incremental upkeep
def pending_days() -> set[date]:
	"""Days marked by this transaction, sent to Redis when it commits."""
	if getattr(frappe.local, "complaint_stat_days", None) is None:
		frappe.local.complaint_stat_days = set()
		frappe.db.after_commit.add(_flush)
		frappe.db.after_rollback.add(_forget)
	return frappe.local.complaint_stat_days


def _flush() -> None:
	days = getattr(frappe.local, "complaint_stat_days", None) or set()
	frappe.local.complaint_stat_days = None
	if days:
		frappe.cache.sadd(DIRTY_KEY, *(str(day) for day in days))


def _forget() -> None:
	frappe.local.complaint_stat_days = None


def mark_complaint(doc, method: str | None = None) -> None:
	"""doc_events of Complaint: its day of receipt (both days, should that date change)."""
	days = pending_days()
	if doc.received_at:
		days.add(getdate(doc.received_at))
	before = doc.get_doc_before_save()
	if before and before.received_at and before.received_at != doc.received_at:
		days.add(getdate(before.received_at))


def mark_related(doc, method: str | None = None) -> None:
	"""doc_events of a survey, compensation, escalation or investigation: its complaint's day."""
	received = doc.flags.get("complaint_received_at") or (
		doc.get("complaint") and frappe.db.get_value("Complaint", doc.complaint, "received_at")
	)  # the SLA sweep passes it along: it has just read the complaint
	if received:
		pending_days().add(getdate(received))


def due_days(since: datetime, until: datetime) -> set[date]:
	"""Days of receipt of the complaints with an open clock that fell due in (since, until]."""
	ms, complaint = frappe.qb.DocType("Complaint Milestone"), frappe.qb.DocType("Complaint")
	found = (
		frappe.qb.from_(ms)
		.join(complaint)
		.on(complaint.name == ms.parent)
		.select(complaint.received_at)
		.distinct()
		.where(ms.parenttype == "Complaint")
		.where(ms.due_at > since)
		.where(ms.due_at <= until)
		.where(ms.met_at.isnull())
		.run(pluck=True)
	)
	return {getdate(received) for received in found}


def refresh(now: datetime | None = None) -> int:
	"""Scheduled: recompute the marked days and those whose clocks fell due; returns days done."""
	now = now or now_datetime()
	since = get_datetime(frappe.cache.get_value(LAST_SCAN_KEY) or add_days(now, -1))
	days = due_days(since, now)
	marked = frappe.cache.smembers(DIRTY_KEY)
	days |= {getdate(m.decode() if isinstance(m, bytes) else m) for m in marked}
	for start, end in ranges(days):
		recompute(start, end, now)
		frappe.db.commit()
	if marked:  # marks added meanwhile stay for the next run
		frappe.cache.srem(DIRTY_KEY, *marked)
	frappe.cache.set_value(LAST_SCAN_KEY, str(now))
	return len(days)
