"""Customer satisfaction at any size: the surveyed complaints of each month summed by the columns of the
visibility rule (*Complaint Satisfaction Month*), so that the workspace's satisfaction card reads a few rows
through the same rule instead of averaging every surveyed complaint (benchmarks/README.md, P5).

Kept in step as it changes: a survey adds its score (customer/surveys.py), a surveyed complaint whose rule
columns or month change moves its score, a deleted one takes it away — each in the transaction of the change.
`rebuild` recounts everything from the complaints (set-based, idempotent): daily, and after a bulk change.
"""

import hashlib

import frappe
from frappe import _
from frappe.utils import flt, get_datetime, now

from complaint_handling.access.permissions import RULE_COLUMNS, complaint_conditions
from complaint_handling.integrations.erpnext.people import is_website_user

SUMMARY = "Complaint Satisfaction Month"
TABLE = f"`tab{SUMMARY}`"
COMPLAINT = "Customer Complaint"
SEPARATOR = "\x1f"


def month_of(received_on) -> str:
	return get_datetime(received_on).strftime("%Y-%m-01")


def key_of(row) -> tuple[str, ...] | None:
	"""(month, rule columns…) of a surveyed complaint; None when it has no survey."""
	if not row.get("quality_feedback"):
		return None
	return (
		month_of(row.get("received_on") or row.get("creation")),
		*(row.get(c) or "" for c in RULE_COLUMNS),
	)


def summary_name(key: tuple[str, ...]) -> str:
	return hashlib.md5(SEPARATOR.join(key).encode()).hexdigest()


def add(key: tuple[str, ...] | None, surveys: int, score: float) -> None:
	"""Add (or take away, with negatives) surveys and their scores to one row of the summary."""
	if key is None or not surveys:
		return
	columns = ", ".join(f"`{c}`" for c in RULE_COLUMNS)
	stamp, user = now(), frappe.session.user
	frappe.db.sql(
		f"""insert into {TABLE} (name, creation, modified, owner, modified_by, docstatus, idx, month, {columns},
			surveys, score_total)
		values (%s, %s, %s, %s, %s, 0, 0, %s, {", ".join(["%s"] * len(RULE_COLUMNS))}, %s, %s)
		on duplicate key update surveys = surveys + values(surveys),
			score_total = score_total + values(score_total), modified = values(modified)""",
		(summary_name(key), stamp, stamp, user, user, *key, surveys, flt(score)),
	)


def count_survey(complaint: str) -> None:
	"""A survey was recorded on the complaint (customer/surveys.py): add its score."""
	row = frappe.db.get_value(
		COMPLAINT,
		complaint,
		["quality_feedback", "satisfaction_score", "received_on", "creation", *RULE_COLUMNS],
		as_dict=True,
	)
	if row:
		add(key_of(row), 1, row.satisfaction_score)


def follow(doc) -> None:
	"""After a complaint is saved: a surveyed complaint whose month or rule columns changed moves its score."""
	before = doc.get_doc_before_save()
	old = key_of(before) if before else None
	new = key_of(doc)
	old_score, new_score = (flt(before.satisfaction_score) if before else 0), flt(doc.satisfaction_score)
	if old == new and old_score == new_score:
		return
	add(old, -1, -old_score)
	add(new, 1, new_score)


def forget(doc) -> None:
	"""A surveyed complaint is deleted: its score leaves the summary."""
	add(key_of(doc), -1, -flt(doc.satisfaction_score))


def rebuild() -> None:
	"""Recount the summary from the complaints, in one transaction (daily; after a bulk change or import)."""
	columns = ", ".join(f"`{c}`" for c in RULE_COLUMNS)
	rule = ", ".join(f"ifnull(`{c}`, '') as `{c}`" for c in RULE_COLUMNS)
	frappe.db.sql(f"delete from {TABLE}")
	frappe.db.sql(
		f"""insert into {TABLE} (name, creation, modified, owner, modified_by, docstatus, idx, month, {columns},
			surveys, score_total)
		select md5(concat_ws(char(31 using utf8mb4), month, {columns})), %(now)s, %(now)s, 'Administrator',
			'Administrator', 0, 0, month, {columns}, count(*), sum(satisfaction_score)
		from (select date_format(coalesce(received_on, creation), '%%Y-%%m-01') as month, {rule}, satisfaction_score
			from `tabCustomer Complaint`
			where quality_feedback > '') surveyed
		group by month, {columns}""",
		{"now": now()},
	)


@frappe.whitelist()
@frappe.read_only()  # the read replica may answer (access/replica.py)
def satisfaction_card(filters: str | dict | list | None = None) -> dict:
	"""Number card: the mean satisfaction score of the surveyed complaints the viewer may see."""
	if is_website_user(frappe.session.user):
		frappe.throw(_("The satisfaction card is read in the desk."), frappe.PermissionError)
	conditions = complaint_conditions(table=TABLE)
	surveys, total = frappe.db.sql(
		f"select sum(surveys), sum(score_total) from {TABLE} {'where ' + conditions if conditions else ''}"
	)[0]
	return {"value": round(flt(total) / flt(surveys), 1) if surveys else 0, "fieldtype": "Percent"}
