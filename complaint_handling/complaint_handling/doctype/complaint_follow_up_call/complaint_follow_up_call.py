# Copyright (c) 2026, complaint_handling developers
# For license information, please see license.txt

from frappe.model.document import Document

from complaint_handling.access.permissions import belongs_to_complaint_conditions, can_see_belonging
from complaint_handling.customer import follow_up_calls


class ComplaintFollowupCall(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		assigned_role: DF.Link | None
		attempts: DF.Int
		called_by: DF.Link | None
		called_on: DF.Datetime | None
		company: DF.Link | None
		complaint: DF.Link | None
		customer: DF.Link | None
		due_on: DF.Date | None
		is_audit: DF.Check
		level: DF.Data | None
		notes: DF.SmallText | None
		outcome: DF.Literal["", "Satisfied", "Not Satisfied", "Not Reached"]
		status: DF.Literal["Open", "Done"]
	# end: auto-generated types
	"""Made by the app when a complaint closes; the caller records the outcome (customer/follow_up_calls.py)."""

	def validate(self) -> None:
		follow_up_calls.check(self)


def get_permission_query_conditions(user: str | None = None) -> str:
	return belongs_to_complaint_conditions("Complaint Follow-up Call", user)


def has_permission(doc, ptype: str | None = None, user: str | None = None) -> bool:
	return can_see_belonging(doc, user)
