frappe.provide("frappe.dashboards.chart_sources");

frappe.dashboards.chart_sources["Complaints by Category"] = {
	method: "complaint_handling.complaint_handling.dashboard_chart_source.complaints_by_category.complaints_by_category.get",
	filters: [
		{ fieldname: "weeks", label: __("Weeks"), fieldtype: "Int", default: 12 },
	],
};
