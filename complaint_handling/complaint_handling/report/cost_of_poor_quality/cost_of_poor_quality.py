# Copyright (c) 2026, complaint_handling developers
# For license information, please see license.txt

"""What product-quality complaints cost: freight, replacements, credit notes, repair labour and the penalties
posted, per item, batch or month of inspection (over the complaints the viewer may see)."""

import frappe
from frappe import _

from complaint_handling.records import reporting


def execute(filters: dict | None = None) -> tuple[list, list, None, dict]:
	filters = frappe._dict(filters or {})
	group = reporting.check_choice(filters.get("group_by"), reporting.COST_GROUPS, "Group By", "Item")
	start, end = reporting.date_range(filters)
	rows = reporting.cost_of_poor_quality(group, start, end, company=reporting.company_filter(filters))
	_expr, fieldtype, options = reporting.COST_GROUPS[group]
	money = [
		("freight", "Freight"),
		("replacements", "Replacements"),
		("credits", "Credit Notes"),
		("repairs", "Repair Labour"),
		("penalties", "Penalties"),
		("total", "Total"),
	]
	columns = [
		{"fieldname": "grp", "label": _(group), "fieldtype": fieldtype, "options": options, "width": 180},
		{"fieldname": "inspections", "label": _("Inspections"), "fieldtype": "Int", "width": 100},
		*(
			{"fieldname": key, "label": _(label), "fieldtype": "Currency", "width": 120}
			for key, label in money
		),
	]
	chart = {
		"data": {
			"labels": [str(r.grp or _("Not Set")) for r in rows],
			"datasets": [
				{"name": _(label), "values": [r[key] or 0 for r in rows]} for key, label in money[:-1]
			],
		},
		"type": "bar",
		"barOptions": {"stacked": 1},
	}
	return columns, rows, None, chart
