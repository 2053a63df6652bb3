"""The demo month's complaints as rows of the history import: what customers told us, at believable
rates (a few Urgent, mostly General), and the lifecycle each had by now, clocks mostly met in time."""

from __future__ import annotations

import random
from datetime import timedelta

from complaint_mgmt import demo_phrases
from complaint_mgmt.engine import importing as import_rules
from complaint_mgmt.services.import_book import ImportBook

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

TYPE_WEIGHTS = {
	"Delay": 28, "Non-standard Delivery": 11, "Bad Attitude": 8, "Damaged": 10, "Contents Missing": 4,
	"Weight / Quantity Mismatch": 2, "Parcel Lost": 5, "Wrong Freight": 5, "Insured Claim Dispute": 2,
	"Unreasonable Charge": 4, "Order Failed": 3, "Tracking Anomaly": 7, "Query Function Down": 1,
	"Information Error": 4, "Wrong Delivery": 3, "Other Complaint": 3,
}  # fmt: skip
HOURS = (
	0,
	0,
	0,
	0,
	0,
	1,
	2,
	4,
	8,
	10,
	10,
	9,
	7,
	8,
	9,
	9,
	8,
	7,
	6,
	6,
	5,
	4,
	2,
	1,
)  # complaints by hour of day
TROUBLED = 0.12  # share of complaints that go wrong: half of their clocks are met late…
LATE = (0.5, 0.01)  # …against one in a hundred of the others
LIVE_HOURS = 3  # complaints of the last hours go through the full intake
GROUP = (10, 15)  # indexes 10..14 of every 400 complain together about one delayed batch
COMPENSATED = 12  # every 12th complaint (from the 5th) is a damaged, insured parcel compensated…
HEADER = [
	"intake_reference", "subject", "complaint_type", "channel", "received_at", "description",
	"expected_resolution", "customer_name", "customer_phone", "customer_email", "customer_tier",
	"sender_address", "recipient_address", "waybill_no", "order_time", "route", "origin_branch",
	"destination_branch", "batch_no", "service_type", "goods_category", "goods_value", "freight",
	"declared_value", "is_insured", "insured_value", "group_size", "media_involved", "regulator_involved",
	"regulator_intent", "status", "acknowledged_at", "assigned_at", "investigation_reported_at", "resolved_at",
	"closed_at", "rejected_at", "rejection_reason", "resolution_summary", "customer_accepted",
	"solution_executed", "evidence_archived",
]  # fmt: skip


def phone(rng: random.Random) -> str:
	return f"1{rng.choice('3456789')}{rng.randrange(10**8, 10**9)}"


def _received(rng: random.Random, index: int, now, days: int):
	if GROUP[0] <= index % 400 < GROUP[1]:  # the batch's complaints arrive within a few hours
		rng = random.Random(index // 400)
	day = now - timedelta(days=rng.randrange(0, days))
	hour = rng.choices(range(24), HOURS)[0]
	moment = day.replace(hour=hour, minute=rng.randrange(60), second=rng.randrange(60), microsecond=0)
	return moment if moment < now else moment - timedelta(days=1)


def facts_of(rng: random.Random, index: int, channels: list[str], now, days: int) -> dict:
	"""What the customer told us (SPEC §2), with the risk facts at believable rates."""
	complaint_type = rng.choices(list(TYPE_WEIGHTS), list(TYPE_WEIGHTS.values()))[0]
	origin, destination = rng.sample(CITIES, 2)
	received = _received(rng, index, now, days)
	goods_value = round(rng.lognormvariate(5.2, 1.0), 2)
	insured = rng.random() < 0.25
	facts = {
		"intake_reference": f"DEMO-{index:06d}",
		"complaint_type": complaint_type,
		"channel": rng.choice(channels),
		"received_at": received,
		"expected_resolution": rng.choice(("Compensation", "Reship", "Apology", "Refund", "Explanation")),
		"customer_name": rng.choice(SURNAMES) + rng.choice(GIVEN),
		"customer_phone": phone(rng),
		"customer_email": f"customer{index}@example.com" if rng.random() < 0.6 else None,
		"customer_tier": rng.choices(("Standard", "VIP", "Key Account"), (85, 12, 3))[0],
		"sender_address": f"{origin}市{rng.choice(STREETS)}{rng.randrange(1, 999)}号",
		"recipient_address": f"{destination}市{rng.choice(STREETS)}{rng.randrange(1, 999)}号",
		"waybill_no": f"SF{rng.randrange(10**11, 10**12)}",
		"order_time": received - timedelta(days=rng.randrange(1, 6), minutes=rng.randrange(600)),
		"route": f"{origin}-{destination}",
		"origin_branch": f"{origin}{rng.choice(STREETS)}网点",
		"destination_branch": f"{destination}{rng.choice(STREETS)}网点",
		"service_type": rng.choice(("Express", "Economy", "Same Day", "Freight")),
		"goods_category": rng.choices(
			("General", "Fresh", "Medical", "Valuables", "Fragile", "Documents"), (66, 3, 1.2, 9, 12, 8.8)
		)[0],
		"goods_value": goods_value,
		"freight": round(rng.uniform(8, 60), 2),
		"declared_value": goods_value,
		"is_insured": 1 if insured else 0,
		"insured_value": goods_value if insured else 0,
		"group_size": 1,
		"media_involved": 1 if rng.random() < 0.004 else 0,
		"regulator_involved": 1 if rng.random() < 0.004 else 0,
		"regulator_intent": 1 if rng.random() < 0.02 else 0,
	}
	if GROUP[0] <= index % 400 < GROUP[1]:
		facts.update(
			complaint_type="Delay",
			batch_no=f"PC{now:%y%m}{index // 400:03d}",
			route="上海-北京",
			group_size=GROUP[1] - GROUP[0],
		)
	if compensated(index):
		facts.update(
			complaint_type="Damaged", goods_value=8000, declared_value=8000, is_insured=1, insured_value=8000
		)
	facts["subject"], facts["description"] = demo_phrases.text(rng, facts, SUBJECTS)
	return facts


def compensated(index: int) -> bool:
	"""…one for each step of the compensation plan, and some to spare (rejected, or too recent)."""
	return index % COMPENSATED == 5 and index < COMPENSATED * 16


def _after(rng: random.Random, received, target: timedelta, late: float):
	"""When a clock of ``target`` was met: mostly early, with probability ``late`` after the deadline."""
	share = rng.uniform(1.05, 1.8) if rng.random() < late else rng.betavariate(1.6, 5)
	return received + max(target * share, timedelta(minutes=3))


def lifecycle(rng: random.Random, facts: dict, book: ImportBook, now) -> None:
	"""The recorded times and state of a complaint of this age, met mostly in time."""
	decision = {**facts, "complaint_category": book.rules.types[facts["complaint_type"]].get("category")}
	level, _ = import_rules.decide_priority(decision, book.rules)
	chosen = book.choose_policy(facts)
	targets = book.targets(chosen.name, level) if chosen else {}
	received = facts["received_at"]
	facts["priority"] = level
	facts["report_due"] = received + targets.get("Investigation Report", timedelta(hours=72))
	times = {}
	previous = received
	late = LATE[0] if rng.random() < TROUBLED else LATE[1]
	for milestone, column in (
		("Acknowledge", "acknowledged_at"),
		("Assign", "assigned_at"),
		("Investigation Report", "investigation_reported_at"),
		("Resolution", "resolved_at"),
	):
		previous = times[column] = max(
			previous, _after(rng, received, targets.get(milestone, timedelta(hours=72)), late)
		)
	times["closed_at"] = previous + timedelta(hours=rng.uniform(0.5, 30))
	stuck = rng.random() < 0.02  # never got past the investigation: its clocks breach
	rejected = rng.random() < 0.04
	if rejected:
		times["rejected_at"] = times["assigned_at"] + timedelta(hours=rng.uniform(0.5, 8))
	reached = [column for column, at in times.items() if at <= now]
	facts.update({column: times[column] for column in reached if column not in ("closed_at", "rejected_at")})
	if rejected and "rejected_at" in reached:
		facts.update(
			status="Rejected",
			rejected_at=times["rejected_at"],
			rejection_reason="经核实不属于本公司责任范围。",
		)
		facts.pop("investigation_reported_at", None)
		facts.pop("resolved_at", None)
		return
	if stuck and "investigation_reported_at" in reached:
		facts.pop("investigation_reported_at")
		facts.pop("resolved_at", None)
		facts["status"] = "Investigating"
		return
	if "closed_at" in reached:
		facts.update(
			status="Closed",
			closed_at=times["closed_at"],
			customer_accepted=1,
			solution_executed=1,
			evidence_archived=1,
			resolution_summary="已与客户协商一致并完成处理。",
		)
	elif "resolved_at" in reached:
		facts["status"] = "Resolved"
	elif "investigation_reported_at" in reached:
		facts["status"] = rng.choice(("Solution Proposed", "Awaiting Customer", "Executing"))
	elif "assigned_at" in reached:
		facts["status"] = "Investigating" if now - times["assigned_at"] > timedelta(hours=1) else "Assigned"
	else:
		facts["status"] = "Acknowledged" if "acknowledged_at" in reached else "New"
