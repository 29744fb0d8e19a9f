# Copyright (c) 2026, complaint_handling developers
# For license information, please see license.txt

from datetime import timedelta

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import get_datetime

from complaint_handling.complaint_handling.doctype.complaint_sla_policy.complaint_sla_policy import (
	PolicyError,
)
from complaint_handling.tests.factories import demo_delivery, make_complaint, office_windows, policy_category

# No test records: the policies scope the site's own categories, customer groups and territories.
test_ignore = ["Complaint Category", "Customer Group", "Holiday List", "Territory", "Workflow State"]

POLICY = "Complaint SLA Policy"


class TestComplaintSLAPolicy(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.customer = demo_delivery(0).customer  # before any test: the demo commits

	def setUp(self):
		# Frappe sends a test's notification e-mails at once, and sending commits (Email Queue): muted, they
		# are only queued, and all the test wrote is rolled back in tearDown
		self.addCleanup(setattr, frappe.flags, "mute_emails", frappe.flags.mute_emails)
		frappe.flags.mute_emails = True

	def tearDown(self):
		frappe.set_user("Administrator")
		frappe.db.rollback()

	def policy(self, **fields):
		return frappe.get_doc(
			{
				"doctype": POLICY,
				"policy_name": f"Test Policy {frappe.generate_hash(length=8)}",
				"time_zone": "Asia/Shanghai",
				"working_windows": office_windows(),
				"targets": [{"severity": "General", "first_response_hours": 4, "resolution_hours": 48}],
				**fields,
			}
		)

	def test_unknown_time_zone_is_refused(self):
		doc = self.policy(time_zone="Asia/Atlantis")
		with self.assertRaisesRegex(PolicyError, "is not a time zone"):
			doc.insert()
		self.assertFalse(frappe.db.exists(POLICY, doc.policy_name))

	def test_a_severity_with_two_targets_is_refused(self):
		target = {"severity": "Urgent", "first_response_hours": 1, "resolution_hours": 8}
		with self.assertRaisesRegex(PolicyError, "Targets by Severity: row 2 repeats Urgent"):
			self.policy(targets=[target, target]).insert()

	def test_an_empty_working_window_is_refused(self):
		window = {"weekday": "Monday", "start_time": "09:00", "end_time": "09:00"}
		with self.assertRaisesRegex(PolicyError, "start and end must differ"):
			self.policy(working_windows=[window]).insert()

	def test_a_category_policy_times_that_category_complaints(self):
		category = policy_category(f"SLA {frappe.generate_hash(length=8)}")
		policy = self.policy(category=category).insert()
		complaint = make_complaint(
			customer=self.customer, category=category, subject=frappe.generate_hash(length=12)
		)
		self.assertEqual(complaint.sla_policy, policy.name)
		received = get_datetime(complaint.received_on)
		self.assertAlmostEqual(  # General: first response within 4 hours, counted round the clock
			get_datetime(complaint.response_by), received + timedelta(hours=4), delta=timedelta(seconds=1)
		)
