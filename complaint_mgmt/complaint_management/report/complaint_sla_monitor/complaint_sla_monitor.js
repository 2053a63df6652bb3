// Copyright (c) 2026, complaint_mgmt contributors
// License: MIT. See license.txt

frappe.query_reports["Complaint SLA Monitor"] = {
	filters: [
		{
			fieldname: "status",
			label: __("SLA Status"),
			fieldtype: "Select",
			options: ["", "At Risk", "Breached", "On Track", "Paused"],
			description: __("Empty: At Risk and Breached"),
		},
		{
			fieldname: "milestone",
			label: __("Milestone"),
			fieldtype: "Select",
			options: ["", "Acknowledge", "Assign", "Investigation Report", "Objection Re-evaluation", "Resolution"],
		},
		{ fieldname: "priority", label: __("Priority"), fieldtype: "Select", options: ["", "Urgent", "Important", "General"] },
		{ fieldname: "department", label: __("Department"), fieldtype: "Link", options: "Complaint Department" },
	],
	formatter(value, row, column, data, default_formatter) {
		value = default_formatter(value, row, column, data);
		if (column.fieldname === "status" && data) {
			const color = { "At Risk": "orange", Breached: "red", "On Track": "green", Paused: "gray" }[data.status];
			return `<span class="indicator-pill ${color}">${__(data.status)}</span>`;
		}
		return value;
	},
};
