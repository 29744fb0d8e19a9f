# Copyright (c) 2026, complaint_handling developers
# For license information, please see license.txt

import frappe
from frappe.tests.utils import FrappeTestCase

from complaint_handling.setup.install import setup_defaults
from complaint_handling.tests.factories import make_company

# The tests use the site's own company, not ERPNext's _Test records.
test_ignore = ["Company", "Warehouse"]


class TestComplaintSettings(FrappeTestCase):
	def setUp(self):
		setup_defaults()
		self.settings = frappe.get_single("Complaint Settings")

	def test_points_at_the_default_company_and_its_qa_hold_warehouse(self):
		company = frappe.defaults.get_global_default("company")
		self.assertEqual(self.settings.company, company)
		warehouse = frappe.get_doc("Warehouse", self.settings.qa_hold_warehouse)
		self.assertEqual(warehouse.company, company)
		self.assertFalse(warehouse.is_group)
		self.assertEqual(warehouse.warehouse_name, "QA Hold")

	def test_warehouse_of_another_company_is_refused_and_nothing_saved(self):
		other = make_company("Complaint Test Other Co", "CTOC")
		foreign = frappe.db.get_value("Warehouse", {"company": other, "is_group": 0}, "name")
		before = self.settings.qa_hold_warehouse
		self.settings.qa_hold_warehouse = foreign
		with self.assertRaisesRegex(frappe.ValidationError, "QA Hold Warehouse.*belongs to company"):
			self.settings.save()
		self.assertEqual(frappe.db.get_single_value("Complaint Settings", "qa_hold_warehouse"), before)

	def test_group_warehouse_is_refused(self):
		group = frappe.db.get_value("Warehouse", {"company": self.settings.company, "is_group": 1}, "name")
		self.settings.qa_hold_warehouse = group
		with self.assertRaisesRegex(frappe.ValidationError, "QA Hold Warehouse.*group warehouse"):
			self.settings.save()

	def test_warehouse_without_company_is_refused(self):
		self.settings.company = None
		with self.assertRaisesRegex(frappe.ValidationError, "Set Company before"):
			self.settings.save()

	def test_changing_company_creates_that_company_qa_hold(self):
		other = make_company("Complaint Test Other Co", "CTOC")
		self.settings.company = other
		self.settings.qa_hold_warehouse = None
		self.settings.save()
		self.assertEqual(frappe.db.get_value("Warehouse", self.settings.qa_hold_warehouse, "company"), other)
		frappe.db.rollback()
