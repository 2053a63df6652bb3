// Copyright (c) 2026, complaint_mgmt contributors
// License: MIT. See license.txt

frappe.listview_settings["Complaint"] = {
	add_fields: ["sla_status", "priority", "workflow_state"],
	filters: [["closed_at", "is", "not set"]],
	formatters: {
		sla_status(value) {
			const colors = { "On Track": "green", "At Risk": "orange", Breached: "red", Met: "blue", Paused: "gray", Stopped: "darkgrey" };
			return value ? `<span class="indicator-pill ${colors[value] || "gray"}">${__(value)}</span>` : "";
		},
	},
};
