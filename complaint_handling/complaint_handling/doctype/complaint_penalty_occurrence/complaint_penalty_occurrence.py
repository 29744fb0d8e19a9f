# Copyright (c) 2026, complaint_handling developers
# For license information, please see license.txt

import frappe
from frappe.model.document import Document


class ComplaintPenaltyOccurrence(Document):
	pass


def on_doctype_update() -> None:
	"""Counting reads the occurrences of one party under one rule."""
	frappe.db.add_index("Complaint Penalty Occurrence", ["rule", "party_type", "party"])
