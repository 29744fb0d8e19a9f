# Copyright (c) 2026, complaint_handling developers
# For license information, please see license.txt

from frappe.model.document import Document

from complaint_handling import follow_up_calls
from complaint_handling.permissions import belongs_to_complaint_conditions, can_see_belonging


class ComplaintFollowupCall(Document):
	"""Made by the app when a complaint closes; the caller records the outcome (follow_up_calls.py)."""

	def validate(self) -> None:
		follow_up_calls.check(self)


def get_permission_query_conditions(user: str | None = None) -> str:
	return belongs_to_complaint_conditions("Complaint Follow-up Call", user)


def has_permission(doc, ptype: str | None = None, user: str | None = None) -> bool:
	return can_see_belonging(doc, user)
