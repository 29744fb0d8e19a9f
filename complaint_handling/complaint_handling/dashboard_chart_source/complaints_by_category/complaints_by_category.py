"""Dashboard chart source: complaints received per week, one series per category.

Read from the weekly intake summary (intake/received_weeks.py) through the same visibility rule as the list,
so a region manager's chart shows his territories only; a complaint appears once its registration has been
followed up (seconds after it is registered). Not cached across users for that reason.
"""

from typing import Any

import frappe
from frappe import _
from frappe.utils import cint, getdate, nowdate

from complaint_handling.access.permissions import complaint_conditions
from complaint_handling.domain.reporting import week_starts, weekly_series
from complaint_handling.intake.received_weeks import SUMMARY, weekly_counts
from complaint_handling.integrations.erpnext.people import is_website_user

MAX_WEEKS = 104


@frappe.whitelist()
@frappe.read_only()  # the read replica may answer (access/replica.py)
def get(
	chart_name: str | None = None,
	chart: str | dict | None = None,
	no_cache: Any = None,
	filters: str | dict | None = None,
	from_date: Any = None,
	to_date: Any = None,
	timespan: str | None = None,
	time_interval: str | None = None,
	heatmap_year: str | int | None = None,
) -> dict:
	if is_website_user(frappe.session.user):
		frappe.throw(_("The weekly chart is read in the desk."), frappe.PermissionError)
	filters = frappe.parse_json(filters) or {}
	weeks = min(max(cint(filters.get("weeks")) or 12, 1), MAX_WEEKS)
	starts = week_starts(getdate(to_date or nowdate()), weeks)
	rows = weekly_counts(starts[0], starts[-1], complaint_conditions(table=SUMMARY.table))
	labels, series = weekly_series(starts, rows)
	return {
		"labels": [frappe.format(start, "Date") for start in labels],
		"datasets": [
			{"name": _(category) if category else _("No Category"), "values": values}
			for category, values in series
		],
	}
