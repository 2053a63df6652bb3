// Copyright (c) 2026, complaint_mgmt contributors
// License: MIT. See license.txt

frappe.ui.form.on("Complaint Voucher", {
	refresh(frm) {
		if (frm.is_new() || !frm.perm[0].write) {
			return;
		}
		const act = (method) =>
			frappe
				.call({ method: `complaint_mgmt.api.vouchers.${method}`, args: { name: frm.doc.name } })
				.then(() => frm.reload_doc());
		if (frm.doc.status === "Pending Approval") {
			frm.add_custom_button(__("Approve"), () => act("approve")).addClass("btn-primary");
		}
		if (["Pending Approval", "Issued"].includes(frm.doc.status)) {
			frm.add_custom_button(__("Cancel Voucher"), () =>
				frappe.confirm(__("Cancel this voucher? The customer can no longer use it."), () =>
					act("cancel")
				)
			);
		}
	},
});
