// Copyright (c) 2026, complaint_handling developers
// For license information, please see license.txt

frappe.query_reports["Open Complaints by Age"] = {
	filters: [
		{
			fieldname: "group_by",
			label: __("Group By"),
			fieldtype: "Select",
			options: ["Territory", "Category", "Handler", "Status", "Customer", "Item"],
			default: "Territory",
			reqd: 1,
		},
		{ fieldname: "age_buckets", label: __("Age Buckets"), fieldtype: "Data", default: "1,3,7,15" },
	],
};
