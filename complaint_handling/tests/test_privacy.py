"""Tier 2: who may see a complaint, enforced on the server (docs/procedure.md §12)."""

import frappe
from frappe.tests.utils import FrappeTestCase

from complaint_handling.tests.factories import (
	demo_delivery,
	make_complaint,
	make_employee_user,
	make_portal_user,
	make_user,
)


class TestStaffConductPrivacy(FrappeTestCase):
	"""The person complained about can neither open the complaint nor find it in a list or report."""

	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.delivery = demo_delivery(0)
		cls.accused, cls.accused_employee = make_employee_user(
			"accused.clerk@example.com", ["Complaint Clerk"]
		)
		cls.colleague = make_user("colleague.clerk@example.com", ["Complaint Clerk"])
		if not frappe.db.exists("Sales Person", "Accused Salesman"):
			frappe.get_doc(
				{
					"doctype": "Sales Person",
					"sales_person_name": "Accused Salesman",
					"parent_sales_person": frappe.db.get_value("Sales Person", {"is_group": 1}, "name"),
					"employee": cls.accused_employee,
				}
			).insert(ignore_permissions=True)
		frappe.db.commit()

	def tearDown(self):
		frappe.set_user("Administrator")
		frappe.db.rollback()

	def assert_hidden_from_accused(self, complaint):
		self.assertEqual(complaint.complained_user, self.accused)
		frappe.set_user(self.accused)
		self.assertFalse(frappe.has_permission("Customer Complaint", "read", complaint.name))
		self.assertNotIn(complaint.name, frappe.get_list("Customer Complaint", pluck="name"))
		self.assertNotIn(
			complaint.name,
			frappe.get_list("Customer Complaint", filters={"customer": complaint.customer}, pluck="name"),
		)
		with self.assertRaises(frappe.PermissionError):
			frappe.get_doc("Customer Complaint", complaint.name).check_permission("read")
		frappe.set_user(self.colleague)
		self.assertTrue(frappe.has_permission("Customer Complaint", "read", complaint.name))
		self.assertIn(complaint.name, frappe.get_list("Customer Complaint", pluck="name"))

	def test_complaint_about_an_employee(self):
		complaint = make_complaint(
			customer=self.delivery.customer,
			category="Staff Conduct",
			subject="Clerk was rude",
			complained_employee=self.accused_employee,
		)
		self.assert_hidden_from_accused(complaint)

	def test_complaint_about_a_sales_person(self):
		complaint = make_complaint(
			customer=self.delivery.customer,
			category="Staff Conduct",
			subject="Salesman ignored us",
			complained_sales_person="Accused Salesman",
		)
		self.assert_hidden_from_accused(complaint)

	def test_the_accused_cannot_read_it_through_the_report_view(self):
		complaint = make_complaint(
			customer=self.delivery.customer,
			category="Staff Conduct",
			subject="Clerk was rude",
			complained_employee=self.accused_employee,
		)
		frappe.set_user(self.accused)
		from frappe.desk.reportview import execute

		rows = execute("Customer Complaint", fields=["name", "customer"], filters=[], as_list=True)
		self.assertNotIn(complaint.name, [row[0] for row in rows])

	def test_employee_and_sales_person_must_be_one_person(self):
		_other, other_employee = make_employee_user("someone.else@example.com", ["Complaint Clerk"])
		with self.assertRaisesRegex(frappe.ValidationError, "two different people"):
			make_complaint(
				customer=self.delivery.customer,
				category="Staff Conduct",
				complained_employee=other_employee,
				complained_sales_person="Accused Salesman",
			)


class TestPortalIsolation(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.mine, cls.theirs = demo_delivery(0), demo_delivery(3)
		cls.portal = make_portal_user("isolated.buyer@customer.example.com", cls.mine.customer)
		frappe.db.commit()

	def tearDown(self):
		frappe.set_user("Administrator")
		frappe.db.rollback()

	def test_portal_user_sees_only_their_customer(self):
		mine = make_complaint(customer=self.mine.customer, subject="Ours")
		theirs = make_complaint(customer=self.theirs.customer, subject="Theirs")
		frappe.set_user(self.portal)
		visible = frappe.get_list("Customer Complaint", pluck="name")
		self.assertIn(mine.name, visible)
		self.assertNotIn(theirs.name, visible)
		self.assertTrue(frappe.has_permission("Customer Complaint", "read", mine.name))
		self.assertFalse(frappe.has_permission("Customer Complaint", "read", theirs.name))
		self.assertFalse(
			frappe.has_website_permission(frappe.get_doc("Customer Complaint", theirs.name), user=self.portal)
		)

	def test_portal_user_cannot_open_another_customers_attachment(self):
		theirs = make_complaint(customer=self.theirs.customer, subject="Theirs")
		photo = frappe.get_doc(
			{
				"doctype": "File",
				"file_name": "their-photo.txt",
				"content": b"their photo",
				"attached_to_doctype": "Customer Complaint",
				"attached_to_name": theirs.name,
			}
		).insert()
		frappe.set_user(self.portal)
		self.assertFalse(photo.is_downloadable())

	def test_portal_user_cannot_write(self):
		mine = make_complaint(customer=self.mine.customer, subject="Ours")
		frappe.set_user(self.portal)
		doc = frappe.get_doc("Customer Complaint", mine.name)
		doc.status = "Closed"
		with self.assertRaises(frappe.PermissionError):
			doc.save()
