// Copyright (c) 2026, complaint_handling developers
// For license information, please see license.txt

frappe.ui.form.on("Customer Complaint", {
	setup(frm) {
		frm.set_query("serial_no", () => ({ filters: frm.doc.item ? { item_code: frm.doc.item } : {} }));
		frm.set_query("batch_no", () => ({ filters: frm.doc.item ? { item: frm.doc.item } : {} }));
		for (const [field, doctype] of [
			["sales_order", "Sales Order"],
			["delivery_note", "Delivery Note"],
			["sales_invoice", "Sales Invoice"],
		]) {
			frm.set_query(field, () => ({
				filters: { docstatus: 1, ...(frm.doc.customer ? { customer: frm.doc.customer } : {}) },
			}));
		}
		// contacts of the chosen customer; any contact until one is chosen (contact_query needs a customer)
		frm.set_query("contact", () =>
			frm.doc.customer
				? {
						query: "frappe.contacts.doctype.contact.contact.contact_query",
						filters: { link_doctype: "Customer", link_name: frm.doc.customer },
				  }
				: {}
		);
		// Create ▸ Memo is also what the "+" beside Memos in the connections calls
		frm.custom_make_buttons = { "Complaint Memo": "Memo" };
		// party names are stored in English; show them in the user's language
		for (const field of ["approval_chain", "notify_parties"]) {
			frm.fields_dict[field].df.formatter = translate_list;
		}
	},

	category(frm) {
		suggest_articles(frm);
	},
	item(frm) {
		suggest_articles(frm);
	},
	subject(frm) {
		suggest_articles(frm);
	},

	refresh(frm) {
		if (frm.is_new()) return;
		render_memos(frm);
		show_next_step(frm);
		if (frm.doc.docstatus === 0 && frappe.model.can_create("Complaint Memo")) {
			frm.add_custom_button(
				__("Memo"),
				() =>
					frappe.model.open_mapped_doc({
						method: "complaint_handling.handling.memos.make_memo",
						frm: frm,
					}),
				__("Create")
			);
		}
		if (
			frm.doc.docstatus === 0 &&
			frm.doc.handling_path === "Product Quality" &&
			frappe.model.can_create("Defect Inspection")
		) {
			frm.add_custom_button(
				__("Defect Inspection"),
				() =>
					frappe.model.open_mapped_doc({
						method: "complaint_handling.quality.inspections.make_defect_inspection",
						frm: frm,
					}),
				__("Create")
			);
		}
		if (frm.doc.docstatus === 0 && frm.doc.status === "Registered") add_confirm_buttons(frm);
		if (frm.doc.docstatus === 1 && frappe.model.can_create("Customer Complaint")) {
			// a closed complaint is archived: an amendment is a new complaint that follows it up
			frm.add_custom_button(
				__("Follow-on Complaint"),
				() =>
					frappe.model.open_mapped_doc({
						method: "complaint_handling.records.archive.make_follow_on",
						frm: frm,
					}),
				__("Create")
			);
		}
		frm.add_custom_button(__("Export File"), () =>
			window.open(
				"/api/method/complaint_handling.records.archive.export_file?" +
					new URLSearchParams({ name: frm.doc.name }).toString()
			)
		);
		if (frm.doc.is_repeat) {
			frm.dashboard.add_comment(
				__("Repeat complaint: see Related Complaints. Severity was raised accordingly."),
				"orange",
				true
			);
		}
	},
});

function add_confirm_buttons(frm) {
	frm.add_custom_button(__("Record Read-back"), () => record_readback(frm), __("Confirm"));
	if (frm.doc.complainant_email) {
		frm.add_custom_button(
			__("E-mail Confirmation Link"),
			() =>
				frappe
					.call("complaint_handling.customer.confirmation.send_confirmation_link", { name: frm.doc.name })
					.then(() => frappe.show_alert({ message: __("Confirmation link sent"), indicator: "green" })),
			__("Confirm")
		);
	}
}

function translate_list(value) {
	return (value || "")
		.split(",")
		.map((part) => part.trim())
		.filter(Boolean)
		.map((part) => frappe.utils.escape_html(__(part)))
		.join(", ");
}

function show_next_step(frm) {
	if (!frm.doc.waiting_for) return;
	const who = frm.doc.waiting_for_user
		? `${__(frm.doc.waiting_for)}: ${frappe.utils.escape_html(frappe.user.full_name(frm.doc.waiting_for_user))}`
		: __(frm.doc.waiting_for);
	const mine =
		frm.doc.waiting_for_user === frappe.session.user ||
		(!frm.doc.waiting_for_user && frappe.user.has_role(frm.doc.waiting_for));
	frm.dashboard.set_headline_alert(
		`<span class="indicator ${mine ? "orange" : "blue"}">${__("Waiting for {0}", [who])}${
			mine ? " — " + __("your move") : ""
		}</span>`
	);
}

function record_readback(frm) {
	const dialog = new frappe.ui.Dialog({
		title: __("Record Read-back"),
		fields: [
			{
				fieldname: "readback_method",
				fieldtype: "Select",
				label: __("Method"),
				options: [
					{ value: "Read back by phone", label: __("Read back by phone") },
					{ value: "Read back in person", label: __("Read back in person") },
				],
				default: frm.doc.channel === "Walk-in" ? "Read back in person" : "Read back by phone",
				reqd: 1,
			},
			{ fieldname: "corrections", fieldtype: "Small Text", label: __("Customer's Corrections") },
		],
		primary_action_label: __("Record"),
		primary_action(values) {
			frm.call("record_readback", values).then(() => {
				dialog.hide();
				frm.reload_doc();
			});
		},
	});
	dialog.show();
}

function render_memos(frm) {
	frappe.db
		.get_list("Complaint Memo", {
			filters: { complaint: frm.doc.name },
			fields: ["name", "to_department", "status", "reply_by", "subject"],
			order_by: "creation asc",
		})
		.then((memos) => {
			const rows = memos
				.map(
					(m) => `<tr>
						<td><a href="/app/complaint-memo/${encodeURIComponent(m.name)}">${frappe.utils.escape_html(m.name)}</a></td>
						<td>${frappe.utils.escape_html(m.subject || "")}</td>
						<td>${frappe.utils.escape_html(m.to_department || "")}</td>
						<td>${__(m.status)}</td>
						<td>${m.reply_by ? frappe.datetime.str_to_user(m.reply_by) : ""}</td>
					</tr>`
				)
				.join("");
			frm.get_field("memos_html").$wrapper.html(
				memos.length
					? `<table class="table table-bordered table-sm"><thead><tr>
						<th>${__("Memo")}</th><th>${__("Subject")}</th><th>${__("To Department")}</th>
						<th>${__("Status")}</th><th>${__("Requested Reply By")}</th></tr></thead><tbody>${rows}</tbody></table>`
					: `<p class="text-muted">${__("No memos yet.")}</p>`
			);
		});
}

// First-line answers while the complaint is told: matching help articles, one click to record the answer.
function suggest_articles(frm) {
	if (frm.doc.docstatus !== 0 || !(frm.doc.category || frm.doc.item || frm.doc.subject)) return;
	frappe
		.call({
			method: "complaint_handling.customer.knowledge_base.suggest_articles",
			args: { category: frm.doc.category, item: frm.doc.item, subject: frm.doc.subject },
		})
		.then((r) => {
			const found = r.message || [];
			frm.set_intro("");
			if (!found.length) return;
			const links = found
				.map(
					(a) =>
						`<a href="/${encodeURI(a.route || "")}" target="_blank">${frappe.utils.escape_html(
							a.title
						)}</a>`
				)
				.join(" · ");
			frm.set_intro(`${__("Help articles that may answer this")}: ${links}`, "blue");
		});
}
