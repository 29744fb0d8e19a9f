# Copyright (c) 2026, complaint_handling developers
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document


class ComplaintCategory(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		category_name: DF.Data
		description: DF.SmallText | None
		disabled: DF.Check
		handling_path: DF.Literal["", "Policy / Customer Service", "Staff Conduct", "Product Quality"]
		parent_category: DF.Link | None

	# end: auto-generated types
	def validate(self) -> None:
		"""A sub-category follows its parent's handling path; a top-level category must name one."""
		if self.parent_category == self.name:
			frappe.throw(_("{0} cannot be its own parent.").format(self.name))
		if self.parent_category and not self.handling_path:
			self.handling_path = frappe.db.get_value(
				"Complaint Category", self.parent_category, "handling_path"
			)
		if not self.handling_path:
			frappe.throw(
				_("{0}: choose the handling path of a top-level category.").format(
					_(self.meta.get_label("handling_path"))
				)
			)
