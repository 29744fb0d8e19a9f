"""Customer satisfaction at any size: the surveyed complaints of each month summed by the columns of the
visibility rule (*Complaint Satisfaction Month*), so that the workspace's satisfaction card reads a few rows
through the same rule instead of averaging every surveyed complaint (benchmarks/README.md, P5).

Kept in step as it changes: a survey adds its score (customer/surveys.py), a surveyed complaint whose rule
columns or month change moves its score, a deleted one takes it away — each in the transaction of the change.
`rebuild` recounts everything from the complaints (set-based, idempotent): daily, and after a bulk change.
"""

import frappe
from frappe import _
from frappe.utils import flt, get_datetime

from complaint_handling.access import summaries
from complaint_handling.access.permissions import RULE_COLUMNS, complaint_conditions
from complaint_handling.integrations.erpnext.people import is_website_user

SUMMARY = summaries.Summary(
	"Complaint Satisfaction Month", ("month", *RULE_COLUMNS), ("surveys", "score_total")
)
TABLE = SUMMARY.table
COMPLAINT = "Customer Complaint"


def month_of(received_on) -> str:
	return get_datetime(received_on).strftime("%Y-%m-01")


def is_surveyed(row) -> bool:
	"""A survey recorded on the complaint, or an imported complaint's score from the paper file."""
	return bool(row.get("quality_feedback") or (row.get("historical") and flt(row.get("satisfaction_score"))))


def key_of(row) -> tuple[str, ...] | None:
	"""(month, rule columns…) of a surveyed complaint; None when it has no survey."""
	if not is_surveyed(row):
		return None
	return (
		month_of(row.get("received_on") or row.get("creation")),
		*(row.get(c) or "" for c in RULE_COLUMNS),
	)


def count_survey(complaint: str) -> None:
	"""A survey was recorded on the complaint (customer/surveys.py): add its score."""
	row = frappe.db.get_value(
		COMPLAINT,
		complaint,
		["quality_feedback", "historical", "satisfaction_score", "received_on", "creation", *RULE_COLUMNS],
		as_dict=True,
	)
	if row:
		summaries.add(SUMMARY, [(key_of(row), (1, flt(row.satisfaction_score)))])


def follow(doc) -> None:
	"""After a complaint is saved: a surveyed complaint whose month or rule columns changed moves its score."""
	before = doc.get_doc_before_save()
	old = key_of(before) if before else None
	new = key_of(doc)
	old_score, new_score = (flt(before.satisfaction_score) if before else 0), flt(doc.satisfaction_score)
	if old == new and old_score == new_score:
		return
	summaries.add(SUMMARY, [(old, (-1, -old_score)), (new, (1, new_score))])


def forget(doc) -> None:
	"""A surveyed complaint is deleted: its score leaves the summary."""
	summaries.add(SUMMARY, [(key_of(doc), (-1, -flt(doc.satisfaction_score)))])


def rebuild() -> None:
	"""Recount the summary from the complaints (daily; after a bulk change or import)."""
	rule = ", ".join(f"ifnull(`{c}`, '')" for c in RULE_COLUMNS)
	summaries.recount(
		SUMMARY,
		f"""select date_format(coalesce(received_on, creation), '%%Y-%%m-01') as month, {rule},
			count(*), sum(satisfaction_score)
		from `tabCustomer Complaint`
		where quality_feedback > '' or (historical = 1 and satisfaction_score > 0)
		group by 1, {", ".join(str(i) for i in range(2, len(RULE_COLUMNS) + 2))}""",
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
