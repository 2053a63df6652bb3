"""Sites installed before the Personal Data Access report: name who may read it."""

from complaint_mgmt.install import seed_access_log_roles, seed_settings


def execute():
	# the new settings take their defaults first (saving the Single stores every field)
	seed_settings()
	seed_access_log_roles()
