// Copyright (c) 2026, complaint_handling developers
// For license information, please see license.txt

frappe.ui.form.on("Complaint Memo", {
	setup(frm) {
		frm.set_query("complaint", () => ({ filters: { docstatus: 0 } }));
	},
});
