# Copyright (c) 2026, complaint_handling developers
# For license information, please see license.txt

import frappe
from frappe.model.document import Document

from complaint_handling import penalties
from complaint_handling.permissions import belongs_to_complaint_conditions, can_see_complaint

# who reads every penalty: the approvers, finance and the coordinator who proposes them (docs/procedure.md §11)
READERS = frozenset(
	{
		"System Manager",
		"Complaint Coordinator",
		"Marketing Director",
		"General Manager",
		"Management Representative",
		"Quality Manager",
		"Accounts User",
		"Accounts Manager",
	}
)


class ComplaintPenalty(Document):
	def validate(self) -> None:
		penalties.check(self)

	def on_update(self) -> None:
		penalties.count_occurrence(self)

	def on_trash(self) -> None:
		penalties.uncount_occurrence(self)

	def on_submit(self) -> None:
		penalties.post(self)

	def on_cancel(self) -> None:
		penalties.reverse(self)


def get_permission_query_conditions(user: str | None = None) -> str:
	"""A region manager sees the penalties of complaints he sees; the readers see all; nobody else any."""
	user = user or frappe.session.user
	if user == "Administrator" or set(frappe.get_roles(user)) & READERS:
		return ""
	return (
		belongs_to_complaint_conditions("Complaint Penalty", user)
		or "(`tabComplaint Penalty`.complaint is not null)"
	)


def has_permission(doc, ptype: str | None = None, user: str | None = None) -> bool:
	user = user or frappe.session.user
	if user == "Administrator" or set(frappe.get_roles(user)) & READERS:
		return True
	complaint = doc.get("complaint")
	return isinstance(complaint, str) and bool(complaint) and can_see_complaint(complaint, user)
