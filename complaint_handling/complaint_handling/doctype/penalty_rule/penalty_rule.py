# Copyright (c) 2026, complaint_handling developers
# For license information, please see license.txt

from frappe.model.document import Document

from complaint_handling.penalties import fines, rules


class PenaltyRule(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		active_from: DF.Date | None
		active_to: DF.Date | None
		adds_base: DF.Check
		amount: DF.Currency
		cap: DF.Currency
		deduct_from_deposit: DF.Check
		description: DF.SmallText | None
		enabled: DF.Check
		first_amount: DF.Currency
		first_count: DF.Int
		kind: DF.Literal["Fixed", "Escalating", "Percentage Band", "Amount Band", "Multiple"]
		later_amount: DF.Currency
		min_amount: DF.Currency
		multiple: DF.Float
		party_type: DF.Literal["Employee", "Sales Person", "Supplier", "Customer"]
		per_unit: DF.Check
		percent_high: DF.Percent
		percent_low: DF.Percent
		period_days: DF.Int
		rule_name: DF.Data
		terminates_cooperation: DF.Check

	# end: auto-generated types
	def validate(self) -> None:
		rules.check_rule(self)
