// Copyright (c) 2026, complaint_handling developers
// For license information, please see license.txt

frappe.ui.form.on("Defect Inspection", {
	refresh(frm) {
		// a photo is taken with the phone's camera: the uploader's Camera button (and the file input, which
		// accepts images only, so a phone offers its camera too)
		frm.fields_dict.photos.grid.update_docfield_property("photo", "options", { allow_take_photo: true });
		// the phone-first page that keeps working without a connection (quality/field_page.py)
		if (!frm.is_new() && frm.doc.status === "Draft") {
			frm.add_custom_button(__("Field Page"), () =>
				window.open(`/inspection-field/app#${encodeURIComponent(frm.doc.name)}`, "_blank")
			);
		}
		if (!frm.is_new() && frm.doc.status === "Awaiting Goods" && !frm.doc.goods_return) {
			frm.add_custom_button(
				__("Goods Return"),
				() =>
					frappe.call({
						method: "complaint_handling.quality.goods_returns.make_goods_return",
						args: { inspection: frm.doc.name },
						freeze: true,
						callback: (r) => r.message && frappe.set_route("Form", r.message.doctype, r.message.name),
					}),
				__("Create")
			);
		}
		const decided = ["Corrective Action Review", "General Manager Review", "Closed", "Settled on Site"];
		if (!frm.is_new() && decided.includes(frm.doc.status)) {
			const kinds = {
				Replacement: __("Replacement"),
				Invoice: __("Invoice"),
				"Credit Note": __("Credit Note"),
				Scrap: __("Scrap"),
			};
			Object.entries(kinds).forEach(([kind, label]) =>
				frm.add_custom_button(
					label,
					() =>
						frappe.call({
							method: "complaint_handling.quality.resolutions.make_resolution",
							args: { inspection: frm.doc.name, kind },
							freeze: true,
							callback: (r) =>
								r.message && frappe.set_route("Form", r.message.doctype, r.message.name),
						}),
					__("Create")
				)
			);
		}
		const qa_done = !["Draft", "Director Review", "Settled on Site"].includes(frm.doc.status);
		if (!frm.is_new() && qa_done && frm.doc.root_cause && !frm.doc.non_conformance) {
			frm.add_custom_button(
				__("Non Conformance"),
				() =>
					frappe.call({
						method: "complaint_handling.quality.actions.make_non_conformance",
						args: { inspection: frm.doc.name },
						freeze: true,
						callback: (r) => r.message && frm.reload_doc(),
					}),
				__("Create")
			);
		}
		if (!frm.is_new() && frm.doc.goods_received_on && frm.doc.final_determination && !frm.doc.quality_inspection) {
			frm.add_custom_button(
				__("Quality Inspection"),
				() =>
					frappe.call({
						method: "complaint_handling.quality.actions.make_quality_inspection",
						args: { inspection: frm.doc.name },
						freeze: true,
						callback: (r) => r.message && frappe.set_route("Form", r.message.doctype, r.message.name),
					}),
				__("Create")
			);
		}
		if (frm.doc.goods_return) {
			frm.add_custom_button(__("Goods Return"), () =>
				frappe.set_route("Form", frm.doc.goods_return_doctype, frm.doc.goods_return)
			, __("View"));
		}
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
