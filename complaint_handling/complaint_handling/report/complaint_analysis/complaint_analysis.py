# Copyright (c) 2026, complaint_handling developers
# For license information, please see license.txt

"""Complaints received by category, territory, item, batch, customer (dealer) or handler, per week, month,
quarter or year — one grouped query (reporting.complaints_over_time)."""

import frappe
from frappe import _

from complaint_handling.domain.reporting import PERIODS
from complaint_handling.records import reporting


def execute(filters: dict | None = None) -> tuple[list, list, None, dict]:
	filters = frappe._dict(filters or {})
	group = reporting.check_choice(
		filters.get("group_by"), reporting.COMPLAINT_GROUPS, "Group By", "Category"
	)
	period = reporting.check_choice(filters.get("period"), PERIODS, "Period", "Monthly")
	start, end = reporting.date_range(filters)
	labels, rows = reporting.complaints_over_time(
		group, period, start, end, company=reporting.company_filter(filters)
	)
	_column, fieldtype, options = reporting.COMPLAINT_GROUPS[group]
	columns = [
		{"fieldname": "grp", "label": _(group), "fieldtype": fieldtype, "options": options, "width": 200},
		*(
			{"fieldname": f"p{i}", "label": label, "fieldtype": "Int", "width": 90}
			for i, label in enumerate(labels)
		),
		{"fieldname": "total", "label": _("Total"), "fieldtype": "Int", "width": 90},
	]
	data = [
		{"grp": grp, **{f"p{i}": value for i, value in enumerate(values)}, "total": total}
		for grp, values, total in rows
	]
	chart = {
		"data": {
			"labels": labels,
			"datasets": [
				{"name": str(grp or _("Not Set")), "values": values} for grp, values, _total in rows[:5]
			],
		},
		"type": "line",
	}
	return columns, data, None, chart
