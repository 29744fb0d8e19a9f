# Copyright (c) 2026, complaint_handling developers
# For license information, please see license.txt

"""Follow-up calls after closure per level: planned, done, each outcome, overdue, and the share satisfied —
over the complaints the viewer may see."""

import frappe
from frappe import _
from frappe.utils import flt

from complaint_handling.complaint_handling.report.regional_complaint_summary.regional_complaint_summary import (
	date_filter,
)
from complaint_handling.permissions import complaint_conditions


def execute(filters: dict | None = None) -> tuple[list, list, None, dict]:
	filters = frappe._dict(filters or {})
	today = frappe.utils.getdate()
	start = date_filter(filters, "from_date", "From Date", frappe.utils.add_months(today, -3))
	end = date_filter(filters, "to_date", "To Date", today)
	seen = complaint_conditions(table="`tabCustomer Complaint`")
	rows = frappe.db.sql(
		f"""
		select fuc.level, fuc.is_audit,
			count(*) as calls,
			sum(fuc.status = 'Done') as done,
			sum(fuc.outcome = 'Satisfied') as satisfied,
			sum(fuc.outcome = 'Not Satisfied') as not_satisfied,
			sum(fuc.outcome = 'Not Reached') as not_reached,
			sum(fuc.status = 'Open' and fuc.due_on < %(today)s) as overdue
		from `tabComplaint Follow-up Call` fuc
		join `tabCustomer Complaint` on `tabCustomer Complaint`.name = fuc.complaint
		where fuc.due_on between %(start)s and %(end)s {"and " + seen if seen else ""}
		group by fuc.level, fuc.is_audit
		order by fuc.is_audit, fuc.level
		""",
		{"start": start, "end": end, "today": today},
		as_dict=True,
	)
	for row in rows:
		row.satisfied_share = round(100 * flt(row.satisfied) / row.done, 1) if row.done else None
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
