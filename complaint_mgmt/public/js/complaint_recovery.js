// Copyright (c) 2026, complaint_mgmt contributors
// License: MIT. See license.txt

// issue 12: a closed complaint's recovery plan in one click (the suggested one, or a new one)
frappe.ui.form.on("Complaint", {
	refresh(frm) {
		if (frm.is_new() || !frm.doc.closed_at || !frm.doc.customer || !frappe.model.can_create("Recovery Plan")) {
			return;
		}
		frm.add_custom_button(
			__("Recovery Plan"),
			() =>
				frappe
					.call({ method: "complaint_mgmt.api.recovery.create_plan", args: { complaint: frm.doc.name } })
					.then((r) => frappe.set_route("Form", "Recovery Plan", r.message)),
			__("Customer")
		);
	},
});
