# Copyright (c) 2026, complaint_handling developers
# For license information, please see license.txt

from frappe.model.document import Document


class ComplaintSLARouteTimer(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		allowed_hours: DF.Float
		escalate_every: DF.Float
		escalation: DF.SmallText | None
		parent: DF.Data
		parentfield: DF.Data
		parenttype: DF.Data
		timer: DF.Literal["director_report", "customer_reply"]
		warn_at: DF.Percent
		working_time: DF.Check
	# end: auto-generated types
	pass
