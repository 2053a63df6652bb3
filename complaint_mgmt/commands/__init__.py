"""bench commands: ``bench --site S complaint-mgmt demo --count 2000``, ``... import FILE``."""

import click
from frappe.commands import get_site, pass_context


@click.group("complaint-mgmt")
def complaint_mgmt_group() -> None:
	"""complaint_mgmt tools."""


@complaint_mgmt_group.command("demo")
@click.option(
	"--count", default=2000, show_default=True, help="How many demo complaints the site should have"
)
@click.option("--days", default=30, show_default=True, help="Spread over this many past days")
@click.option("--reset", is_flag=True, help="Delete the demo complaints first, then create them anew")
@pass_context
def demo(context, count: int, days: int, reset: bool) -> None:
	"""Create realistic demo complaints (safe to run twice: existing demo records are kept)."""
	import frappe

	from complaint_mgmt.demo import make_demo, remove_demo

	site = get_site(context)
	frappe.init(site=site)
	frappe.connect()
	try:
		if reset:
			click.echo(f"Removed {remove_demo()} demo complaints.")
		created = make_demo(count=count, days=days, echo=click.echo)
		click.echo(f"Demo data ready: {created} complaints created, {count} demo complaints in all.")
	finally:
		frappe.destroy()


@complaint_mgmt_group.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@pass_context
def import_history(context, path: str) -> None:
	"""Import historical complaints from a CSV or XLSX file (safe to run again after an interruption)."""
	import frappe

	from complaint_mgmt.services.importing import import_file

	site = get_site(context)
	frappe.init(site=site)
	frappe.connect()
	frappe.set_user("Administrator")
	try:

		def progress(done: int, total: int) -> None:
			click.echo(f"{done}/{total} rows read", err=True)

		result, reasons = import_file(path, progress=progress)
		click.echo(
			f"Imported {result.imported} complaints; {result.skipped} were already imported; "
			f"{result.refused_rows} rows refused."
		)
		if reasons:
			click.echo(f"Reasons for the refused rows: {reasons}")
	finally:
		frappe.destroy()


commands = [complaint_mgmt_group]


@complaint_mgmt_group.command("triage-train")
@pass_context
def triage_train(context) -> None:
	"""Learn the type and priority suggestions from the site's closed complaints (also weekly)."""
	import frappe

	from complaint_mgmt.services.triage_model import train

	frappe.init(site=get_site(context))
	frappe.connect()
	try:
		train(echo=click.echo)
		frappe.db.commit()
	finally:
		frappe.destroy()


@complaint_mgmt_group.command("triage-evaluate")
@pass_context
def triage_evaluate(context) -> None:
	"""Print the held-out accuracy, the confusion table and the rules-only baseline (stores nothing)."""
	import frappe

	from complaint_mgmt.engine.triage_model import confusion_table
	from complaint_mgmt.services.triage_model import evaluate

	frappe.init(site=get_site(context))
	frappe.connect()
	try:
		result = evaluate(echo=click.echo)
		if result is None:
			return
		labelled, types, priorities = result
		click.echo(f"{labelled} closed complaints with a type")
		for what, ev in (("type", types), ("priority", priorities)):
			click.echo(
				f"{what}: {ev.accuracy:.1%} right on {ev.tested_on} held-out complaints "
				f"(trained on {ev.trained_on}); rules alone {ev.baseline_accuracy:.1%}"
			)
		rows = confusion_table(types.confusion)
		widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
		click.echo("confusion (types):")
		for row in rows:
			click.echo("  ".join(cell.rjust(width) for cell, width in zip(row, widths, strict=True)))
	finally:
		frappe.destroy()


@complaint_mgmt_group.command("recovery-rebuild")
@click.option("--from-date", help="First day of closure to recompute (default: the first closure)")
@click.option("--to-date", help="Last day of closure to recompute (default: the last closure)")
@pass_context
def recovery_rebuild(context, from_date: str | None, to_date: str | None) -> None:
	"""Recompute the Customer Recovery report's rollup (Customer Recovery Stat) from the records."""
	import frappe

	from complaint_mgmt.services.recovery_stat import rebuild

	frappe.init(site=get_site(context))
	frappe.connect()
	try:
		result = rebuild(from_date, to_date)
		click.echo(f"{result['rows']} closed complaints recomputed in {result['seconds']} s.")
	finally:
		frappe.destroy()
