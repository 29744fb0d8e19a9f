# Copyright (c) 2026, complaint_handling developers
# For license information, please see license.txt

from frappe.model.document import Document


class DefectInspectionFreight(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		amount: DF.Currency
		carrier: DF.Data | None
		document: DF.DynamicLink | None
		document_type: DF.Link | None
		leg: DF.Literal["Freight to the Company", "Freight to the Customer"]
		paid_by: DF.Literal["", "Company", "Customer"]
		parent: DF.Data
		parentfield: DF.Data
		parenttype: DF.Data
		sales_invoice: DF.Link | None
		shipped_on: DF.Date | None
		tracking_no: DF.Data | None
	# end: auto-generated types
	pass
