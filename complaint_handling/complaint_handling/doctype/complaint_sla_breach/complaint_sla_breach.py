# Copyright (c) 2026, complaint_handling developers
# For license information, please see license.txt

from frappe.model.document import Document


class ComplaintSLABreach(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		due_at: DF.Datetime | None
		level: DF.Int
		notified: DF.SmallText | None
		overdue_minutes: DF.Int
		party: DF.Data | None
		recorded_at: DF.Datetime | None
		reference_doctype: DF.Link
		reference_name: DF.DynamicLink
		timer: DF.Data | None
	# end: auto-generated types
	pass
