"""The seeded acknowledgement emails printed the priority in English to every customer: print it
through _(), which the message renders in the customer's language. An admin's own wording stays."""

import frappe

OLD, NEW = "{{ doc.priority }}", "{{ _(doc.priority) }}"


def execute():
	for name in ("Complaint Acknowledgement", "Complaint Acknowledgement (zh)"):
		html = frappe.db.get_value("Email Template", name, "response_html")
		if html and OLD in html:
			frappe.db.set_value("Email Template", name, "response_html", html.replace(OLD, NEW))
