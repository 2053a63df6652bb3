"""The side effects of new complaints, worked through by a few long background jobs instead of one
job per complaint.

A background job costs far more than its work here: RQ forks a fresh process for each job, which
connects to the site and imports the app again, so at a burst of complaints the workers spent most
of their time starting jobs. Now a new complaint carries *Background Attempts Left*
(``effects_pending``, set in its INSERT: no extra statement) and its save asks, after the commit,
for one of *Background Intake Jobs* (Complaint Settings) to run; a job that is queued already is not
queued again, one that is running gets one follow-up. A job walks through every complaint with attempts left, oldest first,
each under its own row lock (``SKIP LOCKED``: two jobs never take the same complaint) and with its
own commit. The steps themselves stay exactly-once (services/side_effects.py). A complaint whose
step failed keeps an attempt less and is tried again by the next job; the scheduler starts one every
minute, which also picks up a complaint whose request ended while both the job of its slot and the
follow-up were finishing.
"""

from __future__ import annotations

import time
import zlib

import frappe
from frappe import _

from complaint_mgmt.services import policy

JOB = "complaint_mgmt.services.intake_queue.work_through"
QUEUE = "short"
BATCH = 100
# a job stops taking complaints after this and queues its successor (RQ's short-queue timeout is 300 s)
JOB_SECONDS = 240


def mark(doc) -> None:
	"""before_insert: the new complaint's side effects are to be done."""
	doc.effects_pending = max(policy.settings().background_step_attempts or 0, 1)


def request(doc) -> None:
	"""after_insert: a job works through the new complaint once the save has committed."""
	jobs = max(policy.settings().background_jobs or 0, 1)
	slot = zlib.crc32(doc.name.encode()) % jobs
	frappe.db.after_commit.add(lambda: start_safely(slot))


def start_safely(slot: int) -> None:
	"""After the commit the complaint is stored: a queue that cannot be reached must not turn the
	answer into an error (the customer would send it again); the scheduler's job takes it."""
	try:
		start(slot)
	except Exception:
		frappe.log_error(title=_("Background steps failed"))


def start(slot: int = 0) -> None:
	"""Queue the slot's job unless it is queued already (it will see the new complaint). A job that
	has started may be past its last look for work: then its follow-up is queued instead."""
	from frappe.utils.background_jobs import get_job
	from rq.job import JobStatus

	for job_id in (f"complaint_mgmt:intake_effects:{slot}", f"complaint_mgmt:intake_effects:{slot}:next"):
		job = get_job(job_id)
		status = job.get_status() if job else None
		if status == JobStatus.QUEUED:
			return
		if status != JobStatus.STARTED:
			frappe.enqueue(JOB, queue=QUEUE, job_id=job_id, deduplicate=True)
			return


def waiting(after: str | None, limit: int = BATCH) -> list[str]:
	complaint = frappe.qb.DocType("Complaint")
	query = (
		frappe.qb.from_(complaint)
		.select(complaint.name)
		.where(complaint.effects_pending > 0)
		.orderby(complaint.name)
		.limit(limit)
	)
	if after:
		query = query.where(complaint.name > after)
	return [row[0] for row in query.run()]


def take(name: str) -> bool:
	"""Lock the complaint for this job, unless another job has it or its steps are done."""
	complaint = frappe.qb.DocType("Complaint")
	return bool(
		frappe.qb.from_(complaint)
		.select(complaint.name)
		.where((complaint.name == name) & (complaint.effects_pending > 0))
		.for_update(skip_locked=True)
		.run()
	)


def spend_attempt(name: str) -> None:
	complaint = frappe.qb.DocType("Complaint")
	frappe.qb.update(complaint).set(complaint.effects_pending, complaint.effects_pending - 1).where(
		(complaint.name == name) & (complaint.effects_pending > 0)
	).run()


def work_through(seconds: float = JOB_SECONDS) -> int:
	"""The job: every complaint with attempts left, once each; returns how many it took."""
	from complaint_mgmt.services.intake_effects import after_intake

	started, taken, last = time.monotonic(), 0, None
	while names := waiting(last):
		for name in names:
			last = name
			if time.monotonic() - started > seconds:
				frappe.enqueue(JOB, queue=QUEUE)  # the rest goes to a successor
				return taken
			if not take(name):
				continue  # another job has it, or it is done
			frappe.db.savepoint("intake_effects")
			try:
				after_intake(frappe.get_doc("Complaint", name))
				taken += 1
			except Exception:
				frappe.db.rollback(save_point="intake_effects")
				frappe.log_error(
					title=_("Background steps failed"), reference_doctype="Complaint", reference_name=name
				)
				spend_attempt(name)
			frappe.db.commit()
	return taken
