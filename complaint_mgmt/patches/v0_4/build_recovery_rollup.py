"""Issue 12: the Customer Recovery report reads a rollup; sites with closed complaints build it once."""

from complaint_mgmt.services import recovery_stat


def execute():
	recovery_stat.rebuild()
