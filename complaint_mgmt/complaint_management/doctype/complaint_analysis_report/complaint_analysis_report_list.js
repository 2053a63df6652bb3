// Copyright (c) 2026, complaint_mgmt contributors
// License: MIT. See license.txt

frappe.listview_settings["Complaint Analysis Report"] = {
	onload(listview) {
		if (!frappe.model.can_create("Complaint Analysis Report")) return;
		listview.page.add_inner_button(__("Generate Analysis Report"), () => {
			frappe.prompt(
				{ fieldname: "month", label: __("Month"), fieldtype: "Date", reqd: 1, default: frappe.datetime.add_months(frappe.datetime.month_start(), -1) },
				(values) =>
					frappe
						.xcall("complaint_mgmt.api.analytics.generate_report", { month: values.month })
						.then((name) => frappe.set_route("Form", "Complaint Analysis Report", name)),
				__("Generate Analysis Report")
			);
		});
	},
};
