"""Summaries counted by the columns of the visibility rule, so that a card or chart of any size reads a few rows
through the same rule (`complaint_conditions(table=…)`) instead of counting every complaint.

Each row is keyed by its key columns (a period, perhaps a category, then `RULE_COLUMNS`); its name is a hash of
the key, so that adding to it is one `insert … on duplicate key update`. `recount` rebuilds a summary from the
complaints, set-based and idempotent, without locking the complaints and without losing what a transaction adds
meanwhile.
"""

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass

import frappe
from frappe.utils import now

SEPARATOR = "\x1f"
STANDARD = ("name", "creation", "modified", "owner", "modified_by", "docstatus", "idx")
BATCH = 500

Key = Sequence[str]


@dataclass(frozen=True)
class Summary:
	doctype: str
	key_columns: tuple[str, ...]
	value_columns: tuple[str, ...]

	@property
	def table(self) -> str:
		return f"`tab{self.doctype}`"

	def insert_sql(self, rows: int) -> str:
		columns = ", ".join(f"`{c}`" for c in (*STANDARD, *self.key_columns, *self.value_columns))
		row = (
			"(" + ", ".join(["%s"] * (len(STANDARD) + len(self.key_columns) + len(self.value_columns))) + ")"
		)
		return f"insert into {self.table} ({columns}) values {', '.join([row] * rows)}"


def row_name(key: Key) -> str:
	"""The summary row of a key: md5 of its values joined by the unit separator."""
	return hashlib.md5(SEPARATOR.join("" if v is None else str(v) for v in key).encode()).hexdigest()


def add(summary: Summary, changes: Sequence[tuple[Key | None, Sequence[float]]]) -> None:
	"""Add (or take away, with negatives) values to summary rows: [(key, values)]; a None key is skipped.

	Rows are written in the order of their names, so that two transactions moving counts between the same two
	rows in opposite directions wait for each other instead of deadlocking."""
	stamp, user = now(), frappe.session.user
	update = ", ".join(f"`{c}` = `{c}` + values(`{c}`)" for c in summary.value_columns)
	for key, values in sorted(
		((key, values) for key, values in changes if key is not None and any(values)),
		key=lambda change: row_name(change[0]),
	):
		frappe.db.sql(
			f"{summary.insert_sql(1)} on duplicate key update {update}, modified = values(modified)",
			(row_name(key), stamp, stamp, user, user, 0, 0, *key, *values),
		)


def move(summary: Summary, before: Key | None, after: Key | None, values: Sequence[float]) -> None:
	"""A counted thing whose key changed: its values leave the old row and join the new one."""
	if before == after:
		return
	add(summary, [(before, [-v for v in values]), (after, values)])


def recount(summary: Summary, counted_sql: str, params: dict | None = None) -> int:
	"""Replace the summary with what `counted_sql` counts (its columns: the key columns, then the values).

	The summary's rows are locked first, so that a transaction adding to it meanwhile waits and adds on top of
	the recount; the complaints are then read as a consistent snapshot (no lock on them: saves go on), and the
	summary is written from it. Returns the number of rows."""
	frappe.db.sql(f"select name from {summary.table} for update")
	rows = frappe.db.sql(counted_sql, params or {})
	frappe.db.sql(f"delete from {summary.table}")
	stamp, width = now(), len(summary.key_columns)
	for start in range(0, len(rows), BATCH):
		batch = rows[start : start + BATCH]
		frappe.db.sql(
			summary.insert_sql(len(batch)),
			[
				value
				for row in batch
				for value in (
					row_name(row[:width]),
					stamp,
					stamp,
					"Administrator",
					"Administrator",
					0,
					0,
					*row,
				)
			],
		)
	return len(rows)
