"""A complaint's region: the region of its origin branch by the admin's region map (Complaint
Analytics Settings → Region Map; matching in engine/regions.py).

At intake and whenever the origin branch changes the region is taken from the cached policy
(services/policy_cache.py: no query). Older complaints, or all of them after the map changed, get
theirs from ``reapply`` — one UPDATE for all complaints, then the rollup's Region grain rebuilt:
``bench --site S execute complaint_mgmt.services.regions.reapply``.
"""

from __future__ import annotations

import frappe

from complaint_mgmt.engine import regions
from complaint_mgmt.services import analytics, policy

SETTINGS = "Complaint Analytics Settings"


def assign(doc) -> None:
	"""Complaint validate: the region follows the origin branch (a person cannot type one)."""
	if doc.is_new() or doc.has_value_changed("origin_branch"):
		doc.region = policy.region(doc.origin_branch)


def stored_map() -> tuple[tuple[str, str], ...]:
	"""The map as saved now (not the cached copy)."""
	rows = frappe.get_all(
		"Complaint Region Branch",
		filters={"parenttype": SETTINGS, "parentfield": "region_map"},
		fields=["branch_prefix", "region"],
		order_by="idx",
	)
	return regions.normalise((row.branch_prefix, row.region) for row in rows)


def _like(prefix: str) -> str:
	escaped = prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
	return f"{escaped}%"


def backfill() -> int:
	"""Every complaint's region by the stored map, in one statement; returns how many changed.
	Running it again changes nothing."""
	ordered = [(prefix, region) for prefix, region in stored_map() if prefix]
	params: dict[str, str] = {}
	whens = []
	for idx, (prefix, region) in enumerate(ordered):
		params[f"p{idx}"], params[f"r{idx}"] = _like(prefix), region
		whens.append(f"when trim(origin_branch) like binary %(p{idx})s then %(r{idx})s")
	region = f"case {' '.join(whens)} else '' end" if whens else "''"
	frappe.db.sql(
		f"update `tabComplaint` set region = {region} where coalesce(region, '') != {region}", params
	)
	return frappe.db.sql("select row_count()")[0][0]


def reapply() -> dict:
	"""The map applied to every complaint, and the rollup's Region grain rebuilt for all days."""
	changed = backfill()
	frappe.db.commit()
	return {"changed": changed, **analytics.rebuild(grains=("Region",))}


def seed_default_map() -> bool:
	"""The shipped map (engine/regions.py), when the site has none; returns whether it was seeded."""
	settings = frappe.get_single(SETTINGS)
	if settings.region_map:
		return False
	settings.set("region_map", [{"branch_prefix": p, "region": r} for p, r in regions.default_map()])
	settings.flags.ignore_validate = True  # defaults only, other settings are as stored
	settings.save(ignore_permissions=True)
	return True
