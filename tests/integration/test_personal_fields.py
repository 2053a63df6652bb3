"""Roles without access to the personal fields (permlevel 1) neither see them printed nor learn
them by filtering, sorting or grouping (issue 10, personal fields)."""

from __future__ import annotations

import json

import frappe
import pytest

from tests.factories.access import handled_by
from tests.factories.doctypes import UserFactory


@pytest.fixture
def complaint():
	agent = UserFactory(roles=["Complaint Agent"]).name
	doc = handled_by(agent, customer_name="林晓峰", customer_phone="13912345678", customer_language="zh")
	return {"doc": doc, "agent": agent, "quality": UserFactory(roles=["Quality Manager"]).name}


def report_view(**params):
	from frappe.desk.reportview import get

	frappe.local.form_dict = frappe._dict(params)
	return get()


@pytest.mark.parametrize("print_format", ["Complaint Handling Notice", "Standard"])
def test_the_print_view_leaves_out_personal_fields_for_roles_without_access(complaint, as_user, print_format):
	from frappe.www.printview import get_html_and_style

	name = complaint["doc"].name
	as_user(complaint["quality"])
	html = get_html_and_style("Complaint", name, print_format=print_format)["html"]
	assert name in html
	assert "13912345678" not in html and "林晓峰" not in html
	as_user(complaint["agent"])
	html = get_html_and_style("Complaint", name, print_format=print_format)["html"]
	assert "13912345678" in html


@pytest.mark.parametrize(
	"params",
	[
		{"filters": json.dumps([["Complaint", "customer_phone", "like", "139%"]])},
		{"filters": json.dumps({"customer_name": "林晓峰"})},
		{"order_by": "`tabComplaint`.`customer_phone` asc"},
		{"group_by": "`tabComplaint`.`customer_phone`"},
	],
)
def test_roles_without_access_cannot_query_on_personal_fields(complaint, as_user, params):
	as_user(complaint["quality"])
	with pytest.raises(frappe.PermissionError):
		report_view(doctype="Complaint", fields=json.dumps(["`tabComplaint`.`name`"]), **params)
	as_user(complaint["agent"])  # the handler reads them, so may search by them
	assert report_view(doctype="Complaint", fields=json.dumps(["`tabComplaint`.`name`"]), **params)


def test_group_by_counts_and_rest_lists_refuse_personal_fields(complaint, as_user):
	from frappe.client import get_list
	from frappe.desk.listview import get_group_by_count

	as_user(complaint["quality"])
	frappe.local.form_dict = frappe._dict(doctype="Complaint", current_filters="[]", field="customer_phone")
	with pytest.raises(frappe.PermissionError):
		get_group_by_count("Complaint", "[]", "customer_phone")
	filters = {"customer_phone": "13912345678"}
	frappe.local.form_dict = frappe._dict(doctype="Complaint", filters=json.dumps(filters))
	with pytest.raises(frappe.PermissionError):
		get_list("Complaint", filters=filters)


def test_a_link_search_by_the_customers_name_finds_nothing_for_roles_without_access(complaint, as_user):
	from frappe.desk.search import search_link

	name = complaint["doc"].name
	frappe.local.form_dict = frappe._dict()
	as_user(complaint["quality"])
	assert name not in [r["value"] for r in search_link("Complaint", "林晓峰")]
	by_number = search_link("Complaint", name)
	assert [r["value"] for r in by_number] == [name]  # the number still finds it…
	assert "林晓峰" not in json.dumps(by_number, ensure_ascii=False)  # …without telling whose it is
	as_user(complaint["agent"])
	found = search_link("Complaint", "林晓峰")
	assert name in [r["value"] for r in found]


def test_saved_charts_and_cards_cannot_group_or_filter_by_personal_fields_for_them(complaint, as_user):
	"""A chart or card an admin saved is run by name: its saved grouping and filters count too."""
	from frappe.desk.doctype.dashboard_chart.dashboard_chart import get as chart_data
	from frappe.desk.doctype.number_card.number_card import get_result

	chart = frappe.get_doc(
		{
			"doctype": "Dashboard Chart",
			"chart_name": f"Complaints by phone {frappe.generate_hash(length=6)}",
			"chart_type": "Group By",
			"document_type": "Complaint",
			"group_by_type": "Count",
			"group_by_based_on": "customer_phone",
			"type": "Bar",
			"filters_json": "[]",
			"is_public": 1,
		}
	).insert(ignore_permissions=True)
	card = {
		"doctype": "Number Card",
		"document_type": "Complaint",
		"function": "Count",
		"filters_json": json.dumps([["Complaint", "customer_phone", "=", "13912345678"]]),
	}
	as_user(complaint["quality"])
	frappe.local.form_dict = frappe._dict(
		chart_name=chart.name, cmd="frappe.desk.doctype.dashboard_chart.dashboard_chart.get"
	)
	with pytest.raises(frappe.PermissionError):
		chart_data(chart_name=chart.name, refresh=1)
	frappe.local.form_dict = frappe._dict(
		doc=json.dumps(card),
		filters=card["filters_json"],
		cmd="frappe.desk.doctype.number_card.number_card.get_result",
	)
	with pytest.raises(frappe.PermissionError):
		get_result(json.dumps(card), card["filters_json"])
	as_user(complaint["agent"])  # a handler reads the phone: the chart answers
	frappe.local.form_dict = frappe._dict(chart_name=chart.name)
	assert "13912345678" in json.dumps(chart_data(chart_name=chart.name, refresh=1))
