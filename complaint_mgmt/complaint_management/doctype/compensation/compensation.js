// Copyright (c) 2026, complaint_mgmt contributors
// License: MIT. See license.txt

frappe.ui.form.on("Compensation", {
	refresh(frm) {
		if (frm.is_new()) return;
		const call = (method, args) =>
			frappe.xcall(`complaint_mgmt.api.compensation.${method}`, { name: frm.doc.name, ...args }).then(() => frm.reload_doc());
		if (["Draft", undefined, null, ""].includes(frm.doc.workflow_state)) {
			frm.add_custom_button(__("Recalculate From Matrix"), () => call("suggest"));
		}
		if (frm.doc.required_level) {
			frm.dashboard.set_headline_alert(__("Needs approval by {0}", [__(frm.doc.required_level)]), "blue");
		}
		frm.add_custom_button(__("Customer Accepts"), () => call("record_acceptance"));
		frm.add_custom_button(__("Customer Objects"), () =>
			frappe.prompt(
				{ fieldname: "reason", fieldtype: "Small Text", label: __("What the customer objects to"), reqd: 1 },
				(v) => call("record_objection", v),
				__("Record Objection")
			)
		);
		if (frm.doc.workflow_state === "Paying") {
			frm.add_custom_button(__("Payment Failed"), () =>
				frappe.prompt(
					[
						{ fieldname: "reason", fieldtype: "Small Text", label: __("Reason (told to the customer)"), reqd: 1 },
						{ fieldname: "new_date", fieldtype: "Date", label: __("New Payment Date"), reqd: 1 },
						{ fieldname: "use_fallback", fieldtype: "Check", label: __("Use the Fallback Route") },
					],
					(v) => call("record_payment_failure", v),
					__("Payment Failed")
				)
			);
		}
	},
});
