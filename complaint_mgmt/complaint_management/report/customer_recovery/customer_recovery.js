// Copyright (c) 2026, complaint_mgmt contributors
// License: MIT. See license.txt

const RECOVERY_STRATEGIES = [
	"",
	"Personalised Plan",
	"E-Voucher",
	"Free Value-Added Service",
	"Gift",
	"Priority Service",
	"Process Fix",
	"Communication",
	"No Plan",
];

frappe.query_reports["Customer Recovery"] = {
	filters: [
		{
			fieldname: "from_date",
			label: __("Closed From"),
			fieldtype: "Date",
			default: frappe.datetime.add_days(frappe.datetime.get_today(), -365),
		},
		{ fieldname: "to_date", label: __("Closed To"), fieldtype: "Date", default: frappe.datetime.get_today() },
		{ fieldname: "complaint_type", label: __("Complaint Type"), fieldtype: "Link", options: "Complaint Type" },
		{ fieldname: "channel", label: __("Channel"), fieldtype: "Link", options: "Complaint Channel" },
		{ fieldname: "region", label: __("Region"), fieldtype: "Data" },
		{ fieldname: "strategy", label: __("Strategy"), fieldtype: "Select", options: RECOVERY_STRATEGIES },
		{
			fieldname: "window_days",
			label: __("Retention Window (Days)"),
			fieldtype: "Int",
			description: __("Empty: the window in Complaint Recovery Settings"),
		},
	],
};
