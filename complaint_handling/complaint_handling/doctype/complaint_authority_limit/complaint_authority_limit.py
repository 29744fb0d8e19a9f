# Copyright (c) 2026, complaint_handling developers
# For license information, please see license.txt

from frappe.model.document import Document


class ComplaintAuthorityLimit(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		company: DF.Link | None
		handling_path: DF.Literal["Policy / Customer Service", "Staff Conduct", "Product Quality"]
		max_amount: DF.Currency
		parent: DF.Data
		parentfield: DF.Data
		parenttype: DF.Data
		party: DF.Literal["Region Manager", "Superior", "Marketing Director", "General Manager"]
	# end: auto-generated types
	pass
