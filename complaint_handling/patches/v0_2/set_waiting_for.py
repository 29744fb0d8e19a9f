"""Open complaints and memos of an existing site say whose move it is (new field `waiting_for`)."""

import frappe

from complaint_handling.handling import whose_move


def execute() -> None:
	for doctype in ("Customer Complaint", "Complaint Memo"):
		for name in frappe.get_all(doctype, filters={"docstatus": 0}, pluck="name"):
			doc = frappe.get_doc(doctype, name)
			whose_move.apply(doc)
			doc.db_set(
				{"waiting_for": doc.waiting_for, "waiting_for_user": doc.waiting_for_user},
				update_modified=False,
			)
