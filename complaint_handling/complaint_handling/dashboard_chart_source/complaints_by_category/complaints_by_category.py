"""Dashboard chart source: complaints received per week, one series per category.

Counted in one grouped query over the complaints the user may see (the same rule as the list), so a
region manager's chart shows his territories only. Not cached across users for that reason.
"""

from typing import Any

import frappe
from frappe import _
from frappe.utils import cint, getdate, nowdate

from complaint_handling.access.permissions import complaint_conditions
from complaint_handling.domain.reporting import week_starts, weekly_series

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
	filters = frappe.parse_json(filters) or {}
	weeks = min(max(cint(filters.get("weeks")) or 12, 1), MAX_WEEKS)
	starts = week_starts(getdate(to_date or nowdate()), weeks)
	conditions = complaint_conditions(frappe.session.user)
	rows = frappe.db.sql(
		f"""select `tabCustomer Complaint`.category,
			date_sub(date(`tabCustomer Complaint`.received_on),
				interval weekday(`tabCustomer Complaint`.received_on) day) as week,
			count(*) as count
		from `tabCustomer Complaint`
		where `tabCustomer Complaint`.received_on >= %(start)s
			and `tabCustomer Complaint`.received_on < date_add(%(end)s, interval 7 day)
			{"and " + conditions if conditions else ""}
		group by 1, 2""",
		{"start": starts[0], "end": starts[-1]},
	)
	labels, series = weekly_series(
		starts, [(category, getdate(week), count) for category, week, count in rows]
	)
	return {
		"labels": [frappe.format(start, "Date") for start in labels],
		"datasets": [
			{"name": _(category) if category else _("No Category"), "values": values}
			for category, values in series
		],
	}
