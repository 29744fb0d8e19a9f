# Copyright (c) 2026, complaint_handling developers
# For license information, please see license.txt

from frappe.model.document import Document

from complaint_handling import penalties


class PenaltyRule(Document):
	def validate(self) -> None:
		penalties.check_rule(self)
