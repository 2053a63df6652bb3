// Copyright (c) 2026, complaint_mgmt contributors
// License: MIT. See license.txt

frappe.ui.form.on("Complaint Purge Request", {
	refresh(frm) {
		if (frm.is_new()) return;
		frm.disable_save(); // the saved request is the audit record: it changes only by approval
		if (frm.doc.status !== "Awaiting Approval") return;
		frm.add_custom_button(__("Approve and Purge"), () =>
			frappe.confirm(__("Anonymise {0} complaints now? This cannot be undone.", [frm.doc.complaint_count]), () =>
				frm.call("approve").then(() => frm.reload_doc())
			)
		);
		frm.add_custom_button(__("Reject"), () =>
			frappe.prompt({ fieldname: "reason", fieldtype: "Small Text", label: __("Reason"), reqd: 1 }, ({ reason }) =>
				frm.call("reject", { reason }).then(() => frm.reload_doc())
			)
		);
	},
});
