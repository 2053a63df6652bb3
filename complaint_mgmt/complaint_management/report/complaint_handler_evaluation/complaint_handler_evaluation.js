// Copyright (c) 2026, complaint_mgmt contributors
// License: MIT. See license.txt

frappe.query_reports["Complaint Handler Evaluation"] = {
	filters: [
		{ fieldname: "from_date", label: __("From"), fieldtype: "Date", default: frappe.datetime.add_months(frappe.datetime.month_start(), -2) },
		{ fieldname: "to_date", label: __("To"), fieldtype: "Date", default: frappe.datetime.get_today() },
		{ fieldname: "group_by", label: __("Evaluate"), fieldtype: "Select", options: ["Agent", "Department"], default: "Agent" },
		{ fieldname: "priority", label: __("Priority"), fieldtype: "Select", options: ["", "Urgent", "Important", "General"] },
		{ fieldname: "department", label: __("Department"), fieldtype: "Link", options: "Complaint Department" },
	],
};
