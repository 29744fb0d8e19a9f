# Copyright (c) 2026, complaint_handling developers
# For license information, please see license.txt

from frappe.model.document import Document


class ComplaintApproval(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		approved_on: DF.Datetime | None
		approver: DF.Link | None
		comments: DF.SmallText | None
		parent: DF.Data
		parentfield: DF.Data
		parenttype: DF.Data
		party: DF.Literal[
			"",
			"Region Manager",
			"Superior",
			"Marketing Director",
			"General Manager",
			"Management Representative",
			"Quality Manager",
			"Complaint Coordinator",
			"Complaint Clerk",
			"Handler",
			"Addressee",
			"Department Head",
		]
	# end: auto-generated types
	pass
