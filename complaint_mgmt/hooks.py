app_name = "complaint_mgmt"
app_title = "Complaint Management"
app_publisher = "complaint_mgmt contributors"
app_description = "Customer complaints for express delivery: intake, priority, SLA, escalation, compensation"
app_email = "maintainers@complaint-mgmt.invalid"
app_license = "MIT"

before_install = "complaint_mgmt.install.before_install"
after_install = "complaint_mgmt.install.after_install"
after_migrate = "complaint_mgmt.install.after_migrate"
before_uninstall = "complaint_mgmt.install.before_uninstall"
# `bench --site S run-tests --app complaint_mgmt` runs tests/unit and tests/integration
before_tests = "complaint_mgmt.tests.before_tests"

# Roles are shipped as fixtures (re-applied on migrate). The workflow, channels, types and
# templates are seeded by install.py only when missing, so that an admin's changes survive.
fixtures = [
	{
		"dt": "Role",
		"filters": [
			[
				"role_name",
				"in",
				[
					"Complaint Agent",
					"Complaint Supervisor",
					"Complaint Manager",
					"Department Manager",
					"Operations Manager",
					"Quality Manager",
					"Risk Manager",
					"General Manager",
					"Complaint Finance",
					"Complaint Marketing",
					"Complaint Admin",
				],
			]
		],
	},
]

# the customer's own complaints, in the website's account menu
portal_menu_items = [{"title": "My Complaints", "route": "/my-complaints"}]

before_request = ["complaint_mgmt.services.request_guard.before_request"]

# the complaint form gives the guest back only the complaint's number (not the whole record),
# and counts submissions per form whatever the spelling of its name
override_whitelisted_methods = {
	"frappe.website.doctype.web_form.web_form.accept": "complaint_mgmt.api.portal.accept_web_form",
}

# Complaints are guarded record by record; every record that belongs to a complaint follows it.
permission_query_conditions = {
	"Complaint": "complaint_mgmt.permissions.complaint_query_conditions",
	"Compensation": "complaint_mgmt.permissions.related_query_conditions",
	"Complaint Investigation": "complaint_mgmt.permissions.related_query_conditions",
	"Complaint Survey": "complaint_mgmt.permissions.related_query_conditions",
	"Complaint Escalation": "complaint_mgmt.permissions.related_query_conditions",
	"Complaint Incident": "complaint_mgmt.permissions.incident_query_conditions",
	"File": "complaint_mgmt.services.files.file_query_conditions",
}
has_permission = {
	"Complaint": "complaint_mgmt.permissions.complaint_has_permission",
	"Compensation": "complaint_mgmt.permissions.related_has_permission",
	"Complaint Investigation": "complaint_mgmt.permissions.related_has_permission",
	"Complaint Survey": "complaint_mgmt.permissions.related_has_permission",
	"Complaint Escalation": "complaint_mgmt.permissions.related_has_permission",
	"Complaint Incident": "complaint_mgmt.permissions.incident_has_permission",
	"File": "complaint_mgmt.services.files.file_has_permission",
}
# link fields search complaints only by what the reader may read (not the customer's name)
standard_queries = {"Complaint": "complaint_mgmt.api.complaint.search"}
# downloads of a complaint's private files are checked against the complaint
override_doctype_class = {"File": "complaint_mgmt.overrides.file.ComplaintAwareFile"}


scheduler_events = {
	"cron": {
		# the SLA sweep; change the interval in the desk (Scheduled Job Type) if needed
		"*/5 * * * *": [
			"complaint_mgmt.tasks.sla.sweep",
			"complaint_mgmt.services.progress_feedback.send_due",
		],
	},
	"daily": ["complaint_mgmt.services.investigation.send_reminders"],
}

doc_events = {
	"File": {
		"before_validate": "complaint_mgmt.services.files.guard",
		"on_trash": "complaint_mgmt.services.evidence.protect_file",
		"validate": "complaint_mgmt.services.evidence.protect_attachment",
	},
	"Complaint": {
		"before_validate": "complaint_mgmt.services.write_guard.before_validate",
		"on_trash": "complaint_mgmt.services.evidence.protect_record",
	},
	"Complaint Investigation": {
		"before_validate": "complaint_mgmt.services.write_guard.before_validate",
		"on_trash": "complaint_mgmt.services.evidence.protect_record",
	},
	"Compensation": {"before_validate": "complaint_mgmt.services.write_guard.before_validate"},
	"Complaint Survey": {"before_validate": "complaint_mgmt.services.write_guard.before_validate"},
	"Complaint Incident": {"before_validate": "complaint_mgmt.services.write_guard.before_validate"},
	"Complaint Escalation": {"before_validate": "complaint_mgmt.services.write_guard.before_validate"},
	# any assignment of a complaint (desk Assign To, bulk assign, Assignment Rule) gives it an owner
	"ToDo": {"on_update": "complaint_mgmt.services.assignment.on_todo_change"},
}

# personal data access (SPEC §11): REST reads, print previews and PDFs of a complaint are logged
after_request = ["complaint_mgmt.services.access_log.log_request"]

# a website customer's own deletion request purges their complaints once past retention
doc_events["Personal Data Deletion Request"] = {
	"on_change": "complaint_mgmt.services.purge.on_deletion_request"
}
scheduler_events["daily"].append("complaint_mgmt.services.purge.deletion_requests_due")

# analytics rollups (issue 13): a change marks the complaint's day; the refresh recomputes it
doc_events["Complaint"]["on_change"] = "complaint_mgmt.services.analytics.mark_complaint"
doc_events["Complaint"]["on_trash"] = [
	doc_events["Complaint"]["on_trash"],
	"complaint_mgmt.services.analytics.mark_complaint",
]
for _doctype in ("Compensation", "Complaint Survey", "Complaint Escalation", "Complaint Investigation"):
	_events = doc_events.setdefault(_doctype, {})
	_events["on_change"] = "complaint_mgmt.services.analytics.mark_related"
	_events["on_trash"] = [
		*([_events["on_trash"]] if "on_trash" in _events else []),
		"complaint_mgmt.services.analytics.mark_related",
	]
scheduler_events["cron"]["*/5 * * * *"].append("complaint_mgmt.services.analytics.refresh")

# the policy records every new complaint needs are cached per site (services/policy_cache.py):
# an admin's change of any of them, or `bench clear-cache`, drops the cached copy
for _doctype in (
	"Complaint Priority Rule",
	"Complaint SLA Policy",
	"Complaint Business Calendar",
	"Complaint Escalation Rule",
	"Complaint Type",
	"Complaint Channel",
	"Workflow",
):
	_events = doc_events.setdefault(_doctype, {})
	for _event in ("on_update", "on_trash", "after_rename"):
		_handlers = _events.get(_event) or []
		_events[_event] = [
			*([_handlers] if isinstance(_handlers, str) else _handlers),
			"complaint_mgmt.services.policy_cache.on_change",
		]
clear_cache = "complaint_mgmt.services.policy_cache.clear"

# smart triage (issue 14): the weekly retraining, the suggestions on the complaint form, and the
# acceptance records, as strict as their complaint
scheduler_events.setdefault("weekly", []).append("complaint_mgmt.services.triage_model.train_weekly")
doctype_js = {"Complaint": "public/js/complaint_triage.js"}
permission_query_conditions["Complaint Triage Feedback"] = (
	"complaint_mgmt.permissions.related_query_conditions"
)
has_permission["Complaint Triage Feedback"] = "complaint_mgmt.permissions.related_has_permission"

# early warning and improvement actions (issue 13)
scheduler_events["hourly"] = [
	*scheduler_events.get("hourly", []),
	"complaint_mgmt.services.early_warning.scan",
]
scheduler_events["daily"].append("complaint_mgmt.services.improvement.daily")
for _doctype in ("Complaint Alert", "Complaint Improvement Action"):
	doc_events.setdefault(_doctype, {})["before_validate"] = (
		"complaint_mgmt.services.write_guard.before_validate"
	)
# customer recovery (issue 12): a customer's records follow the complaints of that customer
permission_query_conditions.update(
	{
		"Complaint Customer": "complaint_mgmt.permissions.customer_query_conditions",
		"Customer Shipment": "complaint_mgmt.permissions.customer_query_conditions",
		"Complaint Voucher": "complaint_mgmt.permissions.customer_query_conditions",
		"Voucher Redemption": "complaint_mgmt.permissions.customer_query_conditions",
		"Recovery Plan": "complaint_mgmt.permissions.customer_query_conditions",
	}
)
has_permission.update(
	{
		"Complaint Customer": "complaint_mgmt.permissions.customer_has_permission",
		"Customer Shipment": "complaint_mgmt.permissions.customer_has_permission",
		"Complaint Voucher": "complaint_mgmt.permissions.customer_has_permission",
		"Voucher Redemption": "complaint_mgmt.permissions.customer_has_permission",
		"Recovery Plan": "complaint_mgmt.permissions.customer_has_permission",
	}
)
doc_events.update(
	{
		"Complaint Customer": {"before_validate": "complaint_mgmt.services.write_guard.before_validate"},
		"Complaint Voucher": {"before_validate": "complaint_mgmt.services.write_guard.before_validate"},
		"Recovery Plan": {"before_validate": "complaint_mgmt.services.write_guard.before_validate"},
	}
)
# a closure, or a low survey score, may call for a recovery plan (rules: Recovery Suggestion Rule)
doc_events["Complaint"]["on_update"] = "complaint_mgmt.services.recovery_plans.on_complaint_update"
doc_events["Complaint Survey"]["after_insert"] = "complaint_mgmt.services.recovery_plans.on_survey_insert"
scheduler_events["daily"].append("complaint_mgmt.services.recovery_plans.remind_due")
# an approved compensation's Voucher lines issue real vouchers
doc_events["Compensation"]["on_update"] = "complaint_mgmt.services.vouchers.on_compensation_update"
scheduler_events["daily"].append("complaint_mgmt.services.vouchers.expire")
# the recovery plan button beside the triage suggestions on the complaint form
doctype_js["Complaint"] = [doctype_js["Complaint"], "public/js/complaint_recovery.js"]
scheduler_events["monthly"] = [
	*scheduler_events.get("monthly", []),
	"complaint_mgmt.services.analysis_report.monthly",
]
