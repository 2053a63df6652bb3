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
		// the server refuses an objection in these states too
		if (!["Paying", "Paid", "Rejected", "Cancelled"].includes(frm.doc.workflow_state)) {
			frm.add_custom_button(__("Customer Objects"), () =>
				frappe.prompt(
					{ fieldname: "reason", fieldtype: "Small Text", label: __("What the customer objects to"), reqd: 1 },
					(v) => call("record_objection", v),
					__("Record Objection")
				)
			);
		}
		if (frm.doc.customer_response === "Objected") {
			frm.dashboard.set_headline_alert(
				__("The customer objected at {0}: re-evaluate the offer", [frappe.datetime.str_to_user(frm.doc.objection_at)]),
				"orange"
			);
			frm.add_custom_button(__("Record Re-evaluation"), () =>
				frappe.prompt(
					[
						{
							fieldname: "outcome",
							fieldtype: "Select",
							label: __("Outcome"),
							options: [
								{ value: "Offer Revised", label: __("Offer Revised") },
								{ value: "Offer Upheld", label: __("Offer Upheld") },
							],
							reqd: 1,
						},
						{ fieldname: "note", fieldtype: "Small Text", label: __("What Was Re-evaluated"), reqd: 1 },
					],
					(v) => call("record_reevaluation", v),
					__("Record Re-evaluation")
				)
			);
		}
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
