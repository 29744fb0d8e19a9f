# Copyright (c) 2026, complaint_handling developers
# For license information, please see license.txt

import frappe
from frappe.model.workflow import apply_workflow
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_days, getdate, now_datetime

from complaint_handling.setup import demo
from complaint_handling.tests.factories import demo_delivery, make_complaint

# Real demo deliveries instead of ERPNext's _Test records.
test_ignore = [
	"Customer",
	"Contact",
	"Territory",
	"User",
	"Department",
	"Item",
	"Serial No",
	"Batch",
	"Sales Order",
	"Delivery Note",
	"Sales Invoice",
	"Employee",
	"Sales Person",
	"Issue",  # the service desk's ticket: made by the tests that need one (its links reach uninstalled apps)
]


class TestCustomerComplaint(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.delivery = demo_delivery(0)  # East Region, customer 1
		cls.other = demo_delivery(4)  # South Region, another customer

	def tearDown(self):
		frappe.set_user("Administrator")
		frappe.db.rollback()

	def count(self) -> int:
		return frappe.db.count("Customer Complaint")

	# Registration ---------------------------------------------------------------------------------

	def test_registration_defaults_and_region_manager_chain(self):
		complaint = make_complaint(customer=self.delivery.customer, subject=frappe.generate_hash(length=12))
		self.assertTrue(complaint.name.startswith(f"CC-{getdate().year}-"))
		self.assertEqual(complaint.status, "Registered")
		self.assertEqual(complaint.territory, "East Region")
		self.assertEqual(complaint.region_manager, "east.manager@demo.example.com")
		self.assertEqual(complaint.handling_path, "Policy / Customer Service")
		self.assertEqual(complaint.confirmation_status, "Unconfirmed")
		self.assertEqual(complaint.is_repeat, 0)

	def test_region_manager_can_be_overridden(self):
		complaint = make_complaint(
			customer=self.delivery.customer, region_manager="south.manager@demo.example.com"
		)
		self.assertEqual(complaint.region_manager, "south.manager@demo.example.com")

	def test_category_is_required(self):
		before = self.count()
		with self.assertRaises(frappe.MandatoryError):
			make_complaint(customer=self.delivery.customer, category=None)
		self.assertEqual(self.count(), before)

	def test_sub_category_follows_parent_path(self):
		sub = frappe.get_doc(
			{
				"doctype": "Complaint Category",
				"category_name": f"Leaking Pump {frappe.generate_hash(length=5)}",  # a reused site may have one
				"parent_category": "Product Quality",
			}
		).insert()
		self.assertEqual(sub.handling_path, "Product Quality")
		complaint = make_complaint(customer=self.delivery.customer, category=sub.name)
		self.assertEqual(complaint.handling_path, "Product Quality")

	# Product-quality intake (docs/procedure.md §2) ----------------------------------------------------------------

	def test_serial_fills_item_batch_delivery_and_shipping_date(self):
		complaint = make_complaint(
			customer=self.delivery.customer, category="Product Quality", serial_no=self.delivery.serial_no
		)
		self.assertEqual(complaint.item, demo.SERIAL_ITEM)
		self.assertEqual(complaint.delivery_note, self.delivery.delivery_note)
		self.assertEqual(
			getdate(complaint.shipping_date),
			getdate(frappe.db.get_value("Delivery Note", self.delivery.delivery_note, "posting_date")),
		)

	def test_serial_delivered_to_another_customer_is_refused(self):
		before = self.count()
		with self.assertRaisesRegex(
			frappe.ValidationError, f"Serial No.*{self.other.serial_no} was delivered to"
		):
			make_complaint(customer=self.delivery.customer, serial_no=self.other.serial_no)
		self.assertEqual(self.count(), before)

	def test_serial_never_delivered_is_refused(self):
		serial_no = "PUMP-TEST-UNSOLD"
		if not frappe.db.exists("Serial No", serial_no):
			company = frappe.db.get_single_value("Complaint Settings", "company")
			entry = frappe.get_doc(
				{
					"doctype": "Stock Entry",
					"stock_entry_type": "Material Receipt",
					"company": company,
					"items": [
						{
							"item_code": demo.SERIAL_ITEM,
							"qty": 1,
							"basic_rate": 700,
							"t_warehouse": demo.stock_warehouse(company),
							"use_serial_batch_fields": 1,
							"serial_no": serial_no,
						}
					],
				}
			).insert()
			entry.submit()
		with self.assertRaisesRegex(
			frappe.ValidationError, "has not been delivered or invoiced to any customer"
		):
			make_complaint(customer=self.delivery.customer, serial_no=serial_no)

	def test_batch_of_another_item_is_refused(self):
		with self.assertRaisesRegex(
			frappe.ValidationError, "Batch No.*is a batch of item DEMO-FILTER, not of DEMO-PUMP"
		):
			make_complaint(
				customer=self.delivery.customer, item=demo.SERIAL_ITEM, batch_no=self.delivery.filter_batch
			)

	def test_batch_sets_item(self):
		complaint = make_complaint(customer=self.delivery.customer, batch_no=self.delivery.filter_batch)
		self.assertEqual(complaint.item, demo.BATCH_ITEM)

	def test_delivery_note_of_another_customer_is_refused(self):
		with self.assertRaisesRegex(frappe.ValidationError, "Delivery Note.*belongs to customer"):
			make_complaint(customer=self.delivery.customer, delivery_note=self.other.delivery_note)

	def test_arrival_before_shipping_is_refused(self):
		shipped = frappe.db.get_value("Delivery Note", self.delivery.delivery_note, "posting_date")
		with self.assertRaisesRegex(frappe.ValidationError, "Arrival Date .* cannot be before Shipping Date"):
			make_complaint(
				customer=self.delivery.customer,
				delivery_note=self.delivery.delivery_note,
				arrival_date=add_days(shipped, -1),
			)

	def test_arrival_after_received_is_refused(self):
		with self.assertRaisesRegex(frappe.ValidationError, "Received On .* cannot be before Arrival Date"):
			make_complaint(customer=self.delivery.customer, arrival_date=add_days(getdate(), 2))

	# Read-back confirmation (docs/procedure.md §2) --------------------------------------------------------------

	def test_cannot_leave_registration_unconfirmed(self):
		complaint = make_complaint(customer=self.delivery.customer)
		with self.assertRaisesRegex(frappe.ValidationError, "Reason to Proceed Unconfirmed"):
			apply_workflow(complaint, "Dispatch")
		self.assertEqual(frappe.db.get_value("Customer Complaint", complaint.name, "status"), "Registered")

	def test_reason_lets_an_unconfirmed_complaint_proceed(self):
		complaint = make_complaint(customer=self.delivery.customer)
		complaint.unconfirmed_reason = "Customer hung up before the read-back"
		complaint.save()
		complaint = apply_workflow(complaint, "Dispatch")
		self.assertEqual(complaint.status, "In Progress")

	def test_status_follows_the_workflow_state_whatever_is_written(self):
		complaint = make_complaint(customer=self.delivery.customer)
		complaint.status = "Closed"
		complaint.save()
		self.assertEqual(complaint.status, "Registered")

	def test_readback_records_who_when_and_corrections(self):
		complaint = make_complaint(customer=self.delivery.customer)
		complaint.record_readback("Read back by phone", "The pump is the second one, not the first")
		complaint.reload()
		self.assertEqual(complaint.confirmation_status, "Confirmed")
		row = complaint.confirmations[0]
		self.assertEqual(row.confirmed_by, "Administrator")
		self.assertEqual(row.method, "Read back by phone")
		self.assertEqual(row.corrections, "The pump is the second one, not the first")
		complaint = apply_workflow(complaint, "Dispatch")  # confirmed: may proceed without a reason
		self.assertEqual(complaint.status, "In Progress")

	def test_readback_method_must_be_a_readback(self):
		complaint = make_complaint(customer=self.delivery.customer)
		with self.assertRaisesRegex(frappe.ValidationError, "Method"):
			complaint.record_readback("E-mail link")

	# Repeats -------------------------------------------------------------------------------------

	def test_repeat_on_same_serial_is_listed_and_raises_severity(self):
		first = make_complaint(
			customer=self.delivery.customer,
			category="Product Quality",
			serial_no=self.delivery.serial_no,
			subject="Pump noisy",
		)
		second = make_complaint(
			customer=self.delivery.customer,
			category="Product Quality",
			serial_no=self.delivery.serial_no,
			subject="Motor stops",
		)
		self.assertEqual(second.is_repeat, 1)
		self.assertEqual(second.severity, "Major")
		related = {r.complaint: r for r in second.related_complaints}  # demo complaints may match too
		self.assertIn(first.name, related)
		self.assertIn("Serial No", related[first.name].matched_on)
		self.assertEqual(related[first.name].status, "Registered")

	def test_repeat_on_similar_subject(self):
		make_complaint(customer=self.delivery.customer, subject="水泵漏水")
		second = make_complaint(customer=self.delivery.customer, subject="水泵 漏水！")
		self.assertEqual(second.is_repeat, 1)

	def test_no_repeat_across_customers_or_after_the_window(self):
		subject = f"Statement {frappe.generate_hash(length=16)}"  # like no complaint of earlier runs
		frappe.db.set_single_value("Complaint Settings", "repeat_window_days", 90)
		make_complaint(customer=self.other.customer, subject=subject)
		old = make_complaint(customer=self.delivery.customer, subject=subject)
		frappe.db.set_value(
			"Customer Complaint",
			old.name,
			{"status": "Closed", "received_on": add_days(now_datetime(), -200)},
		)
		new = make_complaint(customer=self.delivery.customer, subject=subject)
		self.assertEqual(new.is_repeat, 0)
		self.assertEqual(new.severity, "General")

	def test_repeat_window_is_configurable(self):
		old = make_complaint(customer=self.delivery.customer, subject="Invoice amount wrong")
		frappe.db.set_value(
			"Customer Complaint",
			old.name,
			{"status": "Closed", "received_on": add_days(now_datetime(), -200)},
		)
		frappe.db.set_single_value("Complaint Settings", "repeat_window_days", 365)
		try:
			new = make_complaint(customer=self.delivery.customer, subject="Invoice amount wrong")
			self.assertEqual(new.is_repeat, 1)
		finally:
			frappe.db.set_single_value("Complaint Settings", "repeat_window_days", 90)

	# VIP / green channel -------------------------------------------------------------------------

	def test_vip_follows_customer_group_unless_customer_says_otherwise(self):
		group = frappe.db.get_value("Customer", self.delivery.customer, "customer_group")
		frappe.db.set_value("Customer", self.delivery.customer, "complaint_vip", "")
		frappe.db.set_value("Customer Group", group, "complaint_vip", 1)
		self.assertEqual(make_complaint(customer=self.delivery.customer).is_vip, 1)
		frappe.db.set_value("Customer", self.delivery.customer, "complaint_vip", "No")
		self.assertEqual(make_complaint(customer=self.delivery.customer).is_vip, 0)
