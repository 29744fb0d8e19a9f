# Copyright (c) 2026, complaint_handling developers
# For license information, please see license.txt

from frappe.model.document import Document


class DefectInspectionCost(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		cost_item: DF.Literal[
			"Replacement", "Freight to the Company", "Freight to the Customer", "Labour", "Parts"
		]
		note: DF.Data | None
		paid_by: DF.Literal["", "Company", "Customer"]
		parent: DF.Data
		parentfield: DF.Data
		parenttype: DF.Data
	# end: auto-generated types
	pass
