# Copyright (c) 2026, complaint_handling developers
# For license information, please see license.txt

import frappe
from frappe.tests.utils import FrappeTestCase

from complaint_handling.penalties.rules import PenaltyError
from complaint_handling.setup import demo

# No test records: a rule links to no other DocType, and the tests make their own rules.
test_ignore = ["Penalty Rule"]

EAST = demo.TERRITORIES[0].manager_email  # a region manager reads the rules, may not make them


class TestPenaltyRule(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		demo.make(size=1)  # the demo staff

	def tearDown(self):
		frappe.set_user("Administrator")
		frappe.db.rollback()

	def rule(self, **fields):
		return frappe.get_doc(
			{
				"doctype": "Penalty Rule",
				"rule_name": f"Test Rule {frappe.generate_hash(length=8)}",
				"party_type": "Customer",
				"kind": "Fixed",
				"amount": 1000,
				**fields,
			}
		)

	def test_percentage_band_low_end_above_high_end_is_refused(self):
		doc = self.rule(kind="Percentage Band", percent_low=60, percent_high=30)
		with self.assertRaisesRegex(PenaltyError, "Percentage From cannot be above Percentage To"):
			doc.insert()
		self.assertFalse(frappe.db.exists("Penalty Rule", doc.rule_name))

	def test_active_to_before_active_from_is_refused(self):
		with self.assertRaisesRegex(PenaltyError, "Active To cannot be before Active From"):
			self.rule(active_from="2026-06-01", active_to="2026-05-31").insert()

	def test_amount_band_low_end_above_high_end_is_refused(self):
		with self.assertRaisesRegex(PenaltyError, "Lowest Amount cannot be above Amount"):
			self.rule(kind="Amount Band", min_amount=5000, amount=1000).insert()

	def test_region_manager_may_not_create_a_rule(self):
		frappe.set_user(EAST)
		with self.assertRaises(frappe.PermissionError):
			self.rule().insert()
