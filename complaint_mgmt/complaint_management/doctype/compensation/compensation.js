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
		// remedies the customer receives as a thing or an act (engine/closure.py DELIVERED_REMEDIES)
		const delivered = ["Reship", "Voucher", "VIP Card", "Apology Call", "Priority Delivery"];
		const undone = (frm.doc.lines || []).filter((l) => !l.done && delivered.includes(l.remedy));
		if (["Approved", "Paying", "Paid"].includes(frm.doc.workflow_state) && undone.length) {
			frm.add_custom_button(__("Record Remedy Done"), () =>
				frappe.prompt(
					[
						{
							fieldname: "line",
							fieldtype: "Select",
							label: __("Remedy"),
							reqd: 1,
							options: undone.map((l) => ({ value: l.name, label: `${l.idx}. ${__(l.remedy)}` })),
						},
						{ fieldname: "proof", fieldtype: "Data", label: __("Proof (Signed Waybill, Voucher Code…)") },
					],
					(v) => call("record_done", v),
					__("Record Remedy Done")
				)
			);
		}
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
