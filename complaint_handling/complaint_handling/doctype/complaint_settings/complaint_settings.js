// Copyright (c) 2026, complaint_handling developers
// For license information, please see license.txt

frappe.ui.form.on("Complaint Settings", {
	setup(frm) {
		frm.set_query("qa_hold_warehouse", () => ({
			filters: { company: frm.doc.company, is_group: 0 },
		}));
	},
	company(frm) {
		frm.set_value("qa_hold_warehouse", null);
	},
});
