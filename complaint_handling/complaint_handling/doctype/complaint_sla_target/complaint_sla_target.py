# Copyright (c) 2026, complaint_handling developers
# For license information, please see license.txt

from frappe.model.document import Document


class ComplaintSLATarget(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		first_response_escalate_every: DF.Float
		first_response_escalation: DF.SmallText | None
		first_response_hours: DF.Float
		first_response_working: DF.Check
		parent: DF.Data
		parentfield: DF.Data
		parenttype: DF.Data
		resolution_escalate_every: DF.Float
		resolution_escalation: DF.SmallText | None
		resolution_hours: DF.Float
		resolution_working: DF.Check
		severity: DF.Literal["General", "Major", "Urgent"]
		warn_at: DF.Percent
	# end: auto-generated types
	pass
