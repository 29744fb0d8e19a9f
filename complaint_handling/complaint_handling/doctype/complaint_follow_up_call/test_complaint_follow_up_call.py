# Copyright (c) 2026, complaint_handling developers
# For license information, please see license.txt

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_days, nowdate

from complaint_handling.customer.follow_up_calls import FollowUpCallError
from complaint_handling.setup import demo
from complaint_handling.tests.factories import demo_delivery, make_complaint

# No test records: the call is about a demo complaint.
test_ignore = ["Customer", "Customer Complaint", "Role", "User"]

CALL = "Complaint Follow-up Call"
EAST, SOUTH = demo.TERRITORIES[0].manager_email, demo.TERRITORIES[1].manager_email


class TestComplaintFollowupCall(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.delivery = demo_delivery(0)  # East Region

	def setUp(self):
		# Frappe sends a test's notification e-mails at once, and sending commits (Email Queue): muted, they
		# are only queued, and all the test wrote is rolled back in tearDown
		self.addCleanup(setattr, frappe.flags, "mute_emails", frappe.flags.mute_emails)
		frappe.flags.mute_emails = True

	def tearDown(self):
		frappe.set_user("Administrator")
		frappe.db.rollback()

	def call(self, planned: bool = True):
		"""A call as the app plans it when a complaint closes (follow_up_calls.schedule)."""
		complaint = make_complaint(customer=self.delivery.customer)
		call = frappe.get_doc(
			{
				"doctype": CALL,
				"complaint": complaint.name,
				"customer": complaint.customer,
				"level": "Region Manager",
				"due_on": add_days(nowdate(), 3),
				"assigned_role": "Region Manager",
			}
		)
		call.flags.planned = planned
		return call.insert()

	def test_only_the_app_plans_a_call(self):
		with self.assertRaises(frappe.PermissionError):
			self.call(planned=False)

	def test_the_outcome_is_stamped_and_a_call_not_reached_stays_open(self):
		call = self.call()
		call.outcome = "Not Reached"
		call.save()
		self.assertEqual((call.status, call.attempts, call.called_by), ("Open", 1, "Administrator"))
		call.outcome = "Satisfied"
		call.save()
		self.assertEqual((call.status, call.attempts), ("Done", 2))
		call.outcome = "Not Satisfied"
		with self.assertRaisesRegex(FollowUpCallError, "outcome of a finished call stays"):
			call.save()

	def test_the_plan_is_not_written_by_hand(self):
		call = self.call()
		call.due_on = add_days(call.due_on, 30)
		with self.assertRaisesRegex(FollowUpCallError, "cannot be written directly"):
			call.save()

	def test_the_call_is_seen_by_who_sees_its_complaint(self):
		call = self.call()
		self.assertTrue(frappe.has_permission(CALL, "read", doc=call, user=EAST))
		self.assertFalse(frappe.has_permission(CALL, "read", doc=call, user=SOUTH))
