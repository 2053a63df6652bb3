"""Complaints recorded before the region existed: the new settings' defaults (Watch Regions), the
shipped region map (when the site has none), every complaint's region from it, and the rollup's
Region grain. Running it again changes nothing."""

from complaint_mgmt.install import seed_analytics_settings
from complaint_mgmt.services import regions


def execute() -> None:
	seed_analytics_settings()  # before the map is saved, which would store Watch Regions unset
	regions.seed_default_map()
	regions.reapply()
