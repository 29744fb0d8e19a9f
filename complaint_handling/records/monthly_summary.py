"""Monthly regional summary (docs/procedure.md §10): complaints handled inside a region manager's authority go to HQ.

One grouped query serves the report and the monthly job; the job records what it sent, so a second run in
the same month sends nothing.
"""

import frappe
from frappe import _
from frappe.query_builder.functions import Count, Sum
from frappe.utils import add_months, get_first_day, get_last_day, getdate, nowdate
from pypika.terms import Case, LiteralValue

from complaint_handling.access.permissions import complaint_conditions, restricted_companies
from complaint_handling.intake.registration import FINISHED_STATUSES
from complaint_handling.integrations.erpnext.people import users_with_role


def regional_summary(
	from_date,
	to_date,
	territory: str | None = None,
	inside_authority_only: bool = True,
	visible_to: str | None = None,
) -> list[dict]:
	"""Complaints received in the period, per territory, region manager and category; with `visible_to`,
	only the complaints that user may see (the report), else all (the coordinators' monthly mail)."""
	complaint = frappe.qb.DocType("Customer Complaint")
	finished = complaint.status.isin(FINISHED_STATUSES)
	query = (
		frappe.qb.from_(complaint)
		.select(
			complaint.territory,
			complaint.region_manager,
			complaint.category,
			Count(complaint.name).as_("received"),
			Sum(Case().when(finished, 1).else_(0)).as_("closed"),
			Sum(Case().when(complaint.is_repeat == 1, 1).else_(0)).as_("repeats"),
			Sum(Case().when(complaint.escalated == 1, 1).else_(0)).as_("escalated"),
		)
		.where(complaint.received_on >= getdate(from_date))
		.where(complaint.received_on < frappe.utils.add_days(getdate(to_date), 1))
		.where(complaint.docstatus < 2)
		.groupby(complaint.territory, complaint.region_manager, complaint.category)
		.orderby(complaint.territory)
		.orderby(complaint.category)
	)
	if territory:
		query = query.where(complaint.territory == territory)
	if inside_authority_only:
		query = query.where(complaint.monthly_summary == 1)
	if visible_to and (conditions := complaint_conditions(visible_to)):
		query = query.where(LiteralValue(f"({conditions})"))
	rows = query.run(as_dict=True)
	for row in rows:
		row.open = row.received - row.closed
	return rows


def previous_month(today=None) -> tuple:
	first = get_first_day(add_months(getdate(today or nowdate()), -1))
	return first, get_last_day(first)


def send_monthly_summaries(today=None) -> int:
	"""Scheduled monthly: each territory's summary of last month to the HQ coordinators. Idempotent."""
	from_date, to_date = previous_month(today)
	month = from_date.strftime("%Y-%m")
	rows = regional_summary(from_date, to_date)
	# the summary counts every company's complaints: a coordinator kept to some companies is not sent it
	recipients = [u for u in users_with_role("Complaint Coordinator") if restricted_companies(u) is None]
	if not rows or not recipients:
		return 0
	by_territory: dict[str, list[dict]] = {}
	for row in rows:
		by_territory.setdefault(row.territory or _("No Territory"), []).append(row)
	already = set(
		frappe.get_all(
			"Comment",
			filters={
				"reference_doctype": "Territory",
				"comment_type": "Info",
				"content": ("like", f"%[{month}]%"),
			},
			pluck="reference_name",
		)
	)
	sent = 0
	for territory, territory_rows in by_territory.items():
		if territory in already:
			continue
		frappe.sendmail(
			recipients=recipients,
			subject=_("Monthly complaint summary {0}: {1}").format(month, territory),
			template="regional_complaint_summary",
			args={"territory": territory, "month": month, "rows": territory_rows},
			reference_doctype="Territory" if frappe.db.exists("Territory", territory) else None,
			reference_name=territory if frappe.db.exists("Territory", territory) else None,
		)
		if frappe.db.exists("Territory", territory):
			frappe.get_doc("Territory", territory).add_comment(
				"Info", _("Monthly complaint summary sent to HQ") + f" [{month}]"
			)
		sent += 1
	return sent
