"""Similar complaints (issue 14): the most similar recent complaints with the reason, only those
the user may read, and one click to link a duplicate or join an incident."""

from __future__ import annotations

import frappe
import pytest

from complaint_mgmt.api import triage as triage_api
from complaint_mgmt.services import similar
from tests.factories.access import handled_by
from tests.factories.doctypes import ComplaintFactory, ComplaintIncidentFactory, UserFactory


@pytest.fixture(autouse=True)
def fresh_index():
	similar._INDEXES.clear()
	yield
	similar._INDEXES.clear()


def test_the_same_event_in_other_words_and_the_same_waybill_are_found_with_the_reason():
	# on a site this small every shared word is common: the similarity threshold is a setting
	frappe.db.set_single_value("Complaint Triage Settings", "similar_min_score", 20)
	frappe.clear_document_cache("Complaint Triage Settings", "Complaint Triage Settings")
	first = ComplaintFactory(
		complaint_type="Damaged",
		route="杭州-成都",
		subject="货物压坏",
		description="冷链车到成都后箱子全部压扁变形，里面的玻璃瓶碎了",
	)
	same_event = ComplaintFactory(
		complaint_type="Damaged",
		route="杭州-成都",
		subject="玻璃瓶碎了",
		description="到成都的冷链车卸货时箱子压扁，玻璃瓶碎了好几个",
	)
	same_waybill = ComplaintFactory(
		complaint_type="Delay", subject="催件", waybill_no=first.waybill_no, description="催件"
	)
	ComplaintFactory(complaint_type="Bad Attitude", subject="态度", description="快递员说话不礼貌")
	found = {row.name: row for row in triage_api.similar(first.name)}
	assert set(found) == {same_event.name, same_waybill.name}
	assert (
		"similar words" in found[same_event.name].reasons and "same route" in found[same_event.name].reasons
	)
	assert any("压扁" in w or "玻璃瓶" in w for w in found[same_event.name].words)
	assert found[same_waybill.name].reasons[0] == "same waybill"
	assert found[same_waybill.name].score == 100


def test_a_complaint_the_user_may_not_read_is_not_shown(as_user):
	agent = UserFactory(roles=["Complaint Agent"]).name
	mine = handled_by(agent, description="包裹在西安转运中心丢失，客服说找不到")
	handled_by(None, description="包裹在西安转运中心丢失了，一直找不到")
	as_user(agent)
	assert triage_api.similar(mine.name) == []


def test_one_click_links_a_duplicate_and_joins_an_incident():
	original = ComplaintFactory(description="同一批生鲜全部延误，到货已经坏了")
	incident = ComplaintIncidentFactory()
	frappe.db.set_value("Complaint", original.name, "incident", incident.name)
	later = ComplaintFactory(complaint_type="Bad Attitude", description="同一批生鲜全部延误，到货都坏了")
	triage_api.link_duplicate(later.name, original.name)
	assert frappe.db.get_value("Complaint", later.name, "duplicate_of") == original.name
	assert frappe.db.exists(
		"Comment", {"reference_name": original.name, "content": ["like", f"%{later.name}%duplicate%"]}
	)
	other = ComplaintFactory(complaint_type="Bad Attitude", description="快递员态度差")
	triage_api.link_incident(other.name, incident.name)
	assert frappe.db.get_value("Complaint", other.name, ["incident", "priority"]) == (incident.name, "Urgent")
	with pytest.raises(frappe.ValidationError):
		triage_api.link_duplicate(original.name, original.name)
