// Copyright (c) 2026, complaint_mgmt contributors
// License: MIT. See license.txt

frappe.query_reports["Complaint Satisfaction"] = {
	filters: [
		{ fieldname: "from_date", label: __("From"), fieldtype: "Date", default: frappe.datetime.add_months(frappe.datetime.month_start(), -2) },
		{ fieldname: "to_date", label: __("To"), fieldtype: "Date", default: frappe.datetime.get_today() },
		{ fieldname: "view", label: __("Show"), fieldtype: "Select", options: ["By Type", "Low-score Items"], default: "By Type" },
		{ fieldname: "complaint_type", label: __("Complaint Type"), fieldtype: "Link", options: "Complaint Type" },
		{ fieldname: "channel", label: __("Channel"), fieldtype: "Link", options: "Complaint Channel" },
		{ fieldname: "priority", label: __("Priority"), fieldtype: "Select", options: ["", "Urgent", "Important", "General"] },
		{ fieldname: "department", label: __("Department"), fieldtype: "Link", options: "Complaint Department" },
		{ fieldname: "route", label: __("Route"), fieldtype: "Data" },
		{ fieldname: "branch", label: __("Origin Branch"), fieldtype: "Data" },
		{ fieldname: "region", label: __("Region"), fieldtype: "Data" },
	],
};
