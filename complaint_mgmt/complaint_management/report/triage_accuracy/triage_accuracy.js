// Copyright (c) 2026, complaint_mgmt contributors
// License: MIT. See license.txt

frappe.query_reports["Triage Accuracy"] = {
	filters: [
		{ fieldname: "from_date", label: __("From Date"), fieldtype: "Date", default: frappe.datetime.add_days(frappe.datetime.get_today(), -56) },
		{ fieldname: "to_date", label: __("To Date"), fieldtype: "Date", default: frappe.datetime.get_today() },
	],
};
