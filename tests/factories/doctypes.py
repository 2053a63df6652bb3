"""factory-boy factories for every DocType of the app (integration tier: needs Frappe).

``Factory.build()`` gives an unsaved document, ``Factory()`` / ``create()`` inserts it.
"""

from __future__ import annotations

import random

import factory

_rng = random.Random()


class FrappeDoc:
	"""Stands for "a Frappe document"; each factory names its DocType in ``doctype``."""


class FrappeFactory(factory.Factory):
	class Meta:
		abstract = True
		model = FrappeDoc

	doctype: str = ""

	@classmethod
	def _build(cls, model_class, *args, **kwargs):
		import frappe

		return frappe.get_doc({"doctype": cls.doctype, **kwargs})

	@classmethod
	def _create(cls, model_class, *args, **kwargs):
		return cls._build(model_class, *args, **kwargs).insert(ignore_permissions=True)


class UserFactory(FrappeFactory):
	doctype = "User"

	email = factory.Sequence(lambda n: f"user{n}-{_rng.randrange(10**8)}@test.complaint.localhost")
	first_name = factory.Faker("first_name", locale="zh_CN")
	send_welcome_email = 0
	user_type = "System User"

	@classmethod
	def _build(cls, model_class, *args, roles=(), **kwargs):
		kwargs["roles"] = [{"role": role} for role in roles]
		return super()._build(model_class, *args, **kwargs)


class ComplaintChannelFactory(FrappeFactory):
	doctype = "Complaint Channel"

	channel_name = factory.Sequence(lambda n: f"Test Channel {n}-{_rng.randrange(10**6)}")
	channel_group = "Online"
	can_acknowledge = 1
	ack_medium = "Email"


class ComplaintDepartmentFactory(FrappeFactory):
	doctype = "Complaint Department"

	department_name = factory.Sequence(lambda n: f"Test Department {n}-{_rng.randrange(10**6)}")


class ComplaintTypeFactory(FrappeFactory):
	doctype = "Complaint Type"

	complaint_type_name = factory.Sequence(lambda n: f"Test Type {n}-{_rng.randrange(10**6)}")
	parent_complaint_type = "Service Quality"
	is_group = 0


class ComplaintPriorityRuleFactory(FrappeFactory):
	doctype = "Complaint Priority Rule"

	priority = "Important"
	field = "customer_tier"
	operator = "="
	value = "Key Account"
	reason = "Key account"
	enabled = 1


class ComplaintIncidentFactory(FrappeFactory):
	doctype = "Complaint Incident"

	title = factory.Sequence(lambda n: f"Incident {n}")
	incident_key = factory.Sequence(lambda n: f"batch:TEST-{n}")
	strategy = "batch"


class ComplaintFactory(FrappeFactory):
	doctype = "Complaint"

	# plain words: a random sentence may say "记者" or "新闻", which the triage lexicons rank Urgent
	subject = factory.Sequence(lambda n: f"快件问题 {n}")
	channel = "Hotline 400"
	complaint_type = "Delay"
	description = "快件延误,客户要求尽快处理。"
	customer_name = factory.Faker("name", locale="zh_CN")
	customer_phone = factory.Sequence(lambda n: f"138{n % 10**8:08d}")
	customer_email = factory.Sequence(lambda n: f"customer{n}@example.com")
	waybill_no = factory.Sequence(lambda n: f"SF{8000000000 + n * 7919 + _rng.randrange(10**6)}")
	route = "上海-北京"
	goods_category = "General"


class ComplaintBusinessCalendarFactory(FrappeFactory):
	"""Office hours Monday to Friday, 09:00–18:00, unless told otherwise."""

	doctype = "Complaint Business Calendar"

	calendar_name = factory.Sequence(lambda n: f"Test Calendar {n}")
	always_open = 0
	working_hours = factory.LazyFunction(
		lambda: [
			{"weekday": day, "start_time": "09:00:00", "end_time": "18:00:00"}
			for day in ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")
		]
	)


class ComplaintSLAPolicyFactory(FrappeFactory):
	doctype = "Complaint SLA Policy"

	policy_name = factory.Sequence(lambda n: f"Test Policy {n}")
	sequence = 1
	at_risk_percent = 75
	targets = factory.LazyFunction(
		lambda: [
			{"milestone": "Investigation Report", "priority": p, "target_hours": 24}
			for p in ("Urgent", "Important", "General")
		]
	)


class ComplaintEscalationRuleFactory(FrappeFactory):
	doctype = "Complaint Escalation Rule"

	rule_name = factory.Sequence(lambda n: f"Test Rule {n}")
	milestone = "Investigation Report"
	levels = factory.LazyFunction(
		lambda: [
			{"level": 1, "trigger": "Percent of Target", "threshold": 50, "notify_owners": 1},
			{"level": 2, "trigger": "After Breach", "threshold": 0, "notify_owners": 1},
		]
	)


class CompensationFactory(FrappeFactory):
	"""A draft compensation; with no ``lines`` it is filled from the scenario matrix."""

	doctype = "Compensation"

	currency = "CNY"
	improvement_measure = "加固易碎品包装,增加分拣员培训"


class ComplaintInvestigationFactory(FrappeFactory):
	doctype = "Complaint Investigation"


class ComplaintSurveyFactory(FrappeFactory):
	"""A phone survey of a closed complaint, both scores top marks unless told otherwise."""

	doctype = "Complaint Survey"

	method = "Phone"
	efficiency_score = 5
	solution_score = 5
	comment = "处理及时,满意。"
