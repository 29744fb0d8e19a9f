# Copyright (c) 2026, complaint_handling developers
# For license information, please see license.txt

"""Service-level compliance: each deadline (first response, resolution, the per-state timers) met, missed or
running past due, per timer, handler, policy or territory."""

import frappe
from frappe import _

from complaint_handling.records import reporting


def execute(filters: dict | None = None) -> tuple[list, list, None, dict]:
	filters = frappe._dict(filters or {})
	group = reporting.check_choice(filters.get("group_by"), reporting.SLA_GROUPS, "Group By", "Timer")
	start, end = reporting.date_range(filters, default_days=30)  # a month's review; any range may be asked
	rows = reporting.sla_compliance(group, start, end, company=reporting.company_filter(filters))
	columns = [
		{"fieldname": "grp", "label": _(group), "fieldtype": "Data", "width": 220},
		{"fieldname": "clocks", "label": _("Deadlines"), "fieldtype": "Int", "width": 100},
		{"fieldname": "on_time", "label": _("Met"), "fieldtype": "Int", "width": 90},
		{"fieldname": "late", "label": _("Missed"), "fieldtype": "Int", "width": 90},
		{"fieldname": "overdue", "label": _("Running Past Due"), "fieldtype": "Int", "width": 130},
		{"fieldname": "running", "label": _("Running"), "fieldtype": "Int", "width": 90},
		{"fieldname": "compliance", "label": _("Compliance (%)"), "fieldtype": "Percent", "width": 120},
	]
	for row in rows:
		row.grp = _(row.grp) if group == "Timer" and row.grp else row.grp
	chart = {
		"data": {
			"labels": [str(r.grp or _("Not Set")) for r in rows],
			"datasets": [{"name": _("Compliance (%)"), "values": [r.compliance or 0 for r in rows]}],
		},
		"type": "bar",
	}
	return columns, rows, None, chart
