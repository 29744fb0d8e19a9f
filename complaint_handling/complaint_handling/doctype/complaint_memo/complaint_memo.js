// Copyright (c) 2026, complaint_handling developers
// For license information, please see license.txt

frappe.ui.form.on("Complaint Memo", {
	setup(frm) {
		frm.set_query("complaint", () => ({ filters: { docstatus: 0 } }));
	},

	refresh(frm) {
		if (frm.is_new() || !frm.doc.waiting_for) return;
		const who = frm.doc.waiting_for_user
			? `${__(frm.doc.waiting_for)}: ${frappe.utils.escape_html(frappe.user.full_name(frm.doc.waiting_for_user))}`
			: __(frm.doc.waiting_for);
		frm.dashboard.set_headline_alert(
			`<span class="indicator blue">${__("Waiting for {0}", [who])}</span>`
		);
	},
});
