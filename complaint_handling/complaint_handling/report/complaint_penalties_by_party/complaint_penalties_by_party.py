# Copyright (c) 2026, complaint_handling developers
# For license information, please see license.txt

"""Penalties per party: how many, posted and pending amounts, waived, and whether cooperation ends."""

import frappe
from frappe import _

from complaint_handling.records import reporting


def execute(filters: dict | None = None) -> tuple[list, list, None, dict]:
	filters = frappe._dict(filters or {})
	start, end = reporting.date_range(filters)
	rows = reporting.penalties_by_party(start, end, company=reporting.company_filter(filters))
	columns = [
		{"fieldname": "party_type", "label": _("Party Type"), "fieldtype": "Data", "width": 120},
		{
			"fieldname": "party",
			"label": _("Party"),
			"fieldtype": "Dynamic Link",
			"options": "party_type",
			"width": 180,
		},
		{"fieldname": "party_name", "label": _("Party Name"), "fieldtype": "Data", "width": 180},
		{"fieldname": "penalties", "label": _("Penalties"), "fieldtype": "Int", "width": 90},
		{"fieldname": "posted", "label": _("Posted"), "fieldtype": "Int", "width": 80},
		{"fieldname": "posted_amount", "label": _("Posted Amount"), "fieldtype": "Currency", "width": 130},
		{"fieldname": "pending_amount", "label": _("Pending Amount"), "fieldtype": "Currency", "width": 130},
		{"fieldname": "waived", "label": _("Waived"), "fieldtype": "Int", "width": 80},
		{
			"fieldname": "terminates_cooperation",
			"label": _("Terminates Cooperation"),
			"fieldtype": "Check",
			"width": 110,
		},
	]
	for row in rows:
		row.party_type = _(row.party_type)
	chart = {
		"data": {
			"labels": [r.party_name or r.party for r in rows[:10]],
			"datasets": [{"name": _("Posted Amount"), "values": [r.posted_amount or 0 for r in rows[:10]]}],
		},
		"type": "bar",
	}
	return columns, rows, None, chart
