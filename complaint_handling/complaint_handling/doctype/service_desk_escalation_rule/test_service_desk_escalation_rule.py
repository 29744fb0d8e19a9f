# Copyright (c) 2026, complaint_handling developers
# For license information, please see license.txt

import frappe
from frappe.tests.utils import FrappeTestCase

from complaint_handling.setup import demo

# No test records: ERPNext's Issue Type and Issue Priority records are not needed (the rules below match on
# words of the subject), the categories are the site's own.
test_ignore = ["Complaint Category", "Issue Priority", "Issue Type"]

RULE = "Service Desk Escalation Rule"
CLERK, COORDINATOR = f"clerk@{demo.EMAIL_DOMAIN}", f"coordinator@{demo.EMAIL_DOMAIN}"


class TestServiceDeskEscalationRule(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		demo.make(size=1)  # the demo staff

	def tearDown(self):
		frappe.set_user("Administrator")
		frappe.db.rollback()

	def rule(self, **fields):
		return frappe.get_doc(
			{"doctype": RULE, "rule_name": f"Test Rule {frappe.generate_hash(length=8)}", **fields}
		)

	def test_a_rule_without_a_condition_is_refused(self):
		doc = self.rule(action="Suggest")
		with self.assertRaisesRegex(frappe.ValidationError, "Fill in at least one condition"):
			doc.insert()
		self.assertFalse(frappe.db.exists(RULE, doc.rule_name))

	def test_an_escalating_rule_names_the_category(self):
		with self.assertRaisesRegex(frappe.ValidationError, "a rule that escalates names the complaint"):
			self.rule(action="Escalate", subject_words="leak").insert()
		doc = self.rule(action="Escalate", subject_words="leak", category="Product Quality").insert()
		self.assertEqual(doc.category, "Product Quality")

	def test_subject_words_are_stored_one_per_line_without_repeats(self):
		doc = self.rule(subject_words="pump leaks,  Noisy   motor\nPUMP LEAKS\n\n").insert()
		self.assertEqual(doc.subject_words, "pump leaks\nNoisy motor")

	def test_only_the_coordinator_writes_the_rules(self):
		frappe.set_user(CLERK)
		with self.assertRaises(frappe.PermissionError):
			self.rule(subject_words="leak").insert()
		frappe.set_user(COORDINATOR)
		self.assertTrue(self.rule(subject_words="leak").insert().name)
