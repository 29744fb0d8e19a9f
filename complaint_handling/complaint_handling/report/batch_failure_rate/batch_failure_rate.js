// Copyright (c) 2026, complaint_handling developers
// For license information, please see license.txt

frappe.query_reports["Batch Failure Rate"] = {
	filters: [],
};
