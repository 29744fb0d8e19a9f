// Copyright (c) 2026, complaint_handling developers
// For license information, please see license.txt

frappe.ui.form.on("Defect Inspection", {
	refresh(frm) {
		// on a phone the region manager fills this at the customer's site: photos first
		if (!frm.is_new() && !(frm.doc.photos || []).length) {
			frm.dashboard.add_comment(
				__("Add at least one photo before setting the determination."),
				"orange",
				true
			);
		}
	},
	determination(frm) {
		if (frm.doc.determination !== "Obvious Misuse") {
			frm.set_value("misuse_handling", "");
		}
	},
	misuse_handling(frm) {
		frm.set_value("fixed_on_site", frm.doc.misuse_handling === "Fixed on Site" ? 1 : 0);
	},
});
