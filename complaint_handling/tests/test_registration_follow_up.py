"""Tier 2: what a registration sets off after its commit (acknowledgement, quality report, shares,
assignments) runs in a background job, and a job that failed is run again by the sweep — nothing lost."""

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_to_date, now_datetime

from complaint_handling.intake import registration
from complaint_handling.service_levels import clocks, sweep
from complaint_handling.tests.factories import demo_delivery, make_complaint

EMAIL = "buyer.followup@customers.example.com"


class TestRegistrationFollowUp(FrappeTestCase):
	def tearDown(self):
		frappe.set_user("Administrator")
		frappe.db.rollback()

	def acknowledgements(self, name: str) -> int:
		return frappe.db.count(
			"Communication",
			{
				"reference_doctype": "Customer Complaint",
				"reference_name": name,
				"communication_type": "Automated Message",
			},
		)

	def shared_with_handler(self, complaint) -> bool:
		self.assertTrue(complaint.handler, "the east region's manager handles a policy complaint")
		return bool(
			frappe.db.exists(
				"DocShare",
				{
					"share_doctype": "Customer Complaint",
					"share_name": complaint.name,
					"user": complaint.handler,
				},
			)
		)

	def test_the_follow_up_sends_the_acknowledgement_and_shares(self):
		complaint = make_complaint(customer=demo_delivery(0).customer, complainant_email=EMAIL)
		self.assertEqual(
			frappe.db.get_value("Customer Complaint", complaint.name, "registration_followup"), 0
		)
		self.assertEqual(self.acknowledgements(complaint.name), 1)
		self.assertTrue(self.shared_with_handler(complaint), "the handler may open it")

	def test_a_follow_up_that_did_not_finish_is_run_again_by_the_sweep(self):
		complaint = make_complaint(customer=demo_delivery(0).customer, complainant_email=EMAIL)
		# as if the job had failed: its work undone, the flag still set, registered an hour ago
		frappe.db.delete("Communication", {"reference_name": complaint.name})
		frappe.db.delete("DocShare", {"share_name": complaint.name})
		frappe.db.set_value(
			"Customer Complaint",
			complaint.name,
			{"registration_followup": 1, "creation": add_to_date(now_datetime(), hours=-1)},
			update_modified=False,
		)
		self.assertGreaterEqual(registration.retry_follow_ups(), 1)
		self.assertEqual(
			frappe.db.get_value("Customer Complaint", complaint.name, "registration_followup"), 0
		)
		self.assertEqual(self.acknowledgements(complaint.name), 1, "sent once, not twice")
		self.assertTrue(self.shared_with_handler(complaint))

	def test_a_recent_registration_is_left_to_its_own_job(self):
		complaint = make_complaint(customer=demo_delivery(0).customer)
		frappe.db.set_value(
			"Customer Complaint", complaint.name, "registration_followup", 1, update_modified=False
		)
		registration.retry_follow_ups()
		self.assertEqual(
			frappe.db.get_value("Customer Complaint", complaint.name, "registration_followup"), 1
		)

	def test_a_finished_follow_up_is_not_repeated(self):
		complaint = make_complaint(customer=demo_delivery(0).customer, complainant_email=EMAIL)
		registration.follow_up_registration(complaint.name)  # a duplicate job, e.g. a retry racing the first
		self.assertEqual(self.acknowledgements(complaint.name), 1)

	def test_the_sweep_retries_follow_ups(self):
		complaint = make_complaint(customer=demo_delivery(0).customer, complainant_email=EMAIL)
		frappe.db.delete("Communication", {"reference_name": complaint.name})
		frappe.db.set_value(
			"Customer Complaint",
			complaint.name,
			{"registration_followup": 1, "creation": add_to_date(now_datetime(), hours=-1)},
			update_modified=False,
		)
		frappe.db.commit()
		try:
			sweep.sweep()
			self.assertEqual(self.acknowledgements(complaint.name), 1)
		finally:
			frappe.delete_doc("Customer Complaint", complaint.name, force=True)
			frappe.db.commit()
