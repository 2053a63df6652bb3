"""Sites that built the rollup before its Day grain existed: rebuild it once."""

from complaint_mgmt.services import analytics


def execute() -> None:
	analytics.rebuild()
