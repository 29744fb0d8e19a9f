"""Rows the server writes directly, in one statement.

`frappe.db.bulk_insert` builds its statement with the query builder, which costs more than the insert
itself for the one or two rows a registration writes (its SLA clocks, its Workflow Action); this builds the
same parameterised `INSERT` as text. Column names come from the caller's code, never from a request.
"""

from collections.abc import Iterable, Sequence

import frappe


def insert_rows(doctype: str, fields: Sequence[str], values: Iterable[Sequence]) -> None:
	"""INSERT the rows (each in `fields` order) into the DocType's table in one statement."""
	rows = [tuple(row) for row in values]
	if not rows:
		return
	placeholders = "(" + ", ".join(["%s"] * len(fields)) + ")"
	columns = ", ".join(f"`{field}`" for field in fields)
	frappe.db.sql(
		f"insert into `tab{doctype}` ({columns}) values " + ", ".join([placeholders] * len(rows)),
		[value for row in rows for value in row],
	)
