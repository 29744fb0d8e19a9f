# Copyright (c) 2026, complaint_handling developers
# For license information, please see license.txt

import frappe
from frappe.tests.utils import FrappeTestCase

from complaint_handling.quality.inspections import InspectionError
from complaint_handling.setup import demo
from complaint_handling.tests.factories import demo_delivery, make_complaint

# No test records: the inspection is of a demo complaint about a delivered demo pump.
test_ignore = [
	"Complaint Memo",
	"Customer",
	"Customer Complaint",
	"Delivery Note",
	"DocType",
	"Item",
	"Non Conformance",
	"Quality Inspection",
	"Sales Invoice",
	"User",
	"Workflow State",
]

INSPECTION = "Defect Inspection"
EAST, SOUTH = demo.TERRITORIES[0].manager_email, demo.TERRITORIES[1].manager_email


class TestDefectInspection(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.delivery = demo_delivery(0)  # East Region
		cls.other = demo_delivery(4)  # South Region, another customer

	def setUp(self):
		# Frappe sends a test's notification e-mails at once, and sending commits (Email Queue): muted, they
		# are only queued, and all the test wrote is rolled back in tearDown
		self.addCleanup(setattr, frappe.flags, "mute_emails", frappe.flags.mute_emails)
		frappe.flags.mute_emails = True

	def tearDown(self):
		frappe.set_user("Administrator")
		frappe.db.rollback()

	def inspection(self, category: str = "Product Quality", **fields):
		complaint = make_complaint(
			customer=self.delivery.customer, category=category, serial_no=self.delivery.serial_no
		)
		return frappe.get_doc({"doctype": INSPECTION, "complaint": complaint.name, **fields})

	def test_only_a_product_quality_complaint_is_inspected(self):
		with self.assertRaisesRegex(InspectionError, "only those are inspected on site"):
			self.inspection(category="Policy / Customer Service").insert()

	def test_goods_and_inspector_come_from_the_complaint(self):
		doc = self.inspection(customer=self.other.customer, serial_no=self.other.serial_no).insert()
		self.assertEqual((doc.customer, doc.serial_no), (self.delivery.customer, self.delivery.serial_no))
		self.assertEqual((doc.item, doc.inspector), (demo.SERIAL_ITEM, EAST))

	def test_no_determination_without_a_photo(self):
		doc = self.inspection(determination="Obvious Quality Defect", findings="Cracked housing.")
		with self.assertRaisesRegex(
			InspectionError, "add at least one photo before setting the determination"
		):
			doc.insert()

	def test_the_inspection_is_seen_by_who_sees_its_complaint(self):
		doc = self.inspection().insert()
		self.assertTrue(frappe.has_permission(INSPECTION, "read", doc=doc, user=EAST))
		self.assertFalse(frappe.has_permission(INSPECTION, "read", doc=doc, user=SOUTH))
