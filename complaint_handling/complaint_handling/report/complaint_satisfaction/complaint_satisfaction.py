# Copyright (c) 2026, complaint_handling developers
# For license information, please see license.txt

"""CSAT (parts 5 and 8): the customers' satisfaction surveys after closure, per territory, handler or
category — surveys, mean score, how many below the threshold — over the complaints the viewer may see."""

import frappe
from frappe import _
from frappe.utils import flt

from complaint_handling.complaint_handling.report.regional_complaint_summary.regional_complaint_summary import (
	date_filter,
)
from complaint_handling.permissions import complaint_conditions

GROUPS = {
	"Territory": ("territory", "Link", "Territory"),
	"Handler": ("handler", "Link", "User"),
	"Category": ("category", "Link", "Complaint Category"),
	"Handling Department": ("handling_department", "Link", "Department"),
}


def execute(filters: dict | None = None) -> tuple[list, list, None, dict]:
	filters = frappe._dict(filters or {})
	group = filters.get("group_by") or "Territory"
	if group not in GROUPS:
		frappe.throw(_("{0}: choose one of {1}.").format(_("Group By"), ", ".join(_(g) for g in GROUPS)))
	field, fieldtype, options = GROUPS[group]
	today = frappe.utils.getdate()
	start = date_filter(filters, "from_date", "From Date", frappe.utils.add_months(today, -12))
	end = date_filter(filters, "to_date", "To Date", today)
	threshold = flt(frappe.db.get_single_value("Complaint Settings", "survey_low_score"))
	seen = complaint_conditions(table="`tabCustomer Complaint`")
	rows = frappe.db.sql(
		f"""
		select ifnull(`tabCustomer Complaint`.`{field}`, '') as grp,
			count(*) as surveys,
			round(avg(fb.satisfaction_score), 1) as mean_score,
			sum(fb.satisfaction_score < %(threshold)s) as low
		from `tabQuality Feedback` fb
		join `tabCustomer Complaint` on `tabCustomer Complaint`.name = fb.customer_complaint
		where date(fb.creation) between %(start)s and %(end)s {"and " + seen if seen else ""}
		group by grp
		order by mean_score asc, surveys desc
		""",
		{"threshold": threshold, "start": start, "end": end},
		as_dict=True,
	)
	for row in rows:
		row.low_share = round(100 * flt(row.low) / row.surveys, 1) if row.surveys else 0
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
