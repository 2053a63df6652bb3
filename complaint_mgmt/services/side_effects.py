"""Side effects of a complaint's save, run in background jobs once the save has committed.

Recording a complaint returns as soon as what must hold at once is stored (number, priority with
its reasons, SLA clocks, duplicate and incident links); telling the customer, choosing the owners,
telling Risk Management and updating the other members of an incident follow in a job
(``frappe.enqueue(..., enqueue_after_commit=True)``), so that the job sees the committed
complaint and never runs for one that was rolled back. Tests run the job at once, on the same
document.

Exactly once: a job locks its complaint's row before it reads anything, so two runs (a retry, a
job queued twice) take turns; every step is recorded on the complaint (the Background Steps
field) with its outcome, and a step recorded as done is skipped. Everything a step writes
(Communications, Email Queue rows, assignments, notifications) commits together with that record,
or not at all. A step that fails is rolled back alone, recorded as failed with the reason (and in
the Error Log), and tried again by the next run.
"""

from __future__ import annotations

from collections.abc import Callable

import frappe
from frappe import _
from frappe.utils import now_datetime

QUEUE = "short"
DONE, FAILED = "done", "failed"


def later(function: Callable, doc, request: Callable | None = None) -> None:
	"""Run ``function(doc)`` in a background job after the commit; in tests at once, on ``doc``.
	``request(doc)``, when given, asks for that job its own way (services/intake_queue.py)."""
	if frappe.flags.in_test:
		function(doc)
		return
	if request:
		request(doc)
		return
	frappe.enqueue(
		"complaint_mgmt.services.side_effects.run",
		queue=QUEUE,
		enqueue_after_commit=True,
		function=f"{function.__module__}.{function.__qualname__}",
		doctype=doc.doctype,
		name=doc.name,
	)


def run(function: str, doctype: str, name: str) -> None:
	"""The job: lock the document, load it and apply ``function``."""
	if not frappe.db.get_value(doctype, name, "name", for_update=True):
		return  # deleted since
	frappe.get_attr(function)(frappe.get_doc(doctype, name))


def outcomes(doc) -> dict[str, str]:
	"""The recorded outcome of each step: ``{"acknowledgement": "done", ...}``."""
	found = {}
	for line in (doc.get("side_effects") or "").splitlines():
		step, _sep, rest = line.partition(":")
		found[step.strip()] = rest.strip().split(" ", 1)[0]
	return found


def step(doc, name: str, action: Callable[[], None]) -> bool:
	"""Do ``action`` unless the step is recorded as done; record its outcome. Returns whether it ran."""
	if outcomes(doc).get(name) == DONE:
		return False
	frappe.db.savepoint("side_effect")
	try:
		action()
		outcome = f"{DONE} {now_datetime():%Y-%m-%d %H:%M:%S}"
	except Exception as error:
		frappe.db.rollback(save_point="side_effect")
		frappe.log_error(
			title=_("Background step {0} failed").format(name),
			reference_doctype=doc.doctype,
			reference_name=doc.name,
		)
		outcome = f"{FAILED} {now_datetime():%Y-%m-%d %H:%M:%S}: {error}"
	record(doc, name, outcome)
	return True


def record(doc, name: str, outcome: str) -> None:
	lines = [
		line
		for line in (doc.get("side_effects") or "").splitlines()
		if line.partition(":")[0].strip() != name
	]
	# the form shows the change (a form opened before the job reloads instead of overwriting it)
	doc.db_set("side_effects", "\n".join([*lines, f"{name}: {outcome}"]), update_modified=True, notify=True)
