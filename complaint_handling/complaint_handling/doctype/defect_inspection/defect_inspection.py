# Copyright (c) 2026, complaint_handling developers
# For license information, please see license.txt

import frappe
from frappe.model.document import Document

from complaint_handling import inspections
from complaint_handling.permissions import belongs_to_complaint_conditions, can_see_belonging


class DefectInspection(Document):
	def validate(self) -> None:
		inspections.check(self)

	def on_update(self) -> None:
		inspections.pass_visit_on(self)
		inspections.propose_penalties(self)


def get_permission_query_conditions(user: str | None = None) -> str:
	"""Seen by whoever sees its complaint (never by the person complained about)."""
	return belongs_to_complaint_conditions("Defect Inspection", user)


def has_permission(doc, ptype: str | None = None, user: str | None = None) -> bool:
	user = user or frappe.session.user
	if user == "Administrator":
		return True
	return can_see_belonging(doc, user) if doc.get("complaint") else doc.is_new()
