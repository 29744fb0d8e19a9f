# Copyright (c) 2026, complaint_handling developers
# For license information, please see license.txt

"""Follow-up calls after closure per level: planned, done, each outcome, overdue, and the share satisfied —
over the complaints the viewer may see."""

import frappe
from frappe import _

from complaint_handling.records import reporting


def execute(filters: dict | None = None) -> tuple[list, list, None, dict]:
	filters = frappe._dict(filters or {})
	start, end = reporting.date_range(filters, default_days=90)
	rows = reporting.follow_up_calls_by_level(start, end, company=reporting.company_filter(filters))
	columns = [
		{"fieldname": "level", "label": _("Level"), "fieldtype": "Data", "width": 200},
		{"fieldname": "is_audit", "label": _("Audit Call"), "fieldtype": "Check", "width": 90},
		{"fieldname": "calls", "label": _("Calls"), "fieldtype": "Int", "width": 80},
		{"fieldname": "done", "label": _("Done"), "fieldtype": "Int", "width": 80},
		{"fieldname": "satisfied", "label": _("Satisfied"), "fieldtype": "Int", "width": 90},
		{"fieldname": "not_satisfied", "label": _("Not Satisfied"), "fieldtype": "Int", "width": 110},
		{"fieldname": "not_reached", "label": _("Not Reached"), "fieldtype": "Int", "width": 110},
		{"fieldname": "overdue", "label": _("Overdue"), "fieldtype": "Int", "width": 90},
		{"fieldname": "satisfied_share", "label": _("Satisfied (%)"), "fieldtype": "Percent", "width": 110},
	]
	chart = {
		"data": {
			"labels": [_(row.level) for row in rows],
			"datasets": [
				{"name": _("Satisfied"), "values": [row.satisfied for row in rows]},
				{"name": _("Not Satisfied"), "values": [row.not_satisfied for row in rows]},
				{"name": _("Not Reached"), "values": [row.not_reached for row in rows]},
			],
		},
		"type": "bar",
		"barOptions": {"stacked": 1},
	}
	return columns, rows, None, chart
