# Copyright (c) 2026, complaint_handling developers
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document

from complaint_handling.domain.service_desk import ESCALATE, subject_words


class ServiceDeskEscalationRule(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		action: DF.Literal["Suggest", "Escalate"]
		category: DF.Link | None
		enabled: DF.Check
		issue_type: DF.Link | None
		priority: DF.Link | None
		repeat_within_days: DF.Int
		rule_name: DF.Data
		subject_words: DF.SmallText | None

	# end: auto-generated types
	def validate(self) -> None:
		self.subject_words = "\n".join(subject_words(self.subject_words)) or None
		if self.repeat_within_days and self.repeat_within_days < 0:
			frappe.throw(_("{0} must be 0 or more.").format(_("Repeat Within (Days)")))
		if not (self.issue_type or self.priority or self.subject_words or self.repeat_within_days):
			frappe.throw(
				_(
					"Fill in at least one condition: Issue Type, Priority, Words in the Subject or Repeat Within (Days)."
				)
			)
		if self.action == ESCALATE and not self.category:
			frappe.throw(
				_("{0}: a rule that escalates names the complaint's category.").format(
					_("Complaint Category")
				)
			)
