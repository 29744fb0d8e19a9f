# Copyright (c) 2026, complaint_handling developers
# For license information, please see license.txt

from frappe import _

from complaint_handling.summary import previous_month, regional_summary


def execute(filters: dict | None = None) -> tuple[list, list]:
	filters = filters or {}
	default_from, default_to = previous_month()
	rows = regional_summary(
		filters.get("from_date") or default_from,
		filters.get("to_date") or default_to,
		filters.get("territory"),
		bool(int(filters.get("inside_authority_only", 1))),
	)
	columns = [
		{
			"fieldname": "territory",
			"label": _("Territory"),
			"fieldtype": "Link",
			"options": "Territory",
			"width": 160,
		},
		{
			"fieldname": "region_manager",
			"label": _("Region Manager"),
			"fieldtype": "Link",
			"options": "User",
			"width": 200,
		},
		{
			"fieldname": "category",
			"label": _("Category"),
			"fieldtype": "Link",
			"options": "Complaint Category",
			"width": 200,
		},
		{"fieldname": "received", "label": _("Received"), "fieldtype": "Int", "width": 100},
		{"fieldname": "closed", "label": _("Closed"), "fieldtype": "Int", "width": 100},
		{"fieldname": "open", "label": _("Open"), "fieldtype": "Int", "width": 100},
		{"fieldname": "repeats", "label": _("Repeats"), "fieldtype": "Int", "width": 100},
		{"fieldname": "escalated", "label": _("Escalated"), "fieldtype": "Int", "width": 100},
	]
	return columns, rows
