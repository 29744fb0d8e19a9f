# Copyright (c) 2026, complaint_handling developers
# For license information, please see license.txt

import frappe
from frappe.model.document import Document

from complaint_handling.access.permissions import can_see_penalty, penalty_conditions
from complaint_handling.penalties import fines, posting


class ComplaintPenalty(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		additional_salary: DF.Data | None
		amended_from: DF.Link | None
		amount: DF.Currency
		approved_by: DF.Link | None
		approved_on: DF.Datetime | None
		approver_party: DF.Data | None
		band_high: DF.Currency
		band_low: DF.Currency
		base_amount: DF.Currency
		capped: DF.Check
		company: DF.Link | None
		complaint: DF.Link | None
		evidence: DF.Attach | None
		inspection: DF.Link | None
		journal_entry: DF.Link | None
		naming_series: DF.Literal["CP-.YYYY.-.#####"]
		occurrence: DF.Int
		party: DF.DynamicLink
		party_email: DF.Data | None
		party_name: DF.Data | None
		party_type: DF.Literal["Employee", "Sales Person", "Supplier", "Customer"]
		penalty_date: DF.Date
		pick: DF.Float
		reason: DF.SmallText
		rule: DF.Link
		status: DF.Literal["Proposed", "Approved", "Posted", "Waived", "Cancelled"]
		terminates_cooperation: DF.Check
		units: DF.Float
		workflow_state: DF.Link | None

	# end: auto-generated types
	def validate(self) -> None:
		fines.check(self)

	def on_update(self) -> None:
		fines.count_occurrence(self)

	def on_trash(self) -> None:
		fines.uncount_occurrence(self)

	def on_submit(self) -> None:
		posting.post(self)

	def on_cancel(self) -> None:
		posting.reverse(self)


def get_permission_query_conditions(user: str | None = None) -> str:
	return penalty_conditions(user)


def has_permission(doc, ptype: str | None = None, user: str | None = None) -> bool:
	return can_see_penalty(doc, user)
