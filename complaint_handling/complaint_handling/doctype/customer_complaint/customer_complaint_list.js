frappe.listview_settings["Customer Complaint"] = {
	add_fields: ["status", "severity", "is_repeat", "is_vip", "waiting_for", "waiting_for_user"],
	// open complaints first: a closed complaint is archive, found by removing the filter
	filters: [["status", "!=", "Closed"]],
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
