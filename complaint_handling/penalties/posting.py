"""Posting a penalty (docs/procedure.md §11): to the party's account as a Journal Entry — an employee's, with
HRMS and a penalty Salary Component set, as an Additional Salary deducted from the next pay — and reversed
by cancelling.
"""

import frappe
from frappe import _
from frappe.utils import flt, nowdate

from complaint_handling.integrations.erpnext.companies import company_policy
from complaint_handling.penalties.fines import uncount_occurrence
from complaint_handling.penalties.rules import PENALTY, RULE, PenaltyError


def post(doc) -> None:
	"""on_submit (the workflow's Post): a Journal Entry charging the party, credited to penalty income."""
	settings = frappe.get_cached_doc("Complaint Settings")
	policy = company_policy(doc.get("company"))  # the penalty's company: its complaint's (issue 27)
	if not policy.penalty_income_account:
		frappe.throw(
			_("{0}: set it for company {1} in {2} first.").format(
				_("Penalty Income Account"), policy.company, _("Complaint Settings")
			),
			PenaltyError,
		)
	company = frappe.db.get_value("Account", policy.penalty_income_account, "company")
	party_type, party = posting_party(doc)
	if party_type == "Employee" and deducts_from_pay(settings):
		doc.db_set(
			"additional_salary", deduct_from_pay(doc, party, company, settings.penalty_salary_component)
		)
		return
	account = posting_account(doc, policy, party_type, party, company)
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
					"account": policy.penalty_income_account,
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


def posting_account(doc, policy, party_type: str, party: str, company: str) -> str:
	"""The party's receivable or payable — or, for a rule that deducts from the deposit, the deposit account
	(dealer agreements: unpaid penalties are deducted from the deposit and payables)."""
	from erpnext.accounts.party import get_party_account

	if not frappe.db.get_value(RULE, doc.rule, "deduct_from_deposit"):
		return get_party_account(party_type, party, company)
	deposit = policy.penalty_deposit_account
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
