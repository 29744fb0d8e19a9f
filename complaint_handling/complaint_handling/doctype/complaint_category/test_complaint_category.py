# Copyright (c) 2026, complaint_handling developers
# For license information, please see license.txt

import frappe
from frappe.tests.utils import FrappeTestCase

from complaint_handling.setup import demo

# No test records: its only link is to a parent category, and the tests make their own.
test_ignore = ["Complaint Category"]

CLERK = f"clerk@{demo.EMAIL_DOMAIN}"  # reads categories, may not make them


class TestComplaintCategory(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		demo.make(size=1)  # the demo staff

	def tearDown(self):
		frappe.set_user("Administrator")
		frappe.db.rollback()

	def category(self, **fields):
		return frappe.get_doc(
			{
				"doctype": "Complaint Category",
				"category_name": f"Test {frappe.generate_hash(length=8)}",
				**fields,
			}
		)

	def test_top_level_category_needs_a_handling_path(self):
		doc = self.category()
		with self.assertRaisesRegex(frappe.ValidationError, "handling path of a top-level category"):
			doc.insert()
		self.assertFalse(frappe.db.exists("Complaint Category", doc.category_name))

	def test_sub_category_takes_its_parent_handling_path(self):
		doc = self.category(parent_category="Staff Conduct").insert()
		self.assertEqual(doc.handling_path, "Staff Conduct")

	def test_category_cannot_be_its_own_parent(self):
		doc = self.category(handling_path="Product Quality").insert()
		doc.parent_category = doc.name
		with self.assertRaisesRegex(frappe.ValidationError, "cannot be its own parent"):
			doc.save()

	def test_clerk_may_not_create_a_category(self):
		frappe.set_user(CLERK)
		with self.assertRaises(frappe.PermissionError):
			self.category(handling_path="Product Quality").insert()
