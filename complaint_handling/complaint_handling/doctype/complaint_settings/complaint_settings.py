# Copyright (c) 2026, complaint_handling developers
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import cint

from complaint_handling.integrations.erpnext.warehouse import ensure_qa_hold_warehouse
from complaint_handling.setup.install import penalty_income_account


class ComplaintSettings(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		from complaint_handling.complaint_handling.doctype.complaint_authority_limit.complaint_authority_limit import (
			ComplaintAuthorityLimit,
		)
		from complaint_handling.complaint_handling.doctype.complaint_company_policy.complaint_company_policy import (
			ComplaintCompanyPolicy,
		)
		from complaint_handling.complaint_handling.doctype.complaint_follow_up_level.complaint_follow_up_level import (
			ComplaintFollowupLevel,
		)

		acknowledgement_counts_as_response: DF.Check
		audit_call_days: DF.Int
		audit_call_role: DF.Link | None
		audit_call_share: DF.Percent
		authority_limits: DF.Table[ComplaintAuthorityLimit]
		company: DF.Link | None
		company_policies: DF.Table[ComplaintCompanyPolicy]
		confirmation_link_hours: DF.Int
		engineer_day_rate: DF.Currency
		exchange_days: DF.Int
		follow_up_levels: DF.Table[ComplaintFollowupLevel]
		freight_item: DF.Link | None
		labour_item: DF.Link | None
		link_attempts_per_hour: DF.Int
		low_satisfaction_rule: DF.Link | None
		memo_reply_hours: DF.Int
		negligence_penalty_rule: DF.Link | None
		penalty_approval_limit: DF.Currency
		penalty_deposit_account: DF.Link | None
		penalty_income_account: DF.Link | None
		penalty_salary_component: DF.Data | None
		photo_max_mb: DF.Float
		photos_per_complaint: DF.Int
		promised_failure_rate: DF.Float
		qa_hold_warehouse: DF.Link | None
		quality_defect_reading: DF.Literal["Service Commitments", "Free Replacement Always"]
		repeat_severity_floor: DF.Literal["General", "Major", "Urgent"]
		repeat_window_days: DF.Int
		retention_years: DF.Int
		return_days: DF.Int
		subject_similarity: DF.Percent
		submissions_per_hour: DF.Int
		survey_link_days: DF.Int
		survey_low_score: DF.Percent
		survey_strike_days: DF.Int
		survey_strikes: DF.Int
		survey_template: DF.Link | None
		warranty_day_one: DF.Literal["Acceptance, Else Delivery", "Delivery"]
		warranty_distance_limit: DF.Float
		warranty_months: DF.Int
	# end: auto-generated types

	def validate(self) -> None:
		self.validate_qa_hold_warehouse()
		self.validate_company_policies()
		self.validate_cost_policy()
		if self.company and not self.qa_hold_warehouse:
			self.qa_hold_warehouse = ensure_qa_hold_warehouse(self.company)

	def validate_cost_policy(self) -> None:
		"""The three-guarantee windows make sense (domain/costs.py); the negligence band is the Penalty Rule's;
		the low-satisfaction rule ends a supplier's cooperation."""
		for field, label in (("labour_item", "Labour Item"), ("freight_item", "Freight Item")):
			item = self.get(field)
			if item and frappe.db.get_value("Item", item, "is_stock_item"):
				frappe.throw(
					_("{0}: {1} is a stock item; choose a service item.").format(_(label), item),
					title=_("Invalid Settings"),
				)
		if cint(self.exchange_days) < cint(self.return_days):
			frappe.throw(
				_("{0} cannot be shorter than {1}.").format(
					_("Free Exchange Within (Days)"), _("Free Return Within (Days)")
				),
				title=_("Invalid Settings"),
			)
		rule = self.low_satisfaction_rule
		if rule and frappe.db.get_value("Penalty Rule", rule, ["party_type", "terminates_cooperation"]) != (
			"Supplier",
			1,
		):
			frappe.throw(
				_("{0}: {1} must apply to suppliers and end cooperation.").format(
					_("Low Satisfaction Termination Rule"), rule
				),
				title=_("Invalid Settings"),
			)

	def validate_qa_hold_warehouse(self) -> None:
		if self.qa_hold_warehouse and not self.company:
			frappe.throw(
				_("Set {0} before choosing the {1}.").format(_("Company"), _("QA Hold Warehouse")),
				title=_("Missing Company"),
			)
		check_warehouse(_("QA Hold Warehouse"), self.qa_hold_warehouse, self.company)

	def validate_company_policies(self) -> None:
		"""Each other company of the group once, with its own QA hold (made when blank) and accounts of its own."""
		seen = {self.company}
		for row in self.get("company_policies") or []:
			where = _("Other Companies, row {0}").format(row.idx)
			if row.company in seen:
				frappe.throw(
					_(
						"{0}: company {1} is listed twice (the company above uses the values on this page)."
					).format(where, row.company),
					title=_("Invalid Settings"),
				)
			seen.add(row.company)
			row.qa_hold_warehouse = row.qa_hold_warehouse or ensure_qa_hold_warehouse(row.company)
			row.penalty_income_account = row.penalty_income_account or penalty_income_account(row.company)
			check_warehouse(f"{where}: {_('QA Hold Warehouse')}", row.qa_hold_warehouse, row.company)
			for field, label in (
				("penalty_income_account", _("Penalty Income Account")),
				("penalty_deposit_account", _("Penalty Deposit Account")),
			):
				account = row.get(field)
				owner = account and frappe.db.get_value("Account", account, "company")
				if account and owner != row.company:
					frappe.throw(
						_("{0}: account {1} belongs to company {2}; choose an account of {3}.").format(
							f"{where}: {label}", account, owner, row.company
						),
						title=_("Wrong Company"),
					)


def check_warehouse(label: str, warehouse: str | None, company: str | None) -> None:
	"""A QA hold is a warehouse of its company that can hold stock."""
	if not warehouse:
		return
	owner, is_group = frappe.db.get_value("Warehouse", warehouse, ["company", "is_group"]) or (None, None)
	if owner != company:
		frappe.throw(
			_("{0}: warehouse {1} belongs to company {2}; choose a warehouse of {3}.").format(
				label, warehouse, owner, company
			),
			title=_("Wrong Company"),
		)
	if is_group:
		frappe.throw(
			_("{0}: {1} is a group warehouse; choose a warehouse that can hold stock.").format(
				label, warehouse
			),
			title=_("Group Warehouse"),
		)
