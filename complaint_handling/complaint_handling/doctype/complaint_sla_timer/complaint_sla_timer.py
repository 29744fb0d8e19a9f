# Copyright (c) 2026, complaint_handling developers
# For license information, please see license.txt

from frappe.model.document import Document


class ComplaintSLATimer(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		allowed_hours: DF.Float
		document_type: DF.Literal["Customer Complaint", "Complaint Memo"]
		due_field: DF.Data | None
		escalate_every: DF.Float
		escalation: DF.SmallText | None
		parent: DF.Data
		parentfield: DF.Data
		parenttype: DF.Data
		pauses: DF.Check
		timer: DF.Data
		warn_at: DF.Percent
		workflow_state: DF.Link
		working_time: DF.Check
	# end: auto-generated types
	pass
