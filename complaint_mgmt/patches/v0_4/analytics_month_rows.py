"""Sites whose rollup predates the month rows: each grain's month rows, summed from its day rows."""

import frappe
from frappe.utils import add_days, now_datetime

from complaint_mgmt.services import analytics


def execute() -> None:
	first, last = frappe.db.sql(f"select min(day), max(day) from `tab{analytics.STAT}`")[0]
	if first:
		params = {"grains": tuple(analytics.GRAINS), "now": now_datetime()}
		analytics.recompute_months(first, add_days(last, 1), params)
