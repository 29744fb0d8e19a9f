# Copyright (c) 2026, complaint_handling developers
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document

from complaint_handling import guard, memos, next_step, service_level
from complaint_handling.permissions import belongs_to_complaint_conditions, can_see_belonging


class ComplaintMemo(Document):
	def validate(self) -> None:
		guard.check_memo(self)  # first: what the client sent
		if not self.complaint or not frappe.db.exists("Customer Complaint", self.complaint):
			frappe.throw(
				_("{0}: choose an existing complaint.").format(_("Customer Complaint")),
				frappe.LinkValidationError,
			)
		complaint = frappe.get_doc("Customer Complaint", self.complaint)
		memos.apply_defaults(self, complaint)
		memos.apply_stage_change(self, complaint)
		next_step.apply(self, complaint)
		service_level.apply(self, complaint=complaint)

	def on_update(self) -> None:
		memos.after_save(self)

	def on_submit(self) -> None:
		memos.after_save(self)

	def on_cancel(self) -> None:
		next_step.reassign(self)


def memo_parties_sql(user: str) -> str:
	me = frappe.db.escape(user)
	return " or ".join(f"`tabComplaint Memo`.`{field}` = {me}" for field in ("addressee", "department_head"))


def get_permission_query_conditions(user: str | None = None) -> str:
	"""A memo is seen by whoever sees its complaint, and by its addressee and signer (never the accused)."""
	user = user or frappe.session.user
	complaint = belongs_to_complaint_conditions("Complaint Memo", user)
	if not complaint:
		return ""
	accused = f"`tabCustomer Complaint`.complained_user = {frappe.db.escape(user)}"
	return (
		f"({complaint} or (({memo_parties_sql(user)}) and `tabComplaint Memo`.complaint not in "
		f"(select `tabCustomer Complaint`.name from `tabCustomer Complaint` where {accused})))"
	)


def has_permission(doc, ptype: str | None = None, user: str | None = None) -> bool:
	user = user or frappe.session.user
	if user == "Administrator":
		return True
	if (
		doc.get("complaint")
		and frappe.db.get_value("Customer Complaint", doc.complaint, "complained_user") == user
	):
		return False
	return user in (doc.get("addressee"), doc.get("department_head")) or (
		can_see_belonging(doc, user) if doc.get("complaint") else doc.is_new()
	)
