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

# Complaints are guarded record by record; every record that belongs to a complaint follows it
# (`related_*`: its `complaint` link). A customer's records (issue 12) follow the complaints of that
# customer; an incident follows the complaints in it.
_RELATED = ("Compensation", "Complaint Investigation", "Complaint Survey", "Complaint Escalation")
_TRIAGE = ("Complaint Triage Feedback",)  # issue 14: the agent's accept/override of a suggestion
_CUSTOMER_RECORDS = (
	"Complaint Customer",
	"Customer Shipment",
	"Complaint Voucher",
	"Voucher Redemption",
	"Recovery Plan",
)
_RECOVERY_ROLLUP = ("Customer Recovery Stat",)  # one row per closed complaint, read by the report
_P = "complaint_mgmt.permissions"
permission_query_conditions = {
	"Complaint": f"{_P}.complaint_query_conditions",
	**{doctype: f"{_P}.related_query_conditions" for doctype in (*_RELATED, *_TRIAGE, *_RECOVERY_ROLLUP)},
	"Complaint Incident": f"{_P}.incident_query_conditions",
	"File": "complaint_mgmt.services.files.file_query_conditions",
	**{doctype: f"{_P}.customer_query_conditions" for doctype in _CUSTOMER_RECORDS},
}
has_permission = {
	"Complaint": f"{_P}.complaint_has_permission",
	**{doctype: f"{_P}.related_has_permission" for doctype in (*_RELATED, *_TRIAGE, *_RECOVERY_ROLLUP)},
	"Complaint Incident": f"{_P}.incident_has_permission",
	"File": "complaint_mgmt.services.files.file_has_permission",
	**{doctype: f"{_P}.customer_has_permission" for doctype in _CUSTOMER_RECORDS},
}
# link fields search complaints only by what the reader may read (not the customer's name)
standard_queries = {"Complaint": "complaint_mgmt.api.complaint.search"}
# downloads of a complaint's private files are checked against the complaint
override_doctype_class = {"File": "complaint_mgmt.overrides.file.ComplaintAwareFile"}
# the complaint form: triage suggestions (issue 14), the recovery plan button beside them (issue 12)
doctype_js = {"Complaint": ["public/js/complaint_triage.js", "public/js/complaint_recovery.js"]}

scheduler_events = {
	"cron": {
		# new complaints' side effects whose job did not start (services/intake_queue.py)
		"* * * * *": ["complaint_mgmt.services.intake_queue.work_through"],
		# the SLA sweep and the analysis rollup's refresh; change the interval in the desk
		# (Scheduled Job Type) if needed
		"*/5 * * * *": [
			"complaint_mgmt.tasks.sla.sweep",
			"complaint_mgmt.services.progress_feedback.send_due",
			"complaint_mgmt.services.analytics.refresh",
		],
	},
	"hourly": ["complaint_mgmt.services.early_warning.scan"],
	"daily": [
		"complaint_mgmt.services.investigation.send_reminders",
		# a website customer's own deletion request purges their complaints once past retention
		"complaint_mgmt.services.purge.deletion_requests_due",
		"complaint_mgmt.services.improvement.daily",
		"complaint_mgmt.services.recovery_plans.remind_due",
		"complaint_mgmt.services.vouchers.expire",
	],
	"weekly": ["complaint_mgmt.services.triage_model.train_weekly"],
	"monthly": ["complaint_mgmt.services.analysis_report.monthly"],
}

_GUARD = "complaint_mgmt.services.write_guard.before_validate"  # computed fields stay computed
_MARK = "complaint_mgmt.services.analytics.mark_related"  # the rollup recomputes the day (issue 13)
_PROTECT = "complaint_mgmt.services.evidence.protect_record"
_RS = "complaint_mgmt.services.recovery_stat"  # the recovery rollup follows (issue 12)
doc_events = {
	"File": {
		"before_validate": "complaint_mgmt.services.files.guard",
		"on_trash": "complaint_mgmt.services.evidence.protect_file",
		"validate": "complaint_mgmt.services.evidence.protect_attachment",
	},
	"Complaint": {
		"before_validate": _GUARD,
		"on_trash": [_PROTECT, "complaint_mgmt.services.analytics.mark_complaint"],
		"on_change": ["complaint_mgmt.services.analytics.mark_complaint", f"{_RS}.on_complaint_change"],
		"after_delete": f"{_RS}.on_complaint_delete",
		# a closure may call for a recovery plan (rules: Recovery Suggestion Rule)
		"on_update": "complaint_mgmt.services.recovery_plans.on_complaint_update",
	},
	"Complaint Investigation": {
		"before_validate": _GUARD,
		"on_trash": [_PROTECT, _MARK],
		"on_change": _MARK,
	},
	"Compensation": {
		"before_validate": _GUARD,
		"on_change": [_MARK, f"{_RS}.on_record_change"],
		"on_trash": [_MARK],
		"after_delete": f"{_RS}.on_record_change",
		# an approved compensation's Voucher lines issue real vouchers
		"on_update": "complaint_mgmt.services.vouchers.on_compensation_update",
	},
	"Complaint Survey": {
		"before_validate": _GUARD,
		"on_change": [_MARK, f"{_RS}.on_record_change"],
		"on_trash": [_MARK],
		"after_delete": f"{_RS}.on_record_change",
		# a low survey score may call for a recovery plan
		"after_insert": "complaint_mgmt.services.recovery_plans.on_survey_insert",
	},
	"Complaint Escalation": {"before_validate": _GUARD, "on_change": _MARK, "on_trash": [_MARK]},
	"Complaint Incident": {"before_validate": _GUARD},
	"Recovery Plan": {
		"before_validate": _GUARD,
		"on_change": f"{_RS}.on_customer_record_change",
		"after_delete": f"{_RS}.on_customer_record_change",
	},
	"Voucher Redemption": {
		"on_change": f"{_RS}.on_customer_record_change",
		"after_delete": f"{_RS}.on_customer_record_change",
	},
	**{
		doctype: {"before_validate": _GUARD}
		for doctype in (
			"Complaint Alert",
			"Complaint Improvement Action",
			"Complaint Customer",
			"Complaint Voucher",
		)
	},
	# any assignment of a complaint (desk Assign To, bulk assign, Assignment Rule) gives it an owner
	"ToDo": {"on_update": "complaint_mgmt.services.assignment.on_todo_change"},
	"Personal Data Deletion Request": {"on_change": "complaint_mgmt.services.purge.on_deletion_request"},
	# the policy records every new complaint needs are cached per site (services/policy_cache.py):
	# an admin's change of any of them, or `bench clear-cache`, drops the cached copy
	**{
		doctype: {
			event: ["complaint_mgmt.services.policy_cache.on_change"]
			for event in ("on_update", "on_trash", "after_rename")
		}
		for doctype in (
			"Complaint Priority Rule",
			"Complaint SLA Policy",
			"Complaint Business Calendar",
			"Complaint Escalation Rule",
			"Complaint Type",
			"Complaint Channel",
			"Workflow",
		)
	},
}
clear_cache = "complaint_mgmt.services.policy_cache.clear"

# personal data access (SPEC §11): REST reads, print previews and PDFs of a complaint are logged
after_request = ["complaint_mgmt.services.access_log.log_request"]
