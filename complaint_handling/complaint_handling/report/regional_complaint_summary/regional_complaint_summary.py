# Copyright (c) 2026, complaint_handling developers
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.utils import cint, escape_html, getdate

from complaint_handling.records.monthly_summary import previous_month, regional_summary


def date_filter(filters: dict, key: str, label: str, default):
	"""A date filter, or a clear 4xx naming it (never a 500)."""
	value = filters.get(key) or default
	try:
		return getdate(value)
	except Exception:
		frappe.throw(
			_("{0}: {1} is not a date.").format(_(label), frappe.bold(escape_html(str(value)[:40]))),
			frappe.ValidationError,
		)


def execute(filters: dict | None = None) -> tuple[list, list]:
	filters = frappe._dict(filters or {})
	default_from, default_to = previous_month()
	territory = filters.get("territory")
	if territory and not frappe.db.exists("Territory", territory):
		frappe.throw(
			_("{0}: {1} {2} does not exist.").format(
				_("Territory"), _("Territory"), frappe.bold(escape_html(str(territory)))
			)
		)
	rows = regional_summary(
		date_filter(filters, "from_date", "From Date", default_from),
		date_filter(filters, "to_date", "To Date", default_to),
		territory,
		bool(cint(filters.get("inside_authority_only", 1))),  # anything not a number counts as 0
		visible_to=frappe.session.user,  # over what the viewer may see, like every report of the app
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
