# Copyright (c) 2026, complaint_handling developers
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document

from complaint_handling.access import protection
from complaint_handling.access.permissions import belongs_to_complaint_conditions, can_see_belonging
from complaint_handling.handling import memos, whose_move
from complaint_handling.service_levels import clocks


class ComplaintMemo(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		addressee: DF.Link | None
		amended_from: DF.Link | None
		approved_by: DF.Link | None
		approved_on: DF.Datetime | None
		approver_party: DF.Literal[
			"",
			"Region Manager",
			"Superior",
			"Marketing Director",
			"General Manager",
			"Management Representative",
			"Quality Manager",
			"Complaint Coordinator",
			"Complaint Clerk",
			"Handler",
			"Addressee",
			"Department Head",
		]
		company: DF.Link | None
		complaint: DF.Link
		customer: DF.Link | None
		department_head: DF.Link | None
		description: DF.TextEditor | None
		from_department: DF.Link | None
		from_user: DF.Link | None
		naming_series: DF.Literal["CM-.YYYY.-.#####"]
		paused_seconds: DF.Int
		paused_since: DF.Datetime | None
		replied_by: DF.Link | None
		replied_on: DF.Datetime | None
		reply: DF.TextEditor | None
		reply_by: DF.Datetime | None
		samples: DF.SmallText | None
		signed_by: DF.Link | None
		signed_on: DF.Datetime | None
		sla_policy: DF.Link | None
		sla_status: DF.Literal["", "On Track", "Warning", "Breached", "Paused"]
		sla_timer: DF.Data | None
		status: DF.Literal["Draft", "Dispatched", "Replied", "Signed", "Approved", "Closed"]
		subject: DF.Data
		timer_due_at: DF.Datetime | None
		timer_level: DF.Int
		timer_next_escalation: DF.Datetime | None
		timer_started: DF.Datetime | None
		timer_warn_at: DF.Datetime | None
		timer_warned: DF.Check
		to_department: DF.Link
		waiting_for: DF.Literal[
			"",
			"Region Manager",
			"Superior",
			"Marketing Director",
			"General Manager",
			"Management Representative",
			"Quality Manager",
			"Complaint Coordinator",
			"Complaint Clerk",
			"Handler",
			"Addressee",
			"Department Head",
		]
		waiting_for_user: DF.Link | None
		workflow_state: DF.Link | None

	# end: auto-generated types
	def validate(self) -> None:
		protection.check_memo(self)  # first: what the client sent
		if not self.complaint or not frappe.db.exists("Customer Complaint", self.complaint):
			frappe.throw(
				_("{0}: choose an existing complaint.").format(_("Customer Complaint")),
				frappe.LinkValidationError,
			)
		complaint = frappe.get_doc("Customer Complaint", self.complaint)
		memos.apply_defaults(self, complaint)
		memos.apply_stage_change(self, complaint)
		whose_move.apply(self, complaint)
		clocks.apply(self, complaint=complaint)

	def on_update(self) -> None:
		memos.after_save(self)

	def on_submit(self) -> None:
		memos.after_save(self)

	def on_cancel(self) -> None:
		whose_move.reassign(self)


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
