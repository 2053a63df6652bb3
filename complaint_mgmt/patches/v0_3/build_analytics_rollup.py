"""Sites upgraded from a release without the analysis reports: build their rollup once."""

from complaint_mgmt.services import analytics


def execute() -> None:
	analytics.rebuild()
