frappe.listview_settings["Customer Complaint"] = {
	add_fields: ["status", "severity", "is_repeat", "is_vip", "waiting_for", "waiting_for_user"],
	// open complaints first: a closed complaint is archive, found by removing the filter. The open statuses
	// of domain/statuses.py (tier 1 checks the list), as "in": Frappe wraps "!=" in ifnull(), which no
	// index serves, where "in" reads the status index (customer_complaint.on_doctype_update)
	filters: [
		["status", "in", ["Registered", "In Progress", "Proposed", "Approved", "Replied", "Disputed"]],
	],
	get_indicator(doc) {
		const colors = {
			Registered: "orange",
			"In Progress": "blue",
			Proposed: "yellow",
			Approved: "green",
			Replied: "cyan",
			Disputed: "red",
			Closed: "gray",
		};
		return [__(doc.status), colors[doc.status] || "gray", "status,=," + doc.status];
	},
};
