"""Penalties (docs/procedure.md §11): the shell around domain/penalties.py — rules as data (Penalty Rule),
fines proposed from complaints (Complaint Penalty), approved within the approval limit, counted race-safe,
posted to the party's account as a Journal Entry — an employee's, with HRMS and a penalty Salary Component
set, as an Additional Salary deducted from the next pay — and reversed by cancelling.
"""

import frappe
from frappe import _
from frappe.utils import cint, flt, getdate, now_datetime, nowdate

from complaint_handling.domain.penalties import PenaltyRuleError, PenaltyTerms, approver, compute, occurrence

PENALTY = "Complaint Penalty"
RULE = "Penalty Rule"
OCCURRENCE = "Complaint Penalty Occurrence"
PROPOSED, APPROVED, POSTED, WAIVED, CANCELLED = "Proposed", "Approved", "Posted", "Waived", "Cancelled"
MARKETING_DIRECTOR, GENERAL_MANAGER = "Marketing Director", "General Manager"
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
NEGLIGENCE_RULE = "Region Manager Negligence"


class PenaltyError(frappe.ValidationError):
	"""The penalty cannot stand as entered (a rule not in force, a party of another kind, a pick outside)."""


class PenaltyApprovalError(frappe.PermissionError):
	"""Above the approval limit only the general manager approves."""


class FrozenPenaltyError(frappe.PermissionError):
	"""What was approved is not rewritten."""


# --- rules ---------------------------------------------------------------------------------------------


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


# --- a penalty -----------------------------------------------------------------------------------------


def check(doc) -> None:
	"""Validate of Complaint Penalty."""
	from complaint_handling import guard, intake

	intake.check_input(doc)
	before = doc.get_doc_before_save()
	guard.follow_workflow_state(doc)
	if doc.docstatus != 0 and not (
		before is not None and before.status == APPROVED and doc.status == POSTED and doc.docstatus == 1
	):
		if doc.docstatus == 1 or before is None:
			frappe.throw(
				_("A penalty is proposed as a draft and posted only by its workflow, once approved."),
				guard.DocstatusError,
			)
	if before is not None and before.status != PROPOSED:
		for field in FROZEN:
			if guard.comparable(doc, field) != guard.comparable(before, field):
				frappe.throw(
					_("{0} cannot be changed once the penalty is approved or waived.").format(
						_(doc.meta.get_label(field))
					),
					FrozenPenaltyError,
				)
	for field in SERVER_SET:  # the server's; recomputed below while it may change
		doc.set(field, before.get(field) if before is not None else None)
	rule = rule_in_force(doc)
	doc.party_type = rule.party_type
	doc.terminates_cooperation = rule.terminates_cooperation
	doc.party_name = party_name(doc)
	doc.party_email = party_email(doc)
	approving = before is not None and before.status == PROPOSED and doc.status == APPROVED
	if doc.status == PROPOSED or approving:
		reckon(doc, rule, lock=approving)
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


def reckon(doc, rule, lock: bool) -> None:
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


# --- posting -------------------------------------------------------------------------------------------


def post(doc) -> None:
	"""on_submit (the workflow's Post): a Journal Entry charging the party, credited to penalty income."""
	settings = frappe.get_cached_doc("Complaint Settings")
	if not settings.penalty_income_account:
		frappe.throw(
			_("Set {0} in {1} first.").format(_("Penalty Income Account"), _("Complaint Settings")),
			PenaltyError,
		)
	company = frappe.db.get_value("Account", settings.penalty_income_account, "company")
	party_type, party = posting_party(doc)
	if party_type == "Employee" and deducts_from_pay(settings):
		doc.db_set(
			"additional_salary", deduct_from_pay(doc, party, company, settings.penalty_salary_component)
		)
		return
	account = posting_account(doc, settings, party_type, party, company)
	cost_center = frappe.get_cached_value("Company", company, "cost_center")
	entry = frappe.get_doc(
		{
			"doctype": "Journal Entry",
			"voucher_type": "Journal Entry",
			"company": company,
			"posting_date": nowdate(),
			"user_remark": _("Penalty {0} ({1}): {2}").format(doc.name, doc.rule, doc.reason or ""),
			"accounts": [
				{
					"account": account,
					"party_type": party_type,
					"party": party,
					"debit_in_account_currency": flt(doc.amount),
					"cost_center": cost_center,
				},
				{
					"account": settings.penalty_income_account,
					"credit_in_account_currency": flt(doc.amount),
					"cost_center": cost_center,
				},
			],
		}
	)
	entry.flags.ignore_permissions = True
	entry.insert()
	entry.submit()
	doc.db_set("journal_entry", entry.name)


def deducts_from_pay(settings) -> bool:
	"""An employee's penalty goes through payroll when HRMS is installed and a component is named."""
	return bool(settings.penalty_salary_component) and "hrms" in frappe.get_installed_apps()


def deduct_from_pay(doc, employee: str, company: str, component: str) -> str:
	"""HRMS: an Additional Salary deducting the penalty from the employee's next pay, linked to the penalty."""
	if frappe.db.get_value("Salary Component", component, "type") != "Deduction":
		frappe.throw(
			_("{0}: {1} must be a Salary Component of type Deduction.").format(
				_("Penalty Salary Component"), component
			),
			PenaltyError,
		)
	salary = frappe.get_doc(
		{
			"doctype": "Additional Salary",
			"employee": employee,
			"company": company,
			"salary_component": component,
			"amount": flt(doc.amount),
			"payroll_date": nowdate(),
			"currency": frappe.get_cached_value("Company", company, "default_currency"),
			"overwrite_salary_structure_amount": 0,
			"ref_doctype": PENALTY,
			"ref_docname": doc.name,
		}
	)
	salary.flags.ignore_permissions = True
	salary.insert()
	salary.submit()
	return salary.name


def posting_account(doc, settings, party_type: str, party: str, company: str) -> str:
	"""The party's receivable or payable — or, for a rule that deducts from the deposit, the deposit account
	(dealer agreements: unpaid penalties are deducted from the deposit and payables)."""
	from erpnext.accounts.party import get_party_account

	if not frappe.db.get_value(RULE, doc.rule, "deduct_from_deposit"):
		return get_party_account(party_type, party, company)
	deposit = settings.penalty_deposit_account
	if not deposit or frappe.db.get_value("Account", deposit, "company") != company:
		frappe.throw(
			_("{0}: rule {1} deducts from the deposit; set {2} in {3} first.").format(
				doc.name, doc.rule, _("Penalty Deposit Account"), _("Complaint Settings")
			),
			PenaltyError,
		)
	return deposit


def posting_party(doc) -> tuple[str, str]:
	"""The accounting party: a sales person is charged through his employee record."""
	if doc.party_type != "Sales Person":
		return doc.party_type, doc.party
	employee = frappe.db.get_value("Sales Person", doc.party, "employee")
	if not employee:
		frappe.throw(
			_("{0} {1} has no Employee to charge; link one or post the penalty by hand.").format(
				_("Sales Person"), doc.party
			),
			PenaltyError,
		)
	return "Employee", employee


def reverse(doc) -> None:
	"""on_cancel: the Journal Entry is cancelled, which reverses it in the ledger; the penalty stops counting."""
	uncount_occurrence(doc)
	if (
		doc.get("additional_salary")
		and frappe.db.get_value("Additional Salary", doc.additional_salary, "docstatus") == 1
	):
		salary = frappe.get_doc("Additional Salary", doc.additional_salary)
		salary.flags.ignore_permissions = True
		salary.flags.ignore_links = True
		salary.cancel()
	if doc.journal_entry and frappe.db.get_value("Journal Entry", doc.journal_entry, "docstatus") == 1:
		entry = frappe.get_doc("Journal Entry", doc.journal_entry)
		entry.flags.ignore_permissions = True
		entry.flags.ignore_links = True
		entry.cancel()


# --- the automatic proposal (docs/procedure.md §6: the region manager's negligence) ----------------------


def negligence_rule():
	"""The Penalty Rule for a negligent region manager (Complaint Settings › Negligence Penalty Rule): the one
	home of the 30-60 % band, shown on the inspection and used for the proposal."""
	name = frappe.db.get_single_value("Complaint Settings", "negligence_penalty_rule") or NEGLIGENCE_RULE
	return frappe.get_cached_doc(RULE, name) if frappe.db.exists(RULE, name) else None


def negligence_base(inspection) -> float:
	"""The freight the company actually paid: the legs recorded whose payer is the company."""
	from complaint_handling.domain.quality_path import negligence_base as base

	legs = [(row.leg, flt(row.amount)) for row in inspection.freight]
	payers = {row.leg: row.paid_by for row in inspection.freight}
	return base(legs, payers)


def negligent_party(rule, user: str) -> str | None:
	"""The region manager as the rule's party: his active Employee, or the Sales Person linked to it."""
	employee = frappe.db.get_value("Employee", {"user_id": user, "status": "Active"}, "name")
	if not employee or rule.party_type == "Employee":
		return employee
	if rule.party_type == "Sales Person":
		return frappe.db.get_value("Sales Person", {"employee": employee, "enabled": 1}, "name")
	return None


def propose_negligence(inspection) -> str | None:
	"""When QA finds a returned case the region manager could have determined on site, propose his share of
	the freight the company actually paid, once per inspection. Without a party to charge, QA is told and the
	penalty approvers are asked to propose it by hand."""
	if not inspection.could_have_determined:
		return None
	rule = negligence_rule()
	if rule is None:
		return None
	if frappe.db.exists(PENALTY, {"inspection": inspection.name, "rule": rule.name, "docstatus": ["<", 2]}):
		return None
	freight = negligence_base(inspection)
	party = negligent_party(rule, inspection.inspector)
	if not party:
		no_party(inspection, rule, freight)
		return None
	penalty = frappe.get_doc(
		{
			"doctype": PENALTY,
			"rule": rule.name,
			"party": party,
			"complaint": inspection.complaint,
			"inspection": inspection.name,
			"base_amount": freight,
			"reason": _(
				"Inspection {0}: QA found the goods determinable on site; freight the company paid {1}."
			).format(inspection.name, freight),
		}
	)
	penalty.insert(ignore_permissions=True)
	return penalty.name


def no_party(inspection, rule, freight: float) -> None:
	from frappe.desk.doctype.notification_log.notification_log import make_notification_logs

	from complaint_handling.integrations.erpnext.people import users_with_role

	message = _(
		"Inspection {0}: the region manager's negligence penalty was not proposed: inspector {1} has no active"
		" {2} for rule {3}. Link one, or propose it by hand on a base of {4}."
	).format(inspection.name, inspection.inspector, _(rule.party_type), rule.name, freight)
	inspection.add_comment("Info", message)
	frappe.msgprint(message, title=_("Penalty not proposed"), indicator="orange")
	make_notification_logs(
		{
			"type": "Alert",
			"document_type": "Defect Inspection",
			"document_name": inspection.name,
			"subject": message,
			"from_user": "Administrator",
		},
		users_with_role(MARKETING_DIRECTOR, limit=20),
	)


def refresh_negligence(inspection) -> None:
	"""A freight leg the company paid recorded after QA's proposal: a penalty still proposed takes the new base;
	one already approved is not reopened (the inspection says so)."""
	rule = negligence_rule()
	if rule is None or not inspection.could_have_determined:
		return
	found = frappe.db.get_value(
		PENALTY,
		{"inspection": inspection.name, "rule": rule.name, "docstatus": ["<", 2]},
		["name", "status", "base_amount"],
		as_dict=True,
	)
	freight = negligence_base(inspection)
	if not found or flt(found.base_amount) == freight:
		return
	if found.status == PROPOSED:
		penalty = frappe.get_doc(PENALTY, found.name)
		penalty.base_amount = freight
		if not flt(penalty.pick):
			penalty.pick = None  # not picked yet (a number field reads back 0)
		penalty.flags.ignore_permissions = True
		penalty.save()
	else:
		inspection.add_comment(
			"Info",
			_("Freight the company paid is now {0}; penalty {1}, approved on a base of {2}, stands.").format(
				freight, found.name, found.base_amount
			),
		)
