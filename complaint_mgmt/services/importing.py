"""Bulk import of historical complaints (CSV or XLSX from the old system).

Rows are checked by ``engine.importing``; good ones get their priority and SLA clocks as of their
own dates and go into the tables in chunks (bulk inserts, no document events: nothing is sent to
anyone). Each chunk commits, and rows whose ``intake_reference`` is already stored are skipped, so
an interrupted import simply runs again. Refused rows are written to a reason file (row, column,
reason) and nothing of them is stored.
"""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

import frappe
from frappe import _
from frappe.utils import now_datetime

from complaint_mgmt.engine import importing as rules
from complaint_mgmt.engine.errors import PolicyViolation
from complaint_mgmt.services import customers
from complaint_mgmt.services.import_book import (
	ImportBook,
	complaint_fields,
	milestone_fields,
	reserve_names,
)

CHUNK = 2000
DEADLOCK_RETRIES = 3
Progress = Callable[[int, int], None]


@dataclass
class ImportResult:
	imported: int = 0
	skipped: int = 0
	refused: list[rules.RowError] = field(default_factory=list)
	names: list[str] = field(default_factory=list)
	# escalation levels the imported clocks reached: (complaint, clock, priority) per clock
	clocks: list[tuple] = field(default_factory=list)

	@property
	def refused_rows(self) -> int:
		return len({e.row for e in self.refused})


def read_table(content: bytes | str, filename: str) -> tuple[list, list[list]]:
	"""Header and rows of a CSV (UTF-8 or GB18030, as Chinese systems export) or XLSX file."""
	if isinstance(content, str):  # Frappe hands over text files already decoded
		content = content.encode()
	if filename.lower().endswith(".xlsx"):
		from openpyxl import load_workbook

		sheet = load_workbook(io.BytesIO(content), read_only=True, data_only=True).worksheets[0]
		rows = [list(r) for r in sheet.iter_rows(values_only=True)]
	elif filename.lower().endswith(".csv"):
		try:
			text = content.decode("utf-8-sig")
		except UnicodeDecodeError:
			text = content.decode("gb18030")
		rows = list(csv.reader(io.StringIO(text)))
	else:
		frappe.throw(_("Import a CSV or XLSX file"), title=_("Unknown file type"))
	if not rows:
		frappe.throw(_("The file is empty"))
	return rows[0], rows[1:]


def _blank(values: Sequence) -> bool:
	return all(v is None or str(v).strip() == "" for v in values)


def _already_stored(keys: Iterable[str]) -> set[str]:
	complaint = frappe.qb.DocType("Complaint")
	keys = list(keys)
	if not keys:
		return set()
	return set(
		frappe.qb.from_(complaint)
		.select(complaint.intake_reference)
		.where(complaint.intake_reference.isin(keys))
		.run(pluck=True)
	)


def import_rows(
	header: Sequence, rows: Sequence[Sequence], *, progress: Progress | None = None, commit: bool = True
) -> ImportResult:
	"""Import checked rows chunk by chunk (row numbers count the header as row 1)."""
	try:
		fields = rules.map_header(header)
	except PolicyViolation as error:
		frappe.throw(_(error.message).format(**error.params), title=_("Cannot import this file"))
	book = ImportBook(now_datetime())
	c_fields, m_fields = complaint_fields(fields), milestone_fields()
	defaults = book.defaults(c_fields)
	result, first_row_of = ImportResult(), {}
	numbered = [(n, values) for n, values in enumerate(rows, start=2) if not _blank(values)]
	for start in range(0, len(numbered), CHUNK):
		good = []
		for number, values in numbered[start : start + CHUNK]:
			record, errors = rules.parse_row(fields, values, number, book.rules, book.now)
			key = record and record[rules.SOURCE_KEY]
			if key in first_row_of:
				errors = [
					rules.RowError(
						number,
						rules.SOURCE_KEY,
						"{value} is already on row {row}",
						{"value": key, "row": first_row_of[key]},
					)
				]
			elif key:
				first_row_of[key] = number
			if errors:
				result.refused.extend(errors)
			else:
				good.append(record)
		for attempt in range(1, DEADLOCK_RETRIES + 1):
			try:
				stored = _already_stored(r[rules.SOURCE_KEY] for r in good)
				todo = [r for r in good if r[rules.SOURCE_KEY] not in stored]
				_store(book, todo, c_fields, m_fields, defaults, result, commit)
				break
			except frappe.QueryDeadlockError:
				# live intake locked the same index pages: this chunk is undone and done again
				if not commit or attempt == DEADLOCK_RETRIES:
					raise
				frappe.db.rollback()
		result.skipped += len(good) - len(todo)
		if commit:
			frappe.db.commit()
		if progress:
			progress(min(start + CHUNK, len(numbered)), len(numbered))
	return result


def _store(
	book: ImportBook, records: list[dict], c_fields, m_fields, defaults, result: ImportResult, commit: bool
) -> None:
	if not records:
		return
	names = reserve_names("Complaint", len(records))
	if commit:
		frappe.db.commit()  # the numbers are taken: release the series for live intake at once
	complaints, milestones, reached = [], [], []
	for name, record in zip(names, records, strict=True):
		clocks = book.complete(record)
		complaints.append(book.complaint_row(name, record, c_fields, defaults))
		milestones.extend(book.milestone_rows(name, record, clocks))
		reached.extend((name, clock, record["priority"]) for clock in clocks if clock.fired)
	insert_many("Complaint", c_fields, complaints)
	insert_many("Complaint Milestone", m_fields, milestones)
	result.clocks.extend(reached)
	result.imported += len(records)
	result.names.extend(names)


def insert_many(doctype: str, fields: Sequence[str], rows: Sequence[tuple], chunk: int = 1000) -> None:
	"""Multi-row INSERTs with bound parameters. ``frappe.db.bulk_insert`` builds the same statement
	through the query builder, which renders each value in Python at ~60 µs a row of 70 columns: more
	than the whole rest of the import. The driver's parameter binding does it in a fraction."""
	columns = ", ".join(f"`{f}`" for f in fields)
	one = "(" + ", ".join(["%s"] * len(fields)) + ")"
	for start in range(0, len(rows), chunk):
		part = rows[start : start + chunk]
		values = [value for row in part for value in row]
		frappe.db.sql(f"INSERT INTO `tab{doctype}` ({columns}) VALUES {', '.join([one] * len(part))}", values)


def reasons_csv(errors: Sequence[rules.RowError]) -> str:
	"""The reason file: one line per fault (a row may have several), in the reader's language."""
	out = io.StringIO()
	writer = csv.writer(out)
	writer.writerow([_("Row"), _("Column"), _("Reason")])
	for error in sorted(errors, key=lambda e: e.row):
		writer.writerow([error.row, error.column, _(error.reason).format(**error.params)])
	return out.getvalue()


def run_import(import_name: str) -> None:
	"""Background job of a Complaint Import: progress on the form, counts and reason file at the end."""
	doc = frappe.get_doc("Complaint Import", import_name)
	doc.db_set({"status": "Running", "started_at": now_datetime(), "finished_at": None})
	frappe.db.commit()

	def progress(done: int, total: int) -> None:
		frappe.publish_progress(
			done * 100 / total,
			title=_("Importing complaints"),
			doctype=doc.doctype,
			docname=doc.name,
			description=_("{0} of {1} rows").format(done, total),
		)

	try:
		file = frappe.get_doc("File", {"file_url": doc.import_file})
		header, rows = read_table(file.get_content(), file.file_name or file.file_url)
		result = import_rows(header, rows, progress=progress)
		customers.backfill()  # imported complaints join their customers, set-based
	except frappe.ValidationError as error:
		# the file itself is refused (type, columns) before anything is written
		doc.db_set({"status": "Failed", "error": str(error), "finished_at": now_datetime()})
		frappe.db.commit()
		return
	except Exception:
		frappe.db.rollback()  # the chunk under way; earlier chunks are committed, a re-run skips them
		frappe.log_error(
			title=_("Complaint import failed"), reference_doctype=doc.doctype, reference_name=doc.name
		)
		doc.db_set(
			{
				"status": "Failed",
				"error": _("The import stopped; see the Error Log"),
				"finished_at": now_datetime(),
			}
		)
		frappe.db.commit()
		return
	values = {"status": "Completed", "imported": result.imported, "skipped": result.skipped,
		"refused": result.refused_rows, "reasons_file": None, "finished_at": now_datetime()}  # fmt: skip
	if result.refused:
		reasons = frappe.get_doc(
			{
				"doctype": "File",
				"file_name": f"{doc.name}-refused.csv",
				"content": reasons_csv(result.refused),
				"is_private": 1,
				"attached_to_doctype": doc.doctype,
				"attached_to_name": doc.name,
			}
		).insert(ignore_permissions=True)
		values["reasons_file"] = reasons.file_url
	doc.db_set(values, notify=True)
	frappe.db.commit()


def import_file(path: str, *, progress: Progress | None = None) -> tuple[ImportResult, str | None]:
	"""The bench command's import: returns the result and the path of the reason file, if any."""
	with open(path, "rb") as fh:
		header, rows = read_table(fh.read(), path)
	result = import_rows(header, rows, progress=progress)
	if not result.refused:
		return result, None
	reasons = f"{os.path.splitext(path)[0]}.refused.csv"
	with open(reasons, "w", encoding="utf-8-sig", newline="") as fh:
		fh.write(reasons_csv(result.refused))
	return result, reasons
