# Copyright (c) 2026, complaint_handling developers
# For license information, please see license.txt

from frappe.model.document import Document


class ComplaintConfirmation(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		by_customer: DF.Check
		confirmed_by: DF.Link | None
		confirmed_on: DF.Datetime
		corrections: DF.SmallText | None
		link_signature: DF.Data | None
		method: DF.Literal["Read back by phone", "Read back in person", "Customer portal", "E-mail link"]
		parent: DF.Data
		parentfield: DF.Data
		parenttype: DF.Data
	# end: auto-generated types
	pass
