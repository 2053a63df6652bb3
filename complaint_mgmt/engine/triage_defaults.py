"""The lexicons seeded at install (only when missing): Chinese and English words per signal.

Admins edit them as *Complaint Triage Lexicon* records; these are only the first version.
"""

from __future__ import annotations

from typing import Any


def _lexicon(name: str, kind: str, words: str, **extra: Any) -> dict[str, Any]:
	return {"lexicon_name": name, "kind": kind, "words": "\n".join(words.split()), "enabled": 1, **extra}


DEFAULT_LEXICONS: tuple[dict[str, Any], ...] = (
	# priority signals (SPEC §4: special goods, group, media, regulator; and the customer's threats)
	_lexicon(
		"Fresh food",
		"Signal",
		"生鲜 冷链 冷冻 冷藏 海鲜 水果 鲜活 肉类 蔬菜 大闸蟹 榴莲 车厘子 冰袋 化冻 fresh seafood",
		fact="goods_category",
		value="Fresh",
	),
	_lexicon(
		"Medical goods",
		"Signal",
		"药品 药物 医疗 医药 疫苗 胰岛素 处方药 医疗器械 急用药 救命药 medicine medical",
		fact="goods_category",
		value="Medical",
	),
	_lexicon(
		"Valuables",
		"Signal",
		"贵重 珠宝 首饰 黄金 金条 名表 奢侈品 钻戒 玉器 名贵 jewelry",
		fact="goods_category",
		value="Valuables",
	),
	_lexicon(
		"Media exposure",
		"Signal",
		"记者 媒体 曝光 报社 电视台 热搜 自媒体 发微博 发抖音 新闻 journalist reporter",
		fact="media_involved",
		value="1",
	),
	_lexicon(
		"Regulator involved",
		"Signal",
		"已投诉到12305 已经投诉到12305 已向12305 已打12305 已经打了12305 12305转办 邮政管理局转办 "
		"已投诉到邮政管理局 已向邮政管理局 监管转办 监管部门转 消协转 邮管局来电",
		fact="regulator_involved",
		value="1",
	),
	_lexicon(
		"Regulator threat",
		"Signal",
		"12305 邮政管理局 邮管局 消协 消费者协会 12315 市场监管 工商局 监管部门 regulator",
		fact="regulator_intent",
		value="1",
	),
	_lexicon(
		"Lawyer or lawsuit",
		"Signal",
		"律师 起诉 法院 诉讼 打官司 律师函 法律途径 报警 lawyer lawsuit sue",
		fact="legal_threat",
		value="1",
	),
	_lexicon(
		"Group of customers",
		"Signal",
		"多人 集体 大家都 很多人 好多人 我们都 整批 同一批 业主群 所有人 邻居都",
		fact="group_size",
		value="5",
	),
	_lexicon(
		"Repeat complaint",
		"Signal",
		"再次 又一次 第二次 第三次 多次 反复 一再 屡次 之前投诉过 已经投诉过 又是 还是没",
		fact="repeat_complaint",
		value="1",
	),
	# anger
	_lexicon(
		"Anger",
		"Anger",
		"气死 愤怒 太差 垃圾 坑人 无语 恶心 离谱 过分 什么破 差评 火大 不满 投诉你们 "
		"unacceptable terrible worst angry",
	),
	_lexicon("Strong anger", "Anger", "骗子 忍无可忍 投诉到底 岂有此理 欺负人 受够了 不可理喻", weight=2),
	_lexicon("Intensity", "Intensity", "非常 太 极其 特别 简直 真的 根本 完全 竟然 居然 到底 究竟 严重"),
	# type hints: the rules-only type suggestion
	_lexicon(
		"Delay words",
		"Type Hint",
		"延误 延迟 还没到 没到 迟迟 超时 晚到 一直不动 停滞 次日达",
		complaint_type="Delay",
	),
	_lexicon(
		"Non-standard delivery words",
		"Type Hint",
		"驿站 快递柜 丰巢 送货上门 放门口 未经同意 代收点",
		complaint_type="Non-standard Delivery",
	),
	_lexicon(
		"Attitude words",
		"Type Hint",
		"态度 骂人 挂电话 挂断 不耐烦 脏话 言语 凶",
		complaint_type="Bad Attitude",
	),
	_lexicon(
		"Damage words", "Type Hint", "破损 摔坏 压坏 碎了 摔碎 损坏 变形 挤压 漏液", complaint_type="Damaged"
	),
	_lexicon(
		"Missing contents words",
		"Type Hint",
		"少了 缺失 内件丢失 内物丢失 空盒 少一件 被拆",
		complaint_type="Contents Missing",
	),
	_lexicon(
		"Weight words",
		"Type Hint",
		"重量不符 件数 数量不对 称重 公斤 斤",
		complaint_type="Weight / Quantity Mismatch",
	),
	_lexicon(
		"Lost parcel words", "Type Hint", "丢件 丢失 找不到 丢了 没收到 未收到", complaint_type="Parcel Lost"
	),
	_lexicon("Freight words", "Type Hint", "运费 多收 计费 算错 首重 续重", complaint_type="Wrong Freight"),
	_lexicon(
		"Insured claim words", "Type Hint", "保价 理赔 赔付 赔偿金额", complaint_type="Insured Claim Dispute"
	),
	_lexicon(
		"Charge words",
		"Type Hint",
		"上楼费 额外收费 加收 乱收费 附加费",
		complaint_type="Unreasonable Charge",
	),
	_lexicon(
		"Order words", "Type Hint", "下单失败 无法下单 下不了单 提交失败 下单", complaint_type="Order Failed"
	),
	_lexicon(
		"Tracking words", "Type Hint", "轨迹 物流信息 不更新 显示签收", complaint_type="Tracking Anomaly"
	),
	_lexicon(
		"Query words", "Type Hint", "查询 查不到 查不了 打不开 系统崩", complaint_type="Query Function Down"
	),
	_lexicon(
		"Information error words",
		"Type Hint",
		"地址错 电话错 信息错误 录错 写错 填错",
		complaint_type="Information Error",
	),
	_lexicon(
		"Wrong delivery words",
		"Type Hint",
		"送错 冒领 别人签收 送到别处 错送",
		complaint_type="Wrong Delivery",
	),
)
