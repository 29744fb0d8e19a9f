"""Tier 2: the demo data set is real, linked ERPNext data, and `make` can run again."""

import frappe
from frappe.tests.utils import FrappeTestCase

from complaint_handling.setup import demo


class TestDemo(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.result = demo.make(size=1)

	def test_two_territories_with_region_managers(self):
		for territory in demo.TERRITORIES:
			sales_person = frappe.db.get_value("Territory", territory.name, "territory_manager")
			employee = frappe.db.get_value("Sales Person", sales_person, "employee")
			user = frappe.db.get_value("Employee", employee, "user_id")
			self.assertEqual(user, territory.manager_email)
			self.assertIn("Region Manager", frappe.get_roles(user))

	def test_customers_in_each_territory(self):
		for territory in demo.TERRITORIES:
			count = frappe.db.count(
				"Customer", {"territory": territory.name, "customer_name": ("like", "Demo Customer%")}
			)
			self.assertGreaterEqual(count, demo.CUSTOMERS_PER_TERRITORY)

	def test_serialised_and_batch_items(self):
		self.assertEqual(frappe.db.get_value("Item", demo.SERIAL_ITEM, "has_serial_no"), 1)
		self.assertEqual(frappe.db.get_value("Item", demo.BATCH_ITEM, "has_batch_no"), 1)

	def test_each_customer_has_a_submitted_delivery_with_serial_and_batch(self):
		customers = frappe.get_all("Customer", {"customer_name": ("like", "Demo Customer%")}, pluck="name")
		self.assertGreaterEqual(len(customers), 2 * demo.CUSTOMERS_PER_TERRITORY)
		for customer in customers:
			note = frappe.get_last_doc("Delivery Note", {"customer": customer, "docstatus": 1})
			serial_row = next(i for i in note.items if i.item_code == demo.SERIAL_ITEM)
			batch_row = next(i for i in note.items if i.item_code == demo.BATCH_ITEM)
			self.assertTrue(serial_row.serial_and_batch_bundle)
			self.assertTrue(batch_row.serial_and_batch_bundle)
			serial_no = frappe.db.get_value(
				"Serial and Batch Entry", {"parent": serial_row.serial_and_batch_bundle}, "serial_no"
			)
			self.assertEqual(frappe.db.get_value("Serial No", serial_no, "status"), "Delivered")
			batch_no = frappe.db.get_value(
				"Serial and Batch Entry", {"parent": batch_row.serial_and_batch_bundle}, "batch_no"
			)
			self.assertEqual(frappe.db.get_value("Batch", batch_no, "item"), demo.BATCH_ITEM)

	def test_complaints_of_every_category_and_channel(self):
		complaints = frappe.get_all(
			"Customer Complaint",
			filters={"subject": ("in", [c[2] for c in demo.DEMO_COMPLAINTS])},
			fields=["channel", "handling_path", "customer", "serial_no", "delivery_note"],
		)
		self.assertEqual(
			{c.channel for c in complaints}, {"Phone", "Fax", "Verbal", "E-mail", "Portal", "API", "Walk-in"}
		)
		self.assertEqual(
			{c.handling_path for c in complaints},
			{"Policy / Customer Service", "Staff Conduct", "Product Quality"},
		)
		for c in complaints:
			if c.serial_no:
				self.assertTrue(c.delivery_note, "serial numbers are traced to their delivery")

	def test_users_for_every_role(self):
		for login, role in demo.STAFF:
			self.assertIn(role, frappe.get_roles(f"{login}@{demo.EMAIL_DOMAIN}"))

	def test_make_again_adds_nothing(self):
		doctypes = ("Customer", "Delivery Note", "Stock Entry", "Employee", "User", "Customer Complaint")
		counts = {dt: frappe.db.count(dt) for dt in doctypes}
		result = demo.make(size=1)
		self.assertEqual(result["new_deliveries"], 0)
		self.assertEqual(result["complaints"], 0)
		self.assertEqual({dt: frappe.db.count(dt) for dt in counts}, counts)

	def test_size_must_be_positive(self):
		with self.assertRaises(frappe.ValidationError):
			demo.make(size=0)
