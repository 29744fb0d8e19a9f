// The service desk hands over (service_desk/issue.py): Create ▸ Customer Complaint on an Issue,
// the complaint it became, and an escalation rule's suggestion.
frappe.ui.form.on("Issue", {
	refresh(frm) {
		if (frm.is_new()) return;
		if (frm.doc.customer_complaint) {
			frm.dashboard.set_headline_alert(
				__("Escalated to complaint {0}; this Issue waits On Hold until it is closed.", [
					frm.doc.customer_complaint.bold(),
				]),
				"blue"
			);
			return;
		}
		if (frappe.model.can_create("Customer Complaint")) {
			frm.add_custom_button(
				__("Customer Complaint"),
				() =>
					frappe.model.open_mapped_doc({
						method: "complaint_handling.service_desk.issue.make_complaint_from_issue",
						frm: frm,
					}),
				__("Create")
			);
		}
		if (frm.doc.complaint_suggestion) {
			frm.dashboard.set_headline_alert(frappe.utils.escape_html(frm.doc.complaint_suggestion), "orange");
		}
	},
});
