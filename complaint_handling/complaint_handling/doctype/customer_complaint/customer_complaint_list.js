frappe.listview_settings["Customer Complaint"] = {
	add_fields: ["status", "severity", "is_repeat", "is_vip"],
	get_indicator(doc) {
		const colors = {
			Registered: "orange",
			"In Progress": "blue",
			"Awaiting Customer": "yellow",
			Resolved: "green",
			Closed: "gray",
		};
		return [__(doc.status), colors[doc.status] || "gray", "status,=," + doc.status];
	},
};
