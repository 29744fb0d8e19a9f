// Copyright (c) 2026, complaint_handling developers
// For license information, please see license.txt

frappe.ui.form.on("Complaint SLA Policy", {
	onload(frm) {
		frappe.call("frappe.core.doctype.user.user.get_timezones").then((r) => {
			frm.set_df_property("time_zone", "options", r.message.timezones);
		});
	},
	refresh(frm) {
		if (frm.is_new()) return;
		frm.add_custom_button(__("Load Public Holidays"), () => {
			frappe.prompt(
				[
					{ fieldname: "year", fieldtype: "Int", label: __("Year"), reqd: 1, default: new Date().getFullYear() },
					{ fieldname: "country", fieldtype: "Data", label: __("Country Code"), reqd: 1, default: "CN" },
				],
				(values) =>
					frm.call("load_public_holidays", values).then((r) => {
						frappe.show_alert({
							message: __("{0} holidays and {1} make-up working days loaded", [
								r.message.holidays,
								r.message.make_up_days,
							]),
							indicator: "green",
						});
						frm.reload_doc();
					}),
				__("Load Public Holidays")
			);
		});
	},
});
