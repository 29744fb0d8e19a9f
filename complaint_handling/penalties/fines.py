"""Penalties (docs/procedure.md §11): the shell around domain/penalties.py — rules as data (Penalty Rule),
fines proposed from complaints (Complaint Penalty), approved within the approval limit, counted race-safe,
posted to the party's account as a Journal Entry — an employee's, with HRMS and a penalty Salary Component
set, as an Additional Salary deducted from the next pay — and reversed by cancelling.
"""

import frappe
from frappe import _
from frappe.utils import cint, flt, getdate, now_datetime, nowdate

from complaint_handling.access import fields, protection
from complaint_handling.domain.penalties import PenaltyRuleError, approver, compute, occurrence
from complaint_handling.integrations.erpnext.companies import settings_company
from complaint_handling.penalties.rules import (
	APPROVED,
	GENERAL_MANAGER,
	MARKETING_DIRECTOR,
	OCCURRENCE,
	POSTED,
	PROPOSED,
	RULE,
	PenaltyError,
	terms_of,
)

# set by the app on every save (from the rule, the count and the approval); a client's value never sticks
SERVER_SET = (
	"party_type",
	"party_name",
	"party_email",
	"amount",
	"band_low",
	"band_high",
	"occurrence",
	"capped",
	"terminates_cooperation",
	"approver_party",
	"approved_by",
	"approved_on",
	"journal_entry",
	"additional_salary",
)
# what the approver decides on: fixed once the penalty leaves Proposed
FROZEN = (
	"rule",
	"party",
	"base_amount",
	"units",
	"pick",
	"penalty_date",
	"complaint",
	"inspection",
	"reason",
)


class PenaltyApprovalError(frappe.PermissionError):
	"""Above the approval limit only the general manager approves."""


class FrozenPenaltyError(frappe.PermissionError):
	"""What was approved is not rewritten."""


def check(doc) -> None:
	"""Validate of Complaint Penalty."""

	fields.check_input(doc)
	before = doc.get_doc_before_save()
	protection.follow_workflow_state(doc)
	if doc.docstatus != 0 and not (
		before is not None and before.status == APPROVED and doc.status == POSTED and doc.docstatus == 1
	):
		if doc.docstatus == 1 or before is None:
			frappe.throw(
				_("A penalty is proposed as a draft and posted only by its workflow, once approved."),
				protection.DocstatusError,
			)
	if before is not None and before.status != PROPOSED:
		for field in FROZEN:
			if protection.comparable(doc, field) != protection.comparable(before, field):
				frappe.throw(
					_("{0} cannot be changed once the penalty is approved or waived.").format(
						_(doc.meta.get_label(field))
					),
					FrozenPenaltyError,
				)
	for field in SERVER_SET:  # the server's; recomputed below while it may change
		doc.set(field, before.get(field) if before is not None else None)
	if not doc.get("company"):  # its complaint's (fetched); a penalty of no complaint: the settings' company
		doc.company = settings_company()
	rule = rule_in_force(doc)
	doc.party_type = rule.party_type
	doc.terminates_cooperation = rule.terminates_cooperation
	doc.party_name = party_name(doc)
	doc.party_email = party_email(doc)
	approving = before is not None and before.status == PROPOSED and doc.status == APPROVED
	if doc.status == PROPOSED or approving:
		apply_rule(doc, rule, lock=approving)
	if approving:
		roles = set(frappe.get_roles())
		if doc.approver_party == GENERAL_MANAGER and not roles & {GENERAL_MANAGER, "System Manager"}:
			frappe.throw(
				_("{0} is above the approval limit; the general manager approves it.").format(
					frappe.format_value(doc.amount, {"fieldtype": "Currency"})
				),
				PenaltyApprovalError,
			)
		doc.approved_by, doc.approved_on = frappe.session.user, now_datetime()


def rule_in_force(doc):
	if not doc.rule or not frappe.db.exists(RULE, doc.rule):
		frappe.throw(_("{0}: choose an existing rule.").format(_(RULE)), frappe.LinkValidationError)
	rule = frappe.get_doc(RULE, doc.rule)
	on = getdate(doc.penalty_date or nowdate())
	in_force = rule.enabled and (not rule.active_from or getdate(rule.active_from) <= on)
	in_force = in_force and (not rule.active_to or on <= getdate(rule.active_to))
	if not in_force and (doc.is_new() or doc.status == PROPOSED):
		frappe.throw(_("{0} {1} is not in force on {2}.").format(_(RULE), rule.name, on), PenaltyError)
	return rule


def party_name(doc) -> str:
	if not doc.party or not isinstance(doc.party, str) or not frappe.db.exists(doc.party_type, doc.party):
		frappe.throw(
			_("{0}: choose an existing {1}.").format(_("Party"), _(doc.party_type)),
			frappe.LinkValidationError,
		)
	field = {
		"Employee": "employee_name",
		"Sales Person": "sales_person_name",
		"Supplier": "supplier_name",
		"Customer": "customer_name",
	}[doc.party_type]
	return frappe.db.get_value(doc.party_type, doc.party, field) or doc.party


def party_email(doc) -> str | None:
	"""The party's address for the notice: the customer's or supplier's e-mail, the employee's."""
	if doc.party_type == "Employee":
		found = frappe.db.get_value("Employee", doc.party, ["prefered_email", "company_email", "user_id"])
		return next((value for value in found or () if value), None)
	if doc.party_type == "Sales Person":
		employee = frappe.db.get_value("Sales Person", doc.party, "employee")
		return frappe.db.get_value("Employee", employee, "user_id") if employee else None
	return frappe.db.get_value(doc.party_type, doc.party, "email_id") or contact_email(
		doc.party_type, doc.party
	)


def contact_email(link_doctype: str, link_name: str) -> str | None:
	"""The e-mail of the party's contacts, the primary one first (ERPNext keeps `email_id` only for it)."""
	contact, link = frappe.qb.DocType("Contact"), frappe.qb.DocType("Dynamic Link")
	found = (
		frappe.qb.from_(contact)
		.join(link)
		.on((link.parent == contact.name) & (link.parenttype == "Contact"))
		.select(contact.email_id)
		.where((link.link_doctype == link_doctype) & (link.link_name == link_name))
		.where(contact.email_id.isnotnull() & (contact.email_id != ""))
		.orderby(contact.is_primary_contact, order=frappe.qb.desc)
		.orderby(contact.creation)
		.limit(1)
	).run(pluck=True)
	return found[0] if found else None


def apply_rule(doc, rule, lock: bool) -> None:
	"""Amount, band and occurrence by the rule; at approval counted under a lock on the rule, so two
	approvals of the same party at the same moment cannot both be the first."""
	nth = occurrence(earlier_dates(doc, lock), getdate(doc.penalty_date or nowdate()), cint(rule.period_days))
	pick = flt(doc.pick) if doc.pick not in (None, "") else None
	try:
		found = compute(
			terms_of(rule),
			base=flt(doc.base_amount) if doc.base_amount not in (None, "") else None,
			units=flt(doc.units) if doc.units not in (None, "") else 1,
			nth=nth,
			pick=pick,
		)
	except PenaltyRuleError:
		if rule.kind in ("Percentage Band", "Amount Band") and pick is not None:
			low, high = (
				(flt(rule.percent_low), flt(rule.percent_high))
				if rule.kind == "Percentage Band"
				else (flt(rule.min_amount), flt(rule.amount))
			)
			message = _("{0}: choose between {1} and {2}.").format(
				_("Chosen Percentage or Amount"), low, high
			)
		else:
			message = _("{0}: this rule takes its penalty on a base amount; enter it.").format(
				_("Base Amount")
			)
		frappe.throw(message, PenaltyError)
	doc.amount, doc.band_low, doc.band_high = found.amount, found.low, found.high
	doc.occurrence, doc.capped = found.occurrence, int(found.capped)
	limit = flt(frappe.db.get_single_value("Complaint Settings", "penalty_approval_limit"))
	doc.approver_party = approver(found.amount, limit, MARKETING_DIRECTOR, GENERAL_MANAGER)


def earlier_dates(doc, lock: bool) -> list:
	"""Dates of the party's counted penalties under the rule.

	At approval the rule's row is locked first, so approvals under one rule take turns; the occurrences
	are then read with a locking read, which sees what an approval that went before committed. They live
	in their own table so that this read never touches another approval's penalty row (which that
	approval holds), which would deadlock.
	"""
	if lock:
		frappe.db.sql(f"select name from `tab{RULE}` where name = %s for update", doc.rule)
	rows = frappe.db.sql(
		f"""select penalty_date from `tab{OCCURRENCE}`
		where rule = %(rule)s and party_type = %(party_type)s and party = %(party)s and penalty != %(name)s
		{"for update" if lock else ""}""",
		{"rule": doc.rule, "party_type": doc.party_type, "party": doc.party, "name": doc.name or ""},
	)
	return [getdate(row[0]) for row in rows]


def count_occurrence(doc) -> None:
	"""on_update: an approved penalty counts from now on for its party under its rule (once)."""
	if doc.status != APPROVED or frappe.db.exists(OCCURRENCE, {"penalty": doc.name}):
		return
	frappe.get_doc(
		{
			"doctype": OCCURRENCE,
			"rule": doc.rule,
			"party_type": doc.party_type,
			"party": doc.party,
			"penalty": doc.name,
			"penalty_date": doc.penalty_date,
		}
	).insert(ignore_permissions=True)


def uncount_occurrence(doc) -> None:
	"""A cancelled penalty no longer counts."""
	frappe.db.delete(OCCURRENCE, {"penalty": doc.name})
