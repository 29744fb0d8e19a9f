// Copyright (c) 2026, complaint_handling developers
// For license information, please see license.txt

frappe.query_reports["Regional Complaint Summary"] = {
	filters: [
		{
			fieldname: "from_date",
			label: __("From Date"),
			fieldtype: "Date",
			default: frappe.datetime.add_months(frappe.datetime.month_start(), -1),
			reqd: 1,
		},
		{
			fieldname: "to_date",
			label: __("To Date"),
			fieldtype: "Date",
			default: frappe.datetime.add_days(frappe.datetime.month_start(), -1),
			reqd: 1,
		},
		{ fieldname: "territory", label: __("Territory"), fieldtype: "Link", options: "Territory" },
		{
			fieldname: "inside_authority_only",
			label: __("Inside Region Manager Authority Only"),
			fieldtype: "Check",
			default: 1,
		},
	],
};
