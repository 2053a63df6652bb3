"""bench commands: ``bench --site S complaint-mgmt demo --count 2000``."""

import click
from frappe.commands import get_site, pass_context


@click.group("complaint-mgmt")
def complaint_mgmt_group() -> None:
	"""complaint_mgmt tools."""


@complaint_mgmt_group.command("demo")
@click.option(
	"--count", default=2000, show_default=True, help="How many demo complaints the site should have"
)
@click.option("--days", default=90, show_default=True, help="Spread over this many past days")
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
		created = make_demo(count=count, days=days)
		click.echo(f"Demo data ready: {created} complaints created, {count} demo complaints in all.")
	finally:
		frappe.destroy()


commands = [complaint_mgmt_group]
