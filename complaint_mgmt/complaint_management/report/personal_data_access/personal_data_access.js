// Copyright (c) 2026, complaint_mgmt contributors
// License: MIT. See license.txt

frappe.query_reports["Personal Data Access"] = {
	filters: [
		{ fieldname: "complaint", label: __("Complaint"), fieldtype: "Link", options: "Complaint" },
		{ fieldname: "customer_phone", label: __("Customer Phone"), fieldtype: "Data" },
		{ fieldname: "customer_email", label: __("Customer Email"), fieldtype: "Data" },
		{ fieldname: "from_date", label: __("From Date"), fieldtype: "Date" },
		{ fieldname: "to_date", label: __("To Date"), fieldtype: "Date" },
	],
};
