"""One Complaint Customer per customer (issue 12): complaints, shipments, vouchers and plans of
one customer are found together by the customer's record, whatever the spelling of the phone or
email on each complaint."""

from __future__ import annotations

from collections.abc import Iterable

import frappe
from frappe.utils import now_datetime

from complaint_mgmt.engine import customers as rules
from complaint_mgmt.services import contacts, recovery_stat
from complaint_mgmt.services.import_book import reserve_names

CUSTOMER = "Complaint Customer"
SHIPMENT = "Customer Shipment"
KEY_FIELDS = ("account_code", "phone_key", "email_key")


def identity_of(complaint) -> rules.Identity:
	return rules.identity(phone=complaint.customer_phone, email=complaint.customer_email)


def candidates(identity: rules.Identity) -> list[dict]:
	"""The customer records that carry one of the identifiers, in one query."""
	code = identity.account.removeprefix(rules.ACCOUNT_PREFIX) if identity.account else None
	table = frappe.qb.DocType(CUSTOMER)
	condition = None
	for column, key in zip(KEY_FIELDS, (code, identity.phone, identity.email), strict=True):
		if key:
			term = table[column] == key
			condition = term if condition is None else condition | term
	if condition is None:
		return []
	return (
		frappe.qb.from_(table)
		.select(table.name, table.account_code, table.phone_key, table.email_key, table.priority_service)
		.where(condition)
		.run(as_dict=True)
	)


def find(identity: rules.Identity) -> str | None:
	"""The customer one of the identifiers names; an account code wins over a phone, a phone over
	an email."""
	found, _missing = rules.match(candidates(identity), identity)
	return found["name"] if found else None


def resolve_keys(keys: Iterable[str]) -> dict[str, str]:
	"""key → customer for a batch of keys, in one query (the shipment API's rows): each key is
	looked up in the column of its kind, and as a customer key."""
	keys = set(keys)
	if not keys:
		return {}
	by_kind: dict[str, list[str]] = {"account_code": [], "phone_key": [], "email_key": []}
	for key in keys:
		if key.startswith(rules.ACCOUNT_PREFIX):
			by_kind["account_code"].append(key.removeprefix(rules.ACCOUNT_PREFIX))
		else:
			by_kind["email_key" if "@" in key else "phone_key"].append(key)
	wanted = {column: tuple(values) for column, values in by_kind.items() if values}
	# thousands of values: a plain IN list (the query builder renders each value as an object)
	conditions = " or ".join(f"`{column}` in %({column})s" for column in wanted)
	rows = frappe.db.sql(
		f"""select name, account_code, phone_key, email_key, customer_key from `tab{CUSTOMER}`
		where customer_key in %(keys)s or {conditions}""",
		{"keys": tuple(keys), **wanted},
		as_dict=True,
	)
	found: dict[str, str] = {}
	for row in rows:  # an account code wins over a phone, a phone over an email
		for fieldname in ("customer_key", "email_key", "phone_key", "account_code"):
			value = row.get(fieldname)
			if fieldname == "account_code" and value:
				value = rules.account_key(value)
			if value in keys:
				found[value] = row.name
	return found


def create(identity: rules.Identity, customer_name: str | None, tier: str | None = None) -> str:
	doc = frappe.get_doc(
		{
			"doctype": CUSTOMER,
			"customer_name": customer_name,
			"customer_key": identity.key,
			"phone_key": identity.phone,
			"email_key": identity.email,
			"account_code": identity.account.removeprefix(rules.ACCOUNT_PREFIX) if identity.account else None,
			"customer_tier": tier or "Standard",
			"contact": contacts.find(identity),
		}
	)
	doc.flags.server_change = True
	doc.insert(ignore_permissions=True)
	return doc.name


def add_keys(name: str, missing: dict[str, str]) -> None:
	"""A complaint that brings the customer's other identifier (an email besides the phone)."""
	if missing:
		frappe.db.set_value(CUSTOMER, name, missing, update_modified=False)
		attach_shipments(name, missing.values())


def attach_shipments(customer: str, keys: Iterable[str]) -> None:
	"""Shipments that arrived before the customer had a record join it (one indexed UPDATE), and
	the recovery rollup learns of them."""
	keys = [k for k in keys if k]
	if not keys:
		return
	table = frappe.qb.DocType(SHIPMENT)
	frappe.qb.update(table).set(table.customer, customer).where(table.customer.isnull()).where(
		table.customer_key.isin(keys)
	).run()
	if frappe.db._cursor.rowcount:
		recovery_stat.shipments_arrived([customer])


def link(complaint) -> None:
	"""Complaint validate (before its priority): its customer's record, key and priority flag."""
	identity = identity_of(complaint)
	if not identity.key:
		complaint.customer = complaint.customer_key = None
		complaint.priority_service = 0
		return
	changed = complaint.is_new() or any(
		complaint.has_value_changed(f) for f in ("customer_phone", "customer_email")
	)
	if changed or not complaint.customer:
		found, missing = rules.match(candidates(identity), identity)
		if found:
			add_keys(found["name"], missing)
			complaint.customer, priority_service = found["name"], found["priority_service"]
		else:
			complaint.customer, priority_service = (
				create(identity, complaint.customer_name, complaint.customer_tier),
				0,
			)
			attach_shipments(complaint.customer, identity.keys)
			complaint.flags.new_customer = True  # no recovery figures of anyone else move
		complaint.customer_key = identity.key
	else:
		priority_service = frappe.db.get_value(CUSTOMER, complaint.customer, "priority_service")
	complaint.priority_service = priority_service or 0


# ------------------------------------------------------------------ back-fill (patch)
def backfill(chunk: int = 1000) -> int:
	"""Every complaint without a customer gets one: keys computed per distinct phone/email pair,
	customers bulk-inserted, complaints updated chunk by chunk through a joined derived table; then
	their Contacts and recovery rollup rows. Runs again without harm (only complaints without a
	customer are read)."""
	from complaint_mgmt.services.importing import insert_many

	complaint = frappe.qb.DocType("Complaint")
	pairs = (
		frappe.qb.from_(complaint)
		.select(complaint.customer_phone, complaint.customer_email)
		.distinct()
		.where(complaint.customer.isnull())
		.run()
	)
	if not pairs:
		return 0
	by_key: dict[str, str] = {}  # any key → customer
	new_rows: list[tuple] = []
	mapping: list[tuple] = []  # (phone, email, customer, key)
	fresh = iter(reserve_names(CUSTOMER, len(pairs)))
	now = now_datetime()
	for phone, email in pairs:
		identity = rules.identity(phone=phone, email=email)
		if not identity.key:
			continue
		name = next((by_key[k] for k in identity.keys if k in by_key), None) or find(identity)
		if not name:
			name = next(fresh)
			new_rows.append(
				(
					name,
					now,
					now,
					"Administrator",
					"Administrator",
					identity.key,
					identity.phone,
					identity.email,
					"Standard",
				)
			)
		for key in identity.keys:
			by_key.setdefault(key, name)
		mapping.append((phone or "", email or "", name, identity.key))
	fields = (
		"name",
		"creation",
		"modified",
		"owner",
		"modified_by",
		"customer_key",
		"phone_key",
		"email_key",
		"customer_tier",
	)
	insert_many(CUSTOMER, fields, new_rows, chunk=1000)
	for start in range(0, len(mapping), chunk):
		part = mapping[start : start + chunk]
		first = "select %s as phone, %s as email, %s as customer, %s as customer_key"
		pairs_table = " union all ".join([first] + ["select %s, %s, %s, %s"] * (len(part) - 1))
		frappe.db.sql(
			f"""update `tabComplaint` c join ({pairs_table}) m
			on ifnull(c.customer_phone, '') = m.phone and ifnull(c.customer_email, '') = m.email
			set c.customer = m.customer, c.customer_key = m.customer_key
			where c.customer is null""",
			[v for row in part for v in row],
		)
	attach_all_shipments()
	contacts.backfill()
	recovery_stat.refresh({customer for _phone, _email, customer, _key in mapping})
	return len(mapping)


def attach_all_shipments() -> None:
	"""Shipments without a customer join the customer one of whose keys they carry."""
	for column in ("customer_key", "phone_key", "email_key"):
		frappe.db.sql(
			f"""update `tabCustomer Shipment` s join `tabComplaint Customer` c on s.customer_key = c.`{column}`
			set s.customer = c.name where s.customer is null"""
		)


# ------------------------------------------------------------------ personal data purge (SPEC §11)
def forget(customer: str | None, purged: str) -> None:
	"""A purged complaint's customer: once none of their complaints keeps personal data, the
	record keeps only what statistics need (tier, priority flag), and their shipments lose the
	phone or email they were sent with (the link to the record stays)."""
	if not customer:
		return
	if frappe.db.exists("Complaint", {"customer": customer, "customer_key": ["is", "set"]}):
		return
	frappe.db.set_value(
		CUSTOMER,
		customer,
		{
			"customer_name": purged,
			"customer_key": None,
			"phone_key": None,
			"email_key": None,
			"contact": None,
		},
		update_modified=False,
	)
	table = frappe.qb.DocType(SHIPMENT)
	frappe.qb.update(table).set(table.customer_key, purged).where(table.customer == customer).run()
