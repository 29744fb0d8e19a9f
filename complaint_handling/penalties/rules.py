"""Penalty Rules (docs/procedure.md §11): the rules as data, checked on save and read as domain/penalties.py terms."""

import frappe
from frappe import _
from frappe.utils import cint, flt, getdate

from complaint_handling.domain.penalties import PenaltyRuleError, PenaltyTerms

PENALTY = "Complaint Penalty"
RULE = "Penalty Rule"
OCCURRENCE = "Complaint Penalty Occurrence"
PROPOSED, APPROVED, POSTED, WAIVED, CANCELLED = "Proposed", "Approved", "Posted", "Waived", "Cancelled"
MARKETING_DIRECTOR, GENERAL_MANAGER = "Marketing Director", "General Manager"


class PenaltyError(frappe.ValidationError):
	"""The penalty cannot stand as entered (a rule not in force, a party of another kind, a pick outside)."""


def terms_of(rule) -> PenaltyTerms:
	return PenaltyTerms(
		kind=rule.kind,
		amount=flt(rule.amount),
		min_amount=flt(rule.min_amount),
		first_amount=flt(rule.first_amount),
		first_count=cint(rule.first_count) or 1,
		later_amount=flt(rule.later_amount),
		period_days=cint(rule.period_days),
		percent_low=flt(rule.percent_low),
		percent_high=flt(rule.percent_high),
		multiple=flt(rule.multiple),
		per_unit=bool(rule.per_unit),
		adds_base=bool(rule.adds_base),
		cap=flt(rule.cap),
	)


def check_rule(rule) -> None:
	"""Validate of Penalty Rule: its figures make a penalty."""
	if rule.kind == "Percentage Band" and flt(rule.percent_low) > flt(rule.percent_high):
		frappe.throw(
			_("{0} cannot be above {1}.").format(_("Percentage From"), _("Percentage To")), PenaltyError
		)
	if rule.kind == "Amount Band" and flt(rule.min_amount) > flt(rule.amount):
		frappe.throw(_("{0} cannot be above {1}.").format(_("Lowest Amount"), _("Amount")), PenaltyError)
	if rule.active_from and rule.active_to and getdate(rule.active_to) < getdate(rule.active_from):
		frappe.throw(_("{0} cannot be before {1}.").format(_("Active To"), _("Active From")), PenaltyError)
	try:
		terms_of(rule)
	except PenaltyRuleError:
		frappe.throw(_("The rule's figures do not make a penalty; check its amounts."), PenaltyError)
