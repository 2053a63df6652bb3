// Copyright (c) 2026, complaint_mgmt contributors
// License: MIT. See license.txt

frappe.ui.form.on("Complaint", {
	refresh(frm) {
		if (frm.is_new()) return;
		const colors = { Urgent: "red", Important: "orange", General: "blue" };
		frm.dashboard.clear_headline();
		frm.dashboard.set_headline_alert(
			`<span class="indicator ${colors[frm.doc.priority] || "gray"}">${__(frm.doc.priority)}</span>
			 ${(frm.doc.priority_reason || "")
					.split("\n")
					.map((reason) => frappe.utils.escape_html(__(reason)))
					.join(" · ")}`
		);
		if (frm.doc.duplicate_of) {
			frm.dashboard.add_comment(
				__("Possible duplicate of {0} (same waybill)", [frm.doc.duplicate_of.bold()]),
				"yellow",
				true
			);
		}
		if (frm.doc.incident) {
			frm.dashboard.add_comment(__("Part of group incident {0}", [frm.doc.incident.bold()]), "red", true);
		}
		if (!frm.doc.acknowledged_at && !frm.doc.closed_at) {
			frm.add_custom_button(__("Record Acknowledgement"), () => record_acknowledgement(frm));
		}
		frm.add_custom_button(__("Change Priority"), () => change_priority(frm));
		frm.add_custom_button(__("Extend Deadline"), () => extend_deadline(frm));
		frm.add_custom_button(
			__("Investigation"),
			() => frappe.new_doc("Complaint Investigation", { complaint: frm.doc.name }),
			__("Create")
		);
		frm.add_custom_button(__("Compensation"), () => frappe.new_doc("Compensation", { complaint: frm.doc.name }), __("Create"));
		frm.add_custom_button(
			__("Send Handling Notice"),
			() =>
				frappe
					.xcall("complaint_mgmt.api.compensation.send_handling_notice", { complaint: frm.doc.name })
					.then((message) => {
						frappe.show_alert({ message, indicator: "blue" });
						setTimeout(() => frm.reload_doc(), 5000);
					}),
			__("Create")
		);
		if (frm.doc.closed_at) {
			frm.add_custom_button(
				__("Satisfaction Survey"),
				() => frappe.new_doc("Complaint Survey", { complaint: frm.doc.name }),
				__("Create")
			);
		}
		show_sla_clocks(frm);
	},
});

const SLA_COLORS = { "On Track": "green", "At Risk": "orange", Breached: "red", Met: "blue", Paused: "gray", Stopped: "darkgrey" };

function show_sla_clocks(frm) {
	const rows = (frm.doc.milestones || []).map((m) => {
		let when = "";
		if (m.met_at) {
			when = __("met at {0}", [frappe.datetime.str_to_user(m.met_at)]);
		} else if (m.stopped_at) {
			when = __("stopped at {0}", [frappe.datetime.str_to_user(m.stopped_at)]);
		} else if (m.status === "Paused") {
			when = __("paused");
		} else if (m.due_at) {
			const minutes = moment(m.due_at).diff(moment(frappe.datetime.now_datetime()), "minutes");
			const span = humanize(Math.abs(minutes));
			when = minutes >= 0 ? __("due in {0}", [span]) : __("overdue by {0}", [span]);
		}
		const level = m.escalation_level ? ` · ${__("escalated to level {0}", [m.escalation_level])}` : "";
		return `<span class="indicator-pill ${SLA_COLORS[m.status] || "gray"}" style="margin: 2px 6px 2px 0">
			${__(m.milestone)}: ${__(m.status)} (${when}${level})</span>`;
	});
	if (rows.length) {
		frm.dashboard.add_section(`<div>${rows.join("")}</div>`, __("Service Level"));
		frm.dashboard.show();
	}
}

function humanize(minutes) {
	const days = Math.floor(minutes / 1440);
	const hours = Math.floor((minutes % 1440) / 60);
	const mins = minutes % 60;
	return [days ? `${days}d` : "", hours ? `${hours}h` : "", `${mins}m`].filter(Boolean).join(" ");
}

function extend_deadline(frm) {
	frappe.prompt(
		[
			{
				fieldname: "milestone",
				fieldtype: "Select",
				label: __("Milestone"),
				options: (frm.doc.milestones || []).filter((m) => !m.met_at).map((m) => m.milestone),
				default: "Investigation Report",
				reqd: 1,
			},
			{ fieldname: "hours", fieldtype: "Float", label: __("Extra Hours"), reqd: 1 },
			{ fieldname: "reason", fieldtype: "Small Text", label: __("Reason (sent to the customer)"), reqd: 1 },
		],
		(values) =>
			frappe
				.xcall("complaint_mgmt.api.complaint.grant_extension", { name: frm.doc.name, ...values })
				.then(() => frm.reload_doc()),
		__("Extend Deadline"),
		__("Extend")
	);
}

function change_priority(frm) {
	const dialog = new frappe.ui.Dialog({
		title: __("Change Priority"),
		fields: [
			{
				fieldname: "priority",
				fieldtype: "Select",
				label: __("Priority"),
				options: frm.fields_dict.priority.df.options,
				default: frm.doc.priority,
				reqd: 1,
			},
			{
				fieldname: "reason",
				fieldtype: "Small Text",
				label: __("Reason"),
				description: __("Required when lowering the priority"),
			},
		],
		primary_action_label: __("Change"),
		primary_action(values) {
			frappe
				.xcall("complaint_mgmt.api.complaint.change_priority", {
					name: frm.doc.name,
					priority: values.priority,
					reason: values.reason,
				})
				.then(() => {
					dialog.hide();
					frm.reload_doc();
				});
		},
	});
	dialog.show();
}

function record_acknowledgement(frm) {
	const ways = ["Phone", "SMS", "Email", "In Person", "Chat", "Letter", "Other"];
	frappe.prompt(
		[
			{
				fieldname: "via",
				fieldtype: "Select",
				label: __("How the Customer Was Told"),
				options: ways.map((value) => ({ value, label: __(value) })),
				default: "Phone",
				reqd: 1,
			},
			{
				fieldname: "acknowledged_at",
				fieldtype: "Datetime",
				label: __("When"),
				default: frappe.datetime.now_datetime(),
				reqd: 1,
			},
			{ fieldname: "note", fieldtype: "Small Text", label: __("What Was Said") },
		],
		(values) =>
			frappe
				.xcall("complaint_mgmt.api.complaint.record_acknowledgement", { name: frm.doc.name, ...values })
				.then(() => frm.reload_doc()),
		__("Record Acknowledgement"),
		__("Record")
	);
}
