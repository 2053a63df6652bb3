"""The child rows of a new document in one INSERT per table instead of one per row.

Frappe inserts a new document's child rows one statement each after the parent. A new complaint
carries its four SLA clocks (and often a priority change row), so its save sent five INSERTs where
one does. The parent's ``db_insert`` calls :func:`insert_with_parent`; the child controllers mix in
:class:`StoredWithParent`, whose ``db_insert`` then skips the rows already stored. Rows added later
(a Survey clock when the complaint closes, evidence uploaded later) go through Frappe as usual.
"""

from __future__ import annotations

from collections import defaultdict

import frappe
from frappe.model.naming import set_new_name


class StoredWithParent:
	"""Child controller mix-in: a row the parent's insert stored is not inserted again."""

	def db_insert(self, *args, **kwargs):
		if self.flags.stored_with_parent:
			return None
		return super().db_insert(*args, **kwargs)


def insert_with_parent(doc) -> None:
	"""Store every child row of ``doc`` (new, just inserted) with one statement per child table."""
	by_table: dict[str, list] = defaultdict(list)
	for row in doc.get_all_children():
		if not row.flags.stored_with_parent and isinstance(row, StoredWithParent):
			by_table[row.doctype].append(row)
	for doctype, rows in by_table.items():
		for row in rows:
			if not row.name:
				set_new_name(row)  # as Frappe's own insert of the row would
		values = [row.get_valid_dict(convert_dates_to_str=True, ignore_virtual=True) for row in rows]
		columns = list(values[0])
		placeholders = "(" + ", ".join(["%s"] * len(columns)) + ")"
		frappe.db.sql(
			"INSERT INTO `tab{}` ({}) VALUES {}".format(
				doctype, ", ".join(f"`{c}`" for c in columns), ", ".join([placeholders] * len(rows))
			),
			[v.get(c) for v in values for c in columns],
		)
		for row in rows:
			row.flags.stored_with_parent = True
			row.set("__islocal", False)
