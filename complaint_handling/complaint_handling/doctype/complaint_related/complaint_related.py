# Copyright (c) 2026, complaint_handling developers
# For license information, please see license.txt

from frappe.model.document import Document


class ComplaintRelated(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		complaint: DF.Link | None
		matched_on: DF.Data | None
		parent: DF.Data
		parentfield: DF.Data
		parenttype: DF.Data
		received_on: DF.Datetime | None
		status: DF.Data | None
		subject: DF.Data | None
	# end: auto-generated types
	pass
