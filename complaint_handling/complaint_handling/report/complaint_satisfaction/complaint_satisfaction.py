# Copyright (c) 2026, complaint_handling developers
# For license information, please see license.txt

"""CSAT (parts 5 and 8): the customers' satisfaction surveys after closure, per territory, handler or
category — surveys, mean score, how many below the threshold — over the complaints the viewer may see."""

import frappe
from frappe import _
from frappe.utils import flt

from complaint_handling.records import reporting


def execute(filters: dict | None = None) -> tuple[list, list, None, dict]:
	filters = frappe._dict(filters or {})
	group = reporting.check_choice(
		filters.get("group_by"), reporting.SATISFACTION_GROUPS, "Group By", "Territory"
	)
	start, end = reporting.date_range(filters)
	rows = reporting.satisfaction(group, start, end, company=reporting.company_filter(filters))
	_column, fieldtype, options = reporting.COMPLAINT_GROUPS[group]
	columns = [
		{"fieldname": "grp", "label": _(group), "fieldtype": fieldtype, "options": options, "width": 220},
		{"fieldname": "surveys", "label": _("Surveys"), "fieldtype": "Int", "width": 100},
		{"fieldname": "mean_score", "label": _("Satisfaction"), "fieldtype": "Percent", "width": 120},
		{"fieldname": "low", "label": _("Rated Low"), "fieldtype": "Int", "width": 100},
		{"fieldname": "low_share", "label": _("Rated Low (%)"), "fieldtype": "Percent", "width": 120},
	]
	chart = {
		"data": {
			"labels": [row.grp or _("Not Set") for row in rows],
			"datasets": [{"name": _("Satisfaction"), "values": [flt(row.mean_score) for row in rows]}],
		},
		"type": "bar",
	}
	return columns, rows, None, chart
