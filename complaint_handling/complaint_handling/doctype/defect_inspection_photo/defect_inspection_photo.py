# Copyright (c) 2026, complaint_handling developers
# For license information, please see license.txt

from frappe.model.document import Document


class DefectInspectionPhoto(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		caption: DF.Data | None
		client_key: DF.Data | None
		parent: DF.Data
		parentfield: DF.Data
		parenttype: DF.Data
		photo: DF.AttachImage
		taken_at: DF.Datetime | None
		taken_by: DF.Link | None
		taken_on_phone_at: DF.Datetime | None
	# end: auto-generated types
	pass
