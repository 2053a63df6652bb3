// Copyright (c) 2026, complaint_mgmt contributors
// License: MIT. See license.txt

frappe.ui.form.on("Complaint Import", {
	refresh(frm) {
		const busy = ["Queued", "Running"].includes(frm.doc.status);
		if (frm.is_new() || busy || !frm.doc.import_file) {
			return;
		}
		const label = frm.doc.status === "Not Started" ? __("Start Import") : __("Import Again");
		frm.add_custom_button(label, () =>
			frappe
				.call({
					method: "complaint_mgmt.api.importing.start",
					args: { name: frm.doc.name },
					freeze: true,
				})
				.then(() => frm.reload_doc())
		).addClass("btn-primary");
	},
});
