"""Tier 2, on a site with HRMS (scripts/test makes one when the bench has the hrms app): an employee's
penalty, posted by accounts with the workflow's button, becomes an Additional Salary of the penalty's Salary
Component — the deduction appears on the employee's next Salary Slip — and cancelling the penalty cancels it.
Without HRMS on the site the test is skipped (the Journal Entry path is tested in test_complaint_penalty)."""

import json
import unittest

import frappe
from frappe.model.workflow import apply_workflow
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_months, get_first_day, getdate, nowdate
from frappe.utils.password import update_password

from complaint_handling.tests.factories import make_user
from complaint_handling.tests.test_desk_buttons import HttpUser

COMPONENT = "Complaint Penalty"
STRUCTURE = "Complaint Penalty Test Structure"
ACCOUNTS = "payroll.accounts@example.com"


def hrms_missing() -> str | None:
	if "hrms" not in frappe.get_installed_apps():
		return "HRMS is not installed on this site"
	return None


@unittest.skipIf(hrms_missing(), hrms_missing() or "")
class TestPenaltyThroughPayroll(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.company = frappe.db.get_single_value(
			"Complaint Settings", "company"
		) or frappe.defaults.get_global_default("company")
		cls.employee = cls.make_employee()
		for name, kind, abbr in ((COMPONENT, "Deduction", "CPN"), ("Complaint Test Basic", "Earning", "CTB")):
			if not frappe.db.exists("Salary Component", name):
				frappe.get_doc(
					{
						"doctype": "Salary Component",
						"salary_component": name,
						"salary_component_abbr": abbr,
						"type": kind,
					}
				).insert(ignore_permissions=True)
		if not frappe.db.exists("Salary Structure", STRUCTURE):
			structure = frappe.get_doc(
				{
					"doctype": "Salary Structure",
					"name": STRUCTURE,
					"company": cls.company,
					"payroll_frequency": "Monthly",
					"currency": frappe.get_cached_value("Company", cls.company, "default_currency"),
					"earnings": [{"salary_component": "Complaint Test Basic", "amount": 10000}],
				}
			).insert(ignore_permissions=True)
			structure.submit()
		if not frappe.db.exists("Salary Structure Assignment", {"employee": cls.employee, "docstatus": 1}):
			assignment = frappe.get_doc(
				{
					"doctype": "Salary Structure Assignment",
					"employee": cls.employee,
					"salary_structure": STRUCTURE,
					"company": cls.company,
					"from_date": add_months(get_first_day(nowdate()), -1),
					"base": 10000,
					"currency": frappe.get_cached_value("Company", cls.company, "default_currency"),
				}
			).insert(ignore_permissions=True)
			assignment.submit()
		make_user(ACCOUNTS, ["Accounts User"])
		update_password(ACCOUNTS, "Payroll#2026")
		frappe.db.set_single_value("Complaint Settings", "penalty_salary_component", COMPONENT)
		frappe.db.commit()
		cls.accounts = HttpUser(ACCOUNTS, "Payroll#2026")

	@classmethod
	def tearDownClass(cls):
		frappe.db.set_single_value("Complaint Settings", "penalty_salary_component", None)
		frappe.db.commit()
		super().tearDownClass()

	@classmethod
	def make_employee(cls) -> str:
		year = getdate(nowdate()).year
		holidays = "Complaint Payroll Test"
		if not frappe.db.exists("Holiday List", holidays):  # payroll counts working days against one
			frappe.get_doc(
				{
					"doctype": "Holiday List",
					"holiday_list_name": holidays,
					"from_date": f"{year - 1}-01-01",
					"to_date": f"{year + 1}-12-31",
				}
			).insert(ignore_permissions=True)
		name = frappe.db.get_value("Employee", {"first_name": "Payroll Test Manager"})
		if name:
			frappe.db.set_value("Employee", name, "holiday_list", holidays)
			return name
		return (
			frappe.get_doc(
				{
					"doctype": "Employee",
					"first_name": "Payroll Test Manager",
					"company": cls.company,
					"gender": frappe.db.get_value("Gender", {}, "name") or "Male",
					"date_of_birth": "1985-05-05",
					"date_of_joining": "2020-01-01",
					"status": "Active",
					"holiday_list": holidays,
				}
			)
			.insert(ignore_permissions=True)
			.name
		)

	def test_an_employees_penalty_is_deducted_from_pay_and_cancelling_reverses_it(self):
		penalty = frappe.get_doc(
			{
				"doctype": "Complaint Penalty",
				"rule": "Region Manager Negligence",
				"party": self.employee,
				"base_amount": 1000,
				"pick": 50,
				"reason": "Goods sent back that could have been judged on site",
			}
		).insert(ignore_permissions=True)
		self.assertEqual(penalty.amount, 500)
		apply_workflow(penalty, "Approve")
		frappe.db.commit()
		penalty = frappe.get_doc("Complaint Penalty", penalty.name)
		# accounts posts it, with the workflow's button as the desk sends it
		posted = self.accounts.post(
			"/api/method/frappe.model.workflow.apply_workflow",
			{"doc": json.dumps(penalty.as_dict(), default=str), "action": "Post"},
		)
		self.assertEqual(posted.status_code, 200, posted.get_data(as_text=True)[:800])
		frappe.db.commit()
		penalty = frappe.get_doc("Complaint Penalty", penalty.name)
		self.assertEqual((penalty.docstatus, penalty.journal_entry), (1, None))
		salary = frappe.get_doc("Additional Salary", penalty.additional_salary)
		self.assertEqual(
			(salary.docstatus, salary.employee, salary.salary_component, salary.amount, salary.ref_docname),
			(1, self.employee, COMPONENT, 500, penalty.name),
		)
		# the employee's next salary slip carries the deduction
		from hrms.payroll.doctype.salary_structure.salary_structure import make_salary_slip

		slip = make_salary_slip(STRUCTURE, employee=self.employee, posting_date=nowdate())
		self.assertIn((COMPONENT, 500), [(d.salary_component, d.amount) for d in slip.deductions])
		# cancelling the penalty cancels the deduction
		penalty.flags.ignore_permissions = True
		penalty.cancel()
		frappe.db.commit()
		self.assertEqual(frappe.db.get_value("Additional Salary", salary.name, "docstatus"), 2)
