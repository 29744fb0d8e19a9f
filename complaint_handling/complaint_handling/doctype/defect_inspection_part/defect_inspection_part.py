# Copyright (c) 2026, complaint_handling developers
# For license information, please see license.txt

from frappe.model.document import Document


class DefectInspectionPart(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		contract_price: DF.Currency
		item: DF.Link
		parent: DF.Data
		parentfield: DF.Data
		parenttype: DF.Data
		price_source: DF.Data | None
		qty: DF.Float
		rate: DF.Currency
		serial_no: DF.Data | None
	# end: auto-generated types
	pass
