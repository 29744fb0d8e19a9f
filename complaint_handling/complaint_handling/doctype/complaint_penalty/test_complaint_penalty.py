# Copyright (c) 2026, complaint_handling developers
# For license information, please see license.txt

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_days, nowdate

from complaint_handling.access.protection import DocstatusError
from complaint_handling.penalties.rules import PenaltyError
from complaint_handling.setup import demo
from complaint_handling.tests.factories import demo_delivery

# No test records: a penalty of a demo customer under a rule of the test's own.
test_ignore = [
	"Customer Complaint",
	"Defect Inspection",
	"Journal Entry",
	"Penalty Rule",
	"User",
	"Workflow State",
]

PENALTY = "Complaint Penalty"
SOUTH = demo.TERRITORIES[1].manager_email  # a region manager: only penalties of complaints he sees
COORDINATOR = f"coordinator@{demo.EMAIL_DOMAIN}"  # reads every penalty


class TestComplaintPenalty(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.customer = demo_delivery(0).customer

	def tearDown(self):
		frappe.set_user("Administrator")
		frappe.db.rollback()

	def rule(self, **fields) -> str:
		"""A rule of this test's own, so no earlier penalty of the customer counts (rolled back)."""
		return (
			frappe.get_doc(
				{
					"doctype": "Penalty Rule",
					"rule_name": f"Test Rule {frappe.generate_hash(length=8)}",
					"party_type": "Customer",
					"kind": "Escalating",
					"first_amount": 100,
					"later_amount": 500,
					**fields,
				}
			)
			.insert()
			.name
		)

	def penalty(self, rule: str, **fields):
		return frappe.get_doc(
			{
				"doctype": PENALTY,
				"rule": rule,
				"party": self.customer,
				"reason": "Registered without checking the ID card",
				**fields,
			}
		).insert()

	def test_amount_and_approver_come_from_the_rule_not_the_client(self):
		penalty = self.penalty(self.rule(), amount=1, occurrence=7, approver_party="General Manager")
		self.assertEqual(
			(penalty.party_type, penalty.amount, penalty.occurrence, penalty.approver_party),
			("Customer", 100, 1, "Marketing Director"),
		)
		self.assertEqual(penalty.party_name, frappe.db.get_value("Customer", self.customer, "customer_name"))

	def test_a_rule_not_in_force_is_refused(self):
		rule = self.rule(active_from=add_days(nowdate(), -30), active_to=add_days(nowdate(), -1))
		with self.assertRaisesRegex(PenaltyError, "is not in force on"):
			self.penalty(rule)

	def test_a_new_penalty_cannot_be_submitted(self):
		with self.assertRaises(DocstatusError):
			self.penalty(self.rule(), docstatus=1)

	def test_a_penalty_without_a_complaint_is_seen_by_its_readers_only(self):
		penalty = self.penalty(self.rule())
		self.assertTrue(frappe.has_permission(PENALTY, "read", doc=penalty, user=COORDINATOR))
		self.assertFalse(frappe.has_permission(PENALTY, "read", doc=penalty, user=SOUTH))
