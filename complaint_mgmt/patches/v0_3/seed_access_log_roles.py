"""Sites installed before the Personal Data Access report: name who may read it."""

from complaint_mgmt.install import seed_access_log_roles


def execute():
	seed_access_log_roles()
