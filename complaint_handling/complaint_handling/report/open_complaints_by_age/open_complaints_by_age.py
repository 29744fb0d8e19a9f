# Copyright (c) 2026, complaint_handling developers
# For license information, please see license.txt

"""Open complaints by how long ago they were received, per territory, category, handler or status."""

import frappe
from frappe import _

from complaint_handling.domain.reporting import age_edges, age_labels
from complaint_handling.records import reporting


def execute(filters: dict | None = None) -> tuple[list, list, None, dict]:
	filters = frappe._dict(filters or {})
	group = reporting.check_choice(
		filters.get("group_by"), reporting.COMPLAINT_GROUPS, "Group By", "Territory"
	)
	try:
		edges = age_edges(filters.get("age_buckets"))
	except ValueError:
		frappe.throw(
			_("{0}: whole days in increasing order, separated by commas (e.g. 1,3,7,15).").format(
				_("Age Buckets")
			),
			reporting.ReportFilterError,
		)
	rows = reporting.open_by_age(group, edges, company=reporting.company_filter(filters))
	labels = age_labels(edges)
	_column, fieldtype, options = reporting.COMPLAINT_GROUPS[group]
	columns = [
		{"fieldname": "grp", "label": _(group), "fieldtype": fieldtype, "options": options, "width": 200},
		*(
			{"fieldname": f"b{i}", "label": label, "fieldtype": "Int", "width": 90}
			for i, label in enumerate(labels)
		),
		{"fieldname": "total", "label": _("Open"), "fieldtype": "Int", "width": 90},
		{"fieldname": "oldest", "label": _("Oldest Received"), "fieldtype": "Datetime", "width": 160},
	]
	chart = {
		"data": {
			"labels": labels,
			"datasets": [
				{
					"name": _("Open"),
					"values": [sum(int(r[f"b{i}"] or 0) for r in rows) for i in range(len(labels))],
				}
			],
		},
		"type": "bar",
	}
	return columns, rows, None, chart
