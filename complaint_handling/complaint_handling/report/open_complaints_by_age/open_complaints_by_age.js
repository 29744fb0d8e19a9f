// Copyright (c) 2026, complaint_handling developers
// For license information, please see license.txt

frappe.query_reports["Open Complaints by Age"] = {
	filters: [
		{
			fieldname: "company",
			label: __("Company"),
			fieldtype: "Link",
			options: "Company",
			default: frappe.defaults.get_user_default("Company"),
		},
		{
			fieldname: "group_by",
			label: __("Group By"),
			fieldtype: "Select",
			options: ["Territory", "Category", "Handler", "Status", "Customer", "Item", "Company"],
			default: "Territory",
			reqd: 1,
		},
		{ fieldname: "age_buckets", label: __("Age Buckets"), fieldtype: "Data", default: "1,3,7,15" },
	],
};
