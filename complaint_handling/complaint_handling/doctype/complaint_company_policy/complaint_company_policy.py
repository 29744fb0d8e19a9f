# Copyright (c) 2026, complaint_handling developers
# For license information, please see license.txt

from frappe.model.document import Document


class ComplaintCompanyPolicy(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		company: DF.Link
		parent: DF.Data
		parentfield: DF.Data
		parenttype: DF.Data
		penalty_deposit_account: DF.Link | None
		penalty_income_account: DF.Link | None
		qa_hold_warehouse: DF.Link | None
	# end: auto-generated types
	pass
