# Copyright (c) 2026, complaint_handling developers
# For license information, please see license.txt

from frappe.model.document import Document


class ComplaintSatisfactionMonth(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		company: DF.Link | None
		complained_user: DF.Link | None
		handler: DF.Link | None
		month: DF.Date
		pending_approver_user: DF.Link | None
		region_manager: DF.Link | None
		score_total: DF.Float
		surveys: DF.Int
		territory: DF.Link | None
	# end: auto-generated types
	pass
