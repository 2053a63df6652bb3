"""Realistic demo data: Chinese express-delivery complaints over the last 90 days.

Every record carries an intake reference ``DEMO-nnnnnn``; running again creates only the
missing ones, so the command is safe to repeat and to extend with a larger ``--count``.
"""

from __future__ import annotations

import random
from datetime import timedelta

import frappe
from frappe.utils import add_to_date, now_datetime

from complaint_mgmt.services import sla

DEMO_DOMAIN = "demo.complaint.localhost"
STAFF = (
	("agent1", "王", "芳", ["Complaint Agent"]),
	("agent2", "李", "娜", ["Complaint Agent"]),
	("agent3", "张", "伟", ["Complaint Agent"]),
	("agent4", "刘", "洋", ["Complaint Agent"]),
	("supervisor1", "陈", "静", ["Complaint Supervisor"]),
	("supervisor2", "杨", "磊", ["Complaint Supervisor"]),
	("manager1", "赵", "敏", ["Complaint Manager"]),
	("ops1", "黄", "强", ["Operations Manager"]),
	("ops2", "周", "杰", ["Operations Manager"]),
	("warehouse1", "吴", "军", ["Department Manager"]),
	("transport1", "徐", "涛", ["Department Manager"]),
	("delivery1", "孙", "丽", ["Department Manager"]),
	("finance1", "马", "超", ["Department Manager", "Complaint Finance"]),
	("it1", "朱", "明", ["Department Manager"]),
	("cs1", "胡", "婷", ["Department Manager"]),
	("risk1", "郭", "勇", ["Risk Manager"]),
	("quality1", "林", "霞", ["Quality Manager"]),
	("gm1", "何", "刚", ["General Manager"]),
)
DEPARTMENT_OF = {
	"warehouse1": "Warehouse",
	"transport1": "Transport",
	"delivery1": "Delivery",
	"finance1": "Finance",
	"it1": "IT",
	"cs1": "Customer Service",
}
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐"
GIVEN = (
	"伟",
	"芳",
	"娜",
	"敏",
	"静",
	"丽",
	"强",
	"磊",
	"军",
	"洋",
	"勇",
	"艳",
	"杰",
	"娟",
	"涛",
	"明",
	"超",
	"秀英",
	"建国",
	"晓红",
)
CITIES = ("上海", "北京", "广州", "深圳", "杭州", "成都", "武汉", "南京", "西安", "重庆", "天津", "苏州")
STREETS = ("人民路", "解放路", "中山路", "建设路", "长江路", "和平街", "新华路", "滨江大道")
SUBJECTS = {
	"Delay": ("快件延误三天未到", "承诺次日达却延误", "物流停滞不更新"),
	"Non-standard Delivery": ("未经同意放驿站", "快递员未送货上门", "被放在快递柜未通知"),
	"Bad Attitude": ("快递员服务态度恶劣", "客服挂断电话", "派件员言语不当"),
	"Damaged": ("外包装破损内物损坏", "易碎品摔碎", "生鲜包裹挤压变形"),
	"Contents Missing": ("内件丢失", "包裹里少了一件", "礼盒内物品缺失"),
	"Weight / Quantity Mismatch": (
		"重量与下单不符",
		"件数少了两件",
	),
	"Parcel Lost": ("包裹丢失", "显示签收但未收到", "快件在中转中丢失"),
	"Wrong Freight": ("运费多收", "运费计算错误"),
	"Insured Claim Dispute": ("保价理赔金额不合理", "保价件理赔被拒"),
	"Unreasonable Charge": ("收取不合理上楼费", "派送另收费用"),
	"Order Failed": ("小程序下单失败", "APP无法下单"),
	"Tracking Anomaly": ("物流轨迹异常", "轨迹显示已签收但未派送"),
	"Query Function Down": ("运单查询功能失效",),
	"Information Error": ("运单地址信息错误", "收件人电话录错"),
	"Wrong Delivery": ("包裹送错地址", "被他人冒领"),
	"Other Complaint": ("其他问题咨询",),
}
LIFECYCLE = (
	("New", 0),
	("Acknowledged", 0),
	("Assigned", 1),
	("Investigating", 2),
	("Solution Proposed", 4),
	("Awaiting Customer", 5),
	("Executing", 7),
	("Resolved", 9),
	("Closed", 12),
	("Rejected", 3),
)


def ensure_staff() -> None:
	for login, last, first, roles in STAFF:
		email = f"{login}@{DEMO_DOMAIN}"
		if not frappe.db.exists("User", email):
			frappe.get_doc(
				{
					"doctype": "User",
					"email": email,
					"first_name": first,
					"last_name": last,
					"language": "zh",
					"time_zone": frappe.db.get_single_value("System Settings", "time_zone"),
					"send_welcome_email": 0,
					"new_password": "demo-Pass-2026",
					"roles": [{"role": role} for role in roles],
				}
			).insert(ignore_permissions=True)
		# demo addresses are fictitious: their bell notifications stay, emails about them do not
		if frappe.db.exists("Notification Settings", email):
			frappe.db.set_value("Notification Settings", email, "enable_email_notifications", 0)
		department = DEPARTMENT_OF.get(login)
		if department:
			dep = frappe.get_doc("Complaint Department", department)
			if not dep.manager:
				dep.manager = email
				dep.append("members", {"user": email, "active": 1})
				dep.save(ignore_permissions=True)


def _phone(rng: random.Random) -> str:
	return f"1{rng.choice('3456789')}{rng.randrange(10**8, 10**9)}"


def _complaint(rng: random.Random, index: int, types: list[str], channels: list[str], days: int) -> dict:
	complaint_type = rng.choice(types)
	origin, destination = rng.sample(CITIES, 2)
	received = add_to_date(now_datetime(), minutes=-rng.randrange(0, days * 24 * 60))
	goods_category = rng.choices(
		("General", "Fresh", "Medical", "Valuables", "Fragile", "Documents"), (60, 8, 3, 9, 12, 8)
	)[0]
	goods_value = round(rng.lognormvariate(5.5, 1.1), 2)
	insured = rng.random() < 0.3
	name = rng.choice(SURNAMES) + rng.choice(GIVEN)
	return {
		"doctype": "Complaint",
		"intake_reference": f"DEMO-{index:06d}",
		"subject": rng.choice(SUBJECTS.get(complaint_type, ("快件问题",))),
		"complaint_type": complaint_type,
		"channel": rng.choice(channels),
		"received_at": received,
		"description": f"<p>客户反映:{origin}寄往{destination}的快件出现问题,请尽快核实处理。</p>",
		"expected_resolution": rng.choice(("Compensation", "Reship", "Apology", "Refund", "Explanation")),
		"customer_name": name,
		"customer_phone": _phone(rng),
		"customer_email": f"customer{index}@example.com" if rng.random() < 0.6 else None,
		"customer_tier": rng.choices(("Standard", "VIP", "Key Account"), (80, 15, 5))[0],
		"sender_address": f"{origin}市{rng.choice(STREETS)}{rng.randrange(1, 999)}号",
		"recipient_address": f"{destination}市{rng.choice(STREETS)}{rng.randrange(1, 999)}号",
		"waybill_no": f"SF{rng.randrange(10**11, 10**12)}",
		"order_time": add_to_date(received, days=-rng.randrange(1, 6)),
		"route": f"{origin}-{destination}",
		"origin_branch": f"{origin}{rng.choice(STREETS)}网点",
		"destination_branch": f"{destination}{rng.choice(STREETS)}网点",
		"service_type": rng.choice(("Express", "Economy", "Same Day", "Freight")),
		"goods_category": goods_category,
		"goods_value": goods_value,
		"freight": round(rng.uniform(8, 60), 2),
		"declared_value": goods_value,
		"is_insured": 1 if insured else 0,
		"insured_value": goods_value if insured else 0,
		"group_size": 1 if rng.random() < 0.97 else rng.randrange(5, 30),
		"media_involved": 1 if rng.random() < 0.01 else 0,
		"regulator_intent": 1 if rng.random() < 0.03 else 0,
	}


def _lifecycle(rng: random.Random, doc) -> None:
	age_days = (now_datetime() - doc.received_at).days
	candidates = [state for state, min_age in LIFECYCLE if min_age <= age_days]
	weights = [12 if s == "Closed" else 1 for s in candidates]
	state = rng.choices(candidates, weights)[0]
	values = {"workflow_state": state}
	if state == "Closed":
		values.update(
			customer_accepted=1,
			solution_executed=1,
			evidence_archived=1,
			closed_at=doc.received_at + timedelta(hours=rng.randrange(2, 24 * 6)),
			resolution_summary="已与客户协商一致并完成赔付。",
		)
	elif state == "Rejected":
		values["rejection_reason"] = "经核实不属于本公司责任范围。"
	if state != "New":
		# the demo site sends nothing: record the acknowledgement as the channel would have
		values.update(
			ack_status="Sent",
			ack_detail="",
			acknowledged_at=doc.received_at + timedelta(minutes=rng.randrange(5, 150)),
		)
	values["assigned_at"] = doc.received_at + timedelta(minutes=rng.randrange(10, 240))
	doc.db_set(values, update_modified=False)
	doc.reload()
	for row in doc.milestones:
		if row.milestone == "Assign":
			row.met_at = None  # met again below, at the demo's assignment time
	sla.mark(doc, now=doc.closed_at if state == "Closed" else None)
	if state == "Closed":
		_survey(rng, doc)


def _survey(rng: random.Random, doc) -> None:
	"""Most closed complaints are surveyed, mostly within the 3 days, mostly satisfied."""
	surveyed_at = doc.closed_at + timedelta(hours=rng.randrange(1, 96))
	if rng.random() > 0.8 or surveyed_at > now_datetime():
		return
	frappe.get_doc(
		{
			"doctype": "Complaint Survey",
			"complaint": doc.name,
			"method": rng.choice(["Phone", "SMS", "SMS", "Portal"]),
			"surveyed_at": surveyed_at,
			"efficiency_score": rng.choices([5, 4, 3, 2], [55, 30, 10, 5])[0],
			"solution_score": rng.choices([5, 4, 3, 2, 1], [50, 30, 12, 5, 3])[0],
			"comment": rng.choice(
				["处理及时,满意。", "赔偿到账慢了一些。", "希望以后不要再出现类似问题。", ""]
			),
		}
	).insert(ignore_permissions=True)


# records that point at a complaint, and the field that does
LINKED_RECORDS = {
	"ToDo": "reference_name",
	"Comment": "reference_name",
	"Notification Log": "document_name",
	"DocShare": "share_name",
}


def remove_demo() -> int:
	"""Delete the demo complaints and what hangs off them (the demo staff stays)."""
	names = frappe.get_all("Complaint", filters={"intake_reference": ["like", "DEMO-%"]}, pluck="name")
	for start in range(0, len(names), 1000):
		chunk = names[start : start + 1000]
		for child in ("Complaint Milestone", "Complaint Priority Change", "Complaint Evidence"):
			frappe.db.delete(child, {"parent": ["in", chunk], "parenttype": "Complaint"})
		frappe.db.delete("Complaint Escalation", {"complaint": ["in", chunk]})
		surveys = frappe.get_all("Complaint Survey", filters={"complaint": ["in", chunk]}, pluck="name")
		frappe.db.delete("Notification Log", {"document_name": ["in", surveys or [""]]})
		frappe.db.delete("Complaint Survey", {"name": ["in", surveys or [""]]})
		for doctype, field in LINKED_RECORDS.items():
			frappe.db.delete(doctype, {field: ["in", chunk]})
		frappe.db.delete("Complaint", {"name": ["in", chunk]})
	linked = frappe.get_all("Complaint", filters={"incident": ["is", "set"]}, pluck="incident", distinct=True)
	frappe.db.delete("Complaint Incident", {"name": ["not in", linked or [""]]})
	frappe.db.commit()
	return len(names)


def make_demo(count: int = 2000, days: int = 90, commit: bool = True) -> int:
	import click

	from complaint_mgmt.tasks.sla import sweep

	frappe.flags.mute_emails = True
	ensure_staff()
	types = frappe.get_all("Complaint Type", filters={"is_group": 0, "enabled": 1}, pluck="name")
	channels = frappe.get_all("Complaint Channel", filters={"enabled": 1}, pluck="name")
	existing = set(
		frappe.get_all(
			"Complaint", filters={"intake_reference": ["like", "DEMO-%"]}, pluck="intake_reference"
		)
	)
	todo = [i for i in range(1, count + 1) if f"DEMO-{i:06d}" not in existing]
	with click.progressbar(todo, label="Creating demo complaints") as bar:
		for done, index in enumerate(bar, start=1):
			rng = random.Random(index)
			doc = frappe.get_doc(_complaint(rng, index, types, channels, days))
			doc.insert(ignore_permissions=True)
			_lifecycle(rng, doc)
			if commit and done % 100 == 0:
				frappe.db.commit()
	if commit:
		frappe.db.commit()
		sweep()  # the clocks of old open complaints are late: escalate them as production would
	return len(todo)
