# Copyright (c) 2026, complaint_handling developers
# For license information, please see license.txt

from frappe.model.document import Document


class ComplaintIntakeWeek(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		category: DF.Link | None
		company: DF.Link | None
		complained_user: DF.Link | None
		complaints: DF.Int
		handler: DF.Link | None
		pending_approver_user: DF.Link | None
		region_manager: DF.Link | None
		territory: DF.Link | None
		week: DF.Date
	# end: auto-generated types
	pass
