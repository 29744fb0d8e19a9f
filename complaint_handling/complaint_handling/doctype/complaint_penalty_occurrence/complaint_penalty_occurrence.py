# Copyright (c) 2026, complaint_handling developers
# For license information, please see license.txt

import frappe
from frappe.model.document import Document


class ComplaintPenaltyOccurrence(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		party: DF.Data
		party_type: DF.Data
		penalty: DF.Link
		penalty_date: DF.Date
		rule: DF.Link
	# end: auto-generated types
	pass


def on_doctype_update() -> None:
	"""Counting reads the occurrences of one party under one rule."""
	frappe.db.add_index("Complaint Penalty Occurrence", ["rule", "party_type", "party"])
