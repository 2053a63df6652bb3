// Copyright (c) 2026, complaint_mgmt contributors
// License: MIT. See license.txt

frappe.listview_settings["Customer Shipment"] = {
	onload(listview) {
		if (!frappe.model.can_create("Customer Shipment")) {
			return;
		}
		// history from a CSV file (waybill_no, customer, shipped_at, freight); a progress bar follows it
		listview.page.add_inner_button(__("Import CSV"), () => {
			new frappe.ui.FileUploader({
				is_private: 1,
				restrictions: { allowed_file_types: [".csv"] },
				on_success(file) {
					frappe
						.call({
							method: "complaint_mgmt.api.shipments.import_csv",
							args: { file_url: file.file_url },
						})
						.then((r) => frappe.show_alert(r.message));
				},
			});
		});
	},
};
