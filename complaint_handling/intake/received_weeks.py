"""Complaints received per week and category at any size: counted by the columns of the visibility rule
(*Complaint Intake Week*), so that the workspace's weekly chart reads a few hundred rows through the same rule
instead of grouping every complaint of its weeks (benchmarks/README.md, P5).

A complaint is counted once its registration has been followed up (`registration_followup` cleared by the
background job, intake/registration.py), so that concurrent registrations never queue on the current week's
row: the job adds it; a save that changes its week, category or rule columns moves it, a deletion takes it
away — each in the transaction of the change, from the row as it is under the save's lock (never from a stale
view). `rebuild` recounts from the complaints (set-based, idempotent): daily, and after a bulk change.
"""

from datetime import date, timedelta

import frappe
from frappe.utils import getdate

from complaint_handling.access import summaries
from complaint_handling.access.permissions import RULE_COLUMNS

SUMMARY = summaries.Summary("Complaint Intake Week", ("week", "category", *RULE_COLUMNS), ("complaints",))
COMPLAINT = "`tabCustomer Complaint`"
READ = ("registration_followup", "received_on", "creation", "category", *RULE_COLUMNS)
BEFORE = "received_weeks_before"  # the flag a save keeps its counted key in, between validate and on_update


def week_of(received_on) -> date:
	"""The Monday of the week the complaint was received."""
	day = getdate(received_on)
	return day - timedelta(days=day.weekday())


def key_of(row) -> tuple | None:
	"""(week, category, rule columns…) of a counted complaint; None while its registration is followed up."""
	if not row or row.get("registration_followup"):
		return None
	return (
		str(week_of(row.get("received_on") or row.get("creation"))),
		row.get("category") or "",
		*(row.get(c) or "" for c in RULE_COLUMNS),
	)


def counted_key(name: str) -> tuple | None:
	"""The key the complaint is counted under now, read under its row lock: the latest committed row, or
	this transaction's own write."""
	rows = frappe.db.sql(
		f"select {', '.join(f'`{c}`' for c in READ)} from {COMPLAINT} where name = %s for update",
		name,
		as_dict=True,
	)
	return key_of(rows[0]) if rows else None


def note_before(doc) -> None:
	"""Before a save writes: the key the complaint is counted under (validate, before update after submit)."""
	doc.flags[BEFORE] = None if doc.is_new() else counted_key(doc.name)


def follow(doc) -> None:
	"""After a save wrote: a complaint whose key changed moves its count. A save that skipped validation noted
	nothing before it; what it changed is left to the daily recount."""
	if BEFORE not in doc.flags:
		return
	summaries.move(SUMMARY, doc.flags.pop(BEFORE, None), counted_key(doc.name), (1,))


def count_registration(name: str) -> None:
	"""The registration's follow-up cleared its flag (same transaction): the complaint is counted."""
	summaries.add(SUMMARY, [(counted_key(name), (1,))])


def forget(doc) -> None:
	"""A complaint is being deleted: its count leaves the summary."""
	summaries.add(SUMMARY, [(counted_key(doc.name), (-1,))])


def rebuild() -> None:
	"""Recount the summary from the complaints (daily; after a bulk change or import)."""
	rule = ", ".join(f"ifnull(`{c}`, '')" for c in RULE_COLUMNS)
	received = "coalesce(received_on, creation)"
	summaries.recount(
		SUMMARY,
		f"""select date_format(date_sub(date({received}), interval weekday({received}) day), '%%Y-%%m-%%d'),
			ifnull(category, ''), {rule}, count(*)
		from {COMPLAINT}
		where registration_followup = 0
		group by {", ".join(str(i) for i in range(1, len(SUMMARY.key_columns) + 1))}""",
	)


def weekly_counts(start: date, end: date, conditions: str) -> list[tuple[str | None, date, int]]:
	"""(category, week, complaints) of the weeks from `start` to `end` (Mondays), under the visibility
	conditions given on the summary's table."""
	return [
		(category or None, getdate(week), int(count))
		for category, week, count in frappe.db.sql(
			f"""select category, week, sum(complaints) from {SUMMARY.table}
			where week between %(start)s and %(end)s {"and " + conditions if conditions else ""}
			group by category, week having sum(complaints) != 0""",
			{"start": start, "end": end},
		)
	]
