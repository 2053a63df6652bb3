// Copyright (c) 2026, complaint_mgmt contributors
// License: MIT. See license.txt
// Smart triage on the complaint form (issue 14): suggestions while the agent types, and the
// similar complaints of a saved complaint with one-click links.

frappe.ui.form.on("Complaint", {
	refresh(frm) {
		complaint_triage.suggest(frm);
		complaint_triage.similar(frm);
	},
	subject(frm) {
		complaint_triage.later(frm);
	},
	description(frm) {
		complaint_triage.later(frm);
	},
	channel(frm) {
		complaint_triage.later(frm);
	},
});

const complaint_triage = {
	timer: null,
	later(frm) {
		clearTimeout(this.timer);
		this.timer = setTimeout(() => this.suggest(frm), 700);
	},
	esc(text) {
		return frappe.utils.escape_html(text == null ? "" : String(text));
	},
	words(list) {
		return (list || []).map((w) => `<span class="badge badge-light" style="margin-right:3px">${this.esc(w)}</span>`).join("");
	},
	suggest(frm) {
		const field = frm.fields_dict.triage_panel;
		if (!field || !(frm.doc.subject || frm.doc.description)) {
			field && field.$wrapper.empty();
			return;
		}
		frappe
			.xcall("complaint_mgmt.api.triage.suggest", {
				subject: frm.doc.subject || "",
				description: frm.doc.description || "",
				channel: frm.doc.channel || "",
			})
			.then((s) => this.render(frm, s));
	},
	render(frm, s) {
		const rows = [];
		if (s.type) {
			const accept =
				s.type.value !== frm.doc.complaint_type && !frm.get_docfield("complaint_type").read_only
					? ` <button class="btn btn-xs btn-primary triage-accept-type">${__("Use this type")}</button>`
					: "";
			rows.push(
				`<div>${__("Type")}: <b>${this.esc(s.type.label)}</b> (${__("{0} % confident", [s.type.confidence])}, ${__(
					s.type.source === "Model" ? "learned" : "rules"
				)}) ${this.words(s.type.words)}${accept}</div>`
			);
		}
		rows.push(
			`<div>${__("Priority by the rules")}: <b>${this.esc(s.priority.label)}</b> ${(s.priority.reasons || [])
				.map((r) => this.esc(r))
				.join(" · ")}</div>`
		);
		if (s.expected_priority) {
			rows.push(
				`<div>${__("Priority usually given to such complaints")}: <b>${this.esc(s.expected_priority.label)}</b> (${__(
					"{0} % confident",
					[s.expected_priority.confidence]
				)}) ${this.words(s.expected_priority.words)}</div>`
			);
		}
		for (const signal of s.signals || []) {
			rows.push(`<div>${this.esc(signal.signal)}: ${this.words(signal.words)}</div>`);
		}
		if (s.anger && s.anger.level) {
			rows.push(`<div>${__("Anger {0} of 3", [s.anger.level])}: ${this.words(s.anger.words)}</div>`);
		}
		const html = `<div class="triage-suggestions" style="padding:8px 10px;border:1px solid var(--border-color);border-radius:6px;margin-bottom:10px">
			<div class="text-muted small" style="margin-bottom:4px">${this.esc(s.note)}</div>${rows.join("")}</div>`;
		const wrapper = frm.fields_dict.triage_panel.$wrapper;
		wrapper.html(html);
		wrapper.find(".triage-accept-type").on("click", () => frm.set_value("complaint_type", s.type.value));
	},
	similar(frm) {
		const field = frm.fields_dict.similar_panel;
		if (!field || frm.is_new()) return;
		frappe.xcall("complaint_mgmt.api.triage.similar", { name: frm.doc.name }).then((rows) => {
			if (!rows.length) {
				field.$wrapper.html(`<div class="text-muted small">${__("No similar recent complaint")}</div>`);
				return;
			}
			const lines = rows.map(
				(r) => `<tr>
				<td><a href="/app/complaint/${encodeURIComponent(r.name)}">${this.esc(r.name)}</a><br>
					<span class="text-muted small">${this.esc(r.subject)}</span></td>
				<td>${this.esc(__(r.complaint_type || ""))}<br><span class="text-muted small">${this.esc(
					frappe.datetime.str_to_user(r.received_at)
				)} · ${this.esc(__(r.workflow_state || ""))}</span></td>
				<td>${r.score} %<br><span class="small">${r.reasons.map((x) => this.esc(x)).join(", ")}</span> ${this.words(r.words)}</td>
				<td style="white-space:nowrap">
					${frm.doc.duplicate_of ? "" : `<button class="btn btn-xs btn-default triage-dup" data-name="${this.esc(r.name)}">${__("Duplicate of This")}</button>`}
					${r.incident && !frm.doc.incident
						? `<button class="btn btn-xs btn-default triage-inc" data-incident="${this.esc(r.incident)}">${__("Join Its Incident")}</button>`
						: ""}
				</td></tr>`
			);
			field.$wrapper.html(`<table class="table table-sm small">${lines.join("")}</table>`);
			field.$wrapper.find(".triage-dup").on("click", (e) =>
				frappe
					.xcall("complaint_mgmt.api.triage.link_duplicate", { name: frm.doc.name, original: $(e.currentTarget).data("name") })
					.then(() => frm.reload_doc())
			);
			field.$wrapper.find(".triage-inc").on("click", (e) =>
				frappe
					.xcall("complaint_mgmt.api.triage.link_incident", { name: frm.doc.name, incident: $(e.currentTarget).data("incident") })
					.then(() => frm.reload_doc())
			);
		});
	},
};
