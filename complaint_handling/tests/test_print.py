"""Tier 2: the printed forms (附件二 registration form, 内联单 memo) render with the document's content.

PDF output needs the site to be served (wkhtmltopdf fetches the site's assets); the dev site renders it.
"""

import frappe
from frappe.tests.utils import FrappeTestCase

from complaint_handling.tests.factories import demo_delivery, make_complaint


class TestPrintFormats(FrappeTestCase):
	def tearDown(self):
		frappe.db.rollback()

	def test_registration_form_is_the_default_print_and_shows_the_complaint(self):
		self.assertEqual(
			frappe.get_meta("Customer Complaint").default_print_format, "Complaint Registration Form"
		)
		complaint = make_complaint(customer=demo_delivery(0).customer, subject="Printed pump complaint")
		complaint.record_readback("Read back by phone", "Second pump, not first")
		html = frappe.get_print("Customer Complaint", complaint.name, "Complaint Registration Form")
		for expected in (
			"Customer Complaint Registration and Feedback Form",
			complaint.name,
			"Printed pump complaint",
			"Second pump, not first",
		):
			self.assertIn(expected, html)

	def test_memo_form_shows_the_memo(self):
		complaint = make_complaint(customer=demo_delivery(0).customer)
		memo = frappe.get_doc(
			{
				"doctype": "Complaint Memo",
				"complaint": complaint.name,
				"subject": "Printed memo",
				"to_department": frappe.db.get_value("Department", {"is_group": 0}, "name"),
				"description": "Please explain the late truck.",
			}
		).insert()
		self.assertEqual(frappe.get_meta("Complaint Memo").default_print_format, "Complaint Memo Form")
		html = frappe.get_print("Complaint Memo", memo.name, "Complaint Memo Form")
		for expected in (
			"Internal Liaison Memo",
			memo.name,
			"Please explain the late truck.",
			complaint.name,
		):
			self.assertIn(expected, html)

	def test_what_a_customer_typed_is_printed_as_text(self):
		complaint = make_complaint(
			customer=demo_delivery(0).customer,
			subject='Pump <img src=x onerror="alert(1)">',
			complainant_name="<script>alert(2)</script>",
		)
		html = frappe.get_print("Customer Complaint", complaint.name, "Complaint Registration Form")
		self.assertNotIn("<img src", html)  # Frappe strips the handler on save; the form escapes the rest
		self.assertNotIn("onerror", html)
		self.assertNotIn("<script>alert(2)", html)
