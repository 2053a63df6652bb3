// Copyright (c) 2026, complaint_mgmt contributors
// License: MIT. See license.txt

frappe.ui.form.on("Complaint Alert", {
	refresh(frm) {
		if (frm.doc.improvement_action) {
			frm.add_custom_button(__("Improvement Action"), () =>
				frappe.set_route("Form", "Complaint Improvement Action", frm.doc.improvement_action)
			);
		} else if (frm.doc.status === "Open" && frappe.model.can_create("Complaint Improvement Action")) {
			frm.add_custom_button(__("Create Improvement Action"), () =>
				frappe
					.xcall("complaint_mgmt.api.analytics.raise_action", { alert: frm.doc.name })
					.then((name) => frappe.set_route("Form", "Complaint Improvement Action", name))
			).addClass("btn-primary");
		}
	},
});
