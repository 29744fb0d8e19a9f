# Copyright (c) 2026, complaint_handling developers
# For license information, please see license.txt

from frappe.model.document import Document


class InspectionFieldChange(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		inspection: DF.Link | None
		key: DF.Data
		received_at: DF.Datetime | None
		sent: DF.Code | None
		sent_at: DF.Datetime | None
		user: DF.Link | None
	# end: auto-generated types
	"""Written by quality/field_inspection.py only; nobody edits one."""
