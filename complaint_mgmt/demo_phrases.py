"""How demo customers word their complaints: several phrasings per type, openers and closers,
details, a second matter mentioned in passing (mixed signals), the risk words that go with the
facts (生鲜, 记者, 12305…), anger, and typing noise. Used by the demo rows and by the triage
benchmark, so that learned accuracy on demo data means something."""

from __future__ import annotations

import random

PHRASES: dict[str, tuple[str, ...]] = {
	"Delay": (
		"快件已经{days}天了还没到",
		"说好的次日达，现在都第{days}天了",
		"物流一直停在{origin}转运中心不动",
		"包裹迟迟不派送，到底什么时候能到",
		"这件快递比承诺的时效晚了{days}天",
		"已经超时好几天了，还显示运输中",
		"my parcel is {days} days late",
	),
	"Non-standard Delivery": (
		"没有经过我同意就放到驿站了",
		"快递员不送货上门，直接扔在快递柜",
		"打电话都不打一个就放门口了",
		"要求送上门，结果被放在代收点还要自己去取",
		"丰巢柜超时还要我付费，我根本没同意放柜子",
		"left at a pickup station without asking me",
	),
	"Bad Attitude": (
		"快递员态度非常差，还骂人",
		"打客服电话被直接挂断",
		"派件员说话很冲，很不耐烦",
		"问了两句快递员就凶我",
		"网点工作人员言语粗鲁",
		"the courier was rude and shouted at me",
	),
	"Damaged": (
		"外包装破损，里面的东西摔坏了",
		"收到的时候箱子被压扁，杯子碎了",
		"易碎品摔碎了，明明贴了易碎标签",
		"商品严重变形，明显是挤压造成的",
		"瓶子漏液，整个箱子都湿透了",
		"the box arrived crushed and the item is broken",
	),
	"Contents Missing": (
		"箱子是好的但里面少了一件",
		"打开发现内件缺失，只剩包装",
		"礼盒里的东西不见了，只有空盒",
		"寄了三样东西只收到两样",
		"包裹明显被拆过，里面少了东西",
	),
	"Weight / Quantity Mismatch": (
		"下单写的2公斤，结果按5公斤算",
		"称重和实际重量不符",
		"寄了{days}件只到了一件，件数对不上",
		"网点称出来的重量比家里称的多了好几斤",
	),
	"Parcel Lost": (
		"包裹丢了，客服说找不到",
		"快件在中转途中丢失",
		"显示已签收但我根本没收到",
		"一直查不到下落，应该是丢件了",
		"my parcel is lost, nobody can find it",
	),
	"Wrong Freight": (
		"运费多收了{days}十块",
		"首重续重算错了，运费不对",
		"同样的重量这次运费贵了一倍",
		"计费重量和实际不符，多扣了钱",
	),
	"Insured Claim Dispute": (
		"保价了{value}元，理赔只给{low}元",
		"保价件理赔被拒，理由说不清楚",
		"理赔拖了两周还没有结果",
		"赔付金额远低于保价金额",
	),
	"Unreasonable Charge": (
		"派送时另外收了上楼费",
		"快递员要加收{days}十元才肯送",
		"莫名其妙多了一笔附加费",
		"取件还要收保管费，太不合理",
	),
	"Order Failed": (
		"小程序下单一直提示失败",
		"APP无法下单，点提交没反应",
		"下单页面报错，下不了单",
		"寄件预约提交失败好几次",
	),
	"Tracking Anomaly": (
		"物流轨迹好几天没更新了",
		"轨迹显示到了别的城市，跑反了",
		"物流信息显示已签收但还在派送",
		"轨迹异常，一会儿在{origin}一会儿在{destination}",
	),
	"Query Function Down": (
		"运单查询功能用不了",
		"官网查件页面打不开",
		"输入单号查不到任何信息，系统是不是崩了",
		"APP里的查询一直转圈加载不出来",
	),
	"Information Error": (
		"运单上的收件地址录错了",
		"收件人电话被写错了，联系不上",
		"面单信息错误，名字填错",
		"系统里的地址和我填的不一样",
	),
	"Wrong Delivery": (
		"包裹送错地址了，送到了别的小区",
		"快递被别人冒领了",
		"显示签收人不是我，被送到别处",
		"快递员把我的件送给了邻居也没说",
	),
	"Other Complaint": (
		"想问一下寄件的相关规定",
		"对你们的服务有点建议",
		"网点营业时间和公布的不一致",
		"其他问题，麻烦回个电话",
	),
}
OPENERS = ("", "", "你好，", "客服您好，", "我要投诉，", "麻烦看一下，", "单号{waybill}，", "Hi, ")
CLOSERS = ("", "请尽快处理。", "希望给个说法。", "要求赔偿。", "谢谢。", "麻烦回电。", "请核实。")
DETAILS = (
	"从{origin}寄到{destination}的",
	"单号{waybill}",
	"{days}号下的单",
	"已经打过客服电话了",
	"这是给客户的货",
	"",
)
# a second matter, mentioned in passing: the learned model must not be fooled by it
ASIDES = ("客服回复也很慢", "之前也遇到过类似问题", "打了几次电话没人接", "网点说不归他们管", "包装也很简陋")
RISK_WORDS = {
	"Fresh": ("买的是生鲜，", "寄的是冷链海鲜，", "里面是水果，"),
	"Medical": ("里面是急用的药品，", "寄的是医疗器械，"),
	"Valuables": ("里面是贵重首饰，",),
	"media": ("我已经联系了记者，", "不处理就发微博曝光，"),
	"regulator": ("已经投诉到12305了，", "邮政管理局转办的，"),
	"intent": ("再不处理我就打12305，", "我会去消协投诉，"),
}
ANGRY = ("太差了！！！", "气死我了！", "什么破快递？？？", "你们这些骗子", "真的无语", "")
NOISE = "，。！？ 啊呢吧"


def _fill(rng: random.Random, template: str, facts: dict) -> str:
	return template.format(
		days=rng.randrange(2, 9),
		value=rng.choice((500, 1000, 3000)),
		low=rng.choice((50, 100, 200)),
		waybill=facts.get("waybill_no") or "SF1234567890",
		origin=(facts.get("route") or "上海-北京").split("-")[0],
		destination=(facts.get("route") or "上海-北京").split("-")[-1],
	)


def _noisy(rng: random.Random, text: str) -> str:
	"""A slip of the keyboard now and then: a character dropped or a stray one typed."""
	chars = list(text)
	for _ in range(rng.choice((0, 0, 1, 2))):
		if len(chars) > 4:
			at = rng.randrange(len(chars))
			if rng.random() < 0.5:
				del chars[at]
			else:
				chars.insert(at, rng.choice(NOISE))
	return "".join(chars)


def risk_words(rng: random.Random, facts: dict) -> str:
	said = []
	if facts.get("goods_category") in RISK_WORDS and rng.random() < 0.8:
		said.append(rng.choice(RISK_WORDS[facts["goods_category"]]))
	for fact, key in (
		("media_involved", "media"),
		("regulator_involved", "regulator"),
		("regulator_intent", "intent"),
	):
		if facts.get(fact):
			said.append(rng.choice(RISK_WORDS[key]))
	return "".join(said)


def text(rng: random.Random, facts: dict, subjects: dict[str, tuple[str, ...]]) -> tuple[str, str]:
	"""(subject, description) in a customer's words for the complaint's type and facts."""
	kind = facts["complaint_type"]
	phrases = PHRASES.get(kind, PHRASES["Other Complaint"])
	core = _fill(rng, rng.choice(phrases), facts)
	parts = [
		_fill(rng, rng.choice(OPENERS), facts),
		_fill(rng, rng.choice(DETAILS), facts),
		risk_words(rng, facts),
		core,
		"，" + rng.choice(ASIDES) if rng.random() < 0.25 else "",
		"，而且" + _fill(rng, rng.choice(PHRASES[rng.choice(list(PHRASES))]), facts)
		if rng.random() < 0.12
		else "",
		"。" + _fill(rng, rng.choice(phrases), facts) if rng.random() < 0.3 else "",
		"。" + rng.choice(ANGRY) if rng.random() < 0.3 else "。",
		rng.choice(CLOSERS),
	]
	description = _noisy(rng, "".join(parts))
	if rng.random() < 0.5:
		subject = rng.choice(subjects.get(kind, ("快件问题",)))
	else:
		subject = rng.choice(("投诉", "快递问题", "请处理", core[:12], f"单号{facts.get('waybill_no', '')}"))
	return subject, f"<p>{description}</p>"
