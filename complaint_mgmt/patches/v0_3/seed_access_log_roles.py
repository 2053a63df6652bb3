"""Sites installed before the Personal Data Access report: name who may read it."""

from complaint_mgmt.install import seed_access_log_roles, seed_settings, seed_workflow_states


def execute():
	# the new settings take their defaults first (saving the Single stores every field); their
	# links (the Merged state, say) must exist before the settings are saved
	seed_workflow_states()
	seed_settings()
	seed_access_log_roles()
