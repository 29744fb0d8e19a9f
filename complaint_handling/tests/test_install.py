"""Tier 2: what installing the app gives a site, and that running the install steps again changes nothing."""

import json
from pathlib import Path

import frappe
from frappe.tests.utils import FrappeTestCase

from complaint_handling.setup.install import after_migrate, on_company_created, setup_defaults
from complaint_handling.tests.factories import make_company

APP_ROLES = json.loads((Path(__file__).parent.parent / "fixtures" / "role.json").read_text())


class TestInstall(FrappeTestCase):
	def test_app_is_installed_with_erpnext(self):
		apps = frappe.get_installed_apps()
		self.assertIn("erpnext", apps)
		self.assertIn("complaint_handling", apps)
		self.assertLess(apps.index("erpnext"), apps.index("complaint_handling"))

	def test_roles_exist_with_desk_access(self):
		names = [r["name"] for r in APP_ROLES] + ["Quality Manager"]
		self.assertEqual(len(names), 7)
		for role in names:
			self.assertEqual(frappe.db.get_value("Role", role, "desk_access"), 1, role)
		for expected in ("Complaint Clerk", "Complaint Coordinator", "Region Manager", "Marketing Director"):
			self.assertIn(expected, names)

	def test_module_is_registered(self):
		self.assertEqual(
			frappe.db.get_value("Module Def", "Complaint Handling", "app_name"), "complaint_handling"
		)

	def test_setup_defaults_is_idempotent(self):
		setup_defaults()
		first = frappe.get_single("Complaint Settings")
		modified = first.modified
		setup_defaults()
		after_migrate()
		second = frappe.get_single("Complaint Settings")
		self.assertEqual(second.qa_hold_warehouse, first.qa_hold_warehouse)
		self.assertEqual(second.modified, modified, "a second run must not write the settings again")
		self.assertEqual(
			frappe.db.count("Warehouse", {"company": first.company, "warehouse_name": "QA Hold"}), 1
		)

	def test_first_company_after_install_completes_the_settings(self):
		"""On a site installed before its setup wizard ran, the first company finishes the job."""
		frappe.db.set_single_value("Complaint Settings", {"company": None, "qa_hold_warehouse": None})
		company = make_company("Complaint Test Later Co", "CTLC")
		on_company_created(frappe.get_doc("Company", company))
		settings = frappe.get_single("Complaint Settings")
		self.assertEqual(settings.company, company)
		self.assertEqual(frappe.db.get_value("Warehouse", settings.qa_hold_warehouse, "company"), company)
		frappe.db.rollback()
		setup_defaults()
