// Copyright (c) 2026, complaint_mgmt contributors
// License: MIT. See license.txt

frappe.ui.form.on("Complaint Investigation", {
	refresh(frm) {
		if (frm.is_new()) return;
		const call = (method) =>
			frappe.xcall(`complaint_mgmt.api.compensation.${method}`, { name: frm.doc.name }).then(() => frm.reload_doc());
		frm.add_custom_button(__("Request Evidence From Customer"), () => call("request_customer_evidence"));
		if (frm.doc.status !== "Report Submitted") {
			frm.add_custom_button(__("Submit Preliminary Report"), () => call("submit_investigation_report")).addClass(
				"btn-primary"
			);
		}
		if (frm.doc.deadline && frm.doc.status !== "Report Submitted") {
			const late = moment(frm.doc.deadline).isBefore(moment(frappe.datetime.now_datetime()));
			frm.dashboard.set_headline_alert(
				__("Report due {0}", [frappe.datetime.str_to_user(frm.doc.deadline)]),
				late ? "red" : "blue"
			);
		}
	},
});
