# Copyright (c) 2026, complaint_handling developers
# For license information, please see license.txt

from datetime import timedelta

import frappe
from frappe.model.workflow import apply_workflow
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_to_date, get_datetime, now_datetime

from complaint_handling.access.protection import DocstatusError
from complaint_handling.setup import demo
from complaint_handling.tests.factories import demo_delivery, make_complaint

# No test records: the memo is written on a demo complaint, to a department of the demo company.
test_ignore = [
	"Complaint SLA Policy",
	"Customer",
	"Customer Complaint",
	"Department",
	"User",
	"Workflow State",
]

MEMO = "Complaint Memo"
EAST, SOUTH = demo.TERRITORIES[0].manager_email, demo.TERRITORIES[1].manager_email


class TestComplaintMemo(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.delivery = demo_delivery(0)  # East Region
		cls.department = frappe.db.get_value("Department", {"complaint_head": ("is", "set")}, "name")

	def setUp(self):
		# Frappe sends a test's notification e-mails at once, and sending commits (Email Queue): muted, they
		# are only queued, and all the test wrote is rolled back in tearDown
		self.addCleanup(setattr, frappe.flags, "mute_emails", frappe.flags.mute_emails)
		frappe.flags.mute_emails = True

	def tearDown(self):
		frappe.set_user("Administrator")
		frappe.db.rollback()

	def memo(self, **fields):
		complaint = make_complaint(customer=self.delivery.customer)
		return frappe.get_doc(
			{
				"doctype": MEMO,
				"complaint": complaint.name,
				"subject": "Why was the delivery late?",
				"to_department": self.department,
				**fields,
			}
		).insert()

	def test_reply_by_and_approver_are_set_by_the_app(self):
		hours = frappe.db.get_single_value("Complaint Settings", "memo_reply_hours") or 24
		start = now_datetime()
		memo = self.memo()
		reply_by = get_datetime(memo.reply_by)
		self.assertGreaterEqual(reply_by, add_to_date(start, hours=hours) - timedelta(seconds=1))
		self.assertLessEqual(reply_by, add_to_date(now_datetime(), hours=hours))
		self.assertTrue(memo.approver_party)

	def test_a_new_memo_is_a_draft(self):
		with self.assertRaises(DocstatusError):
			self.memo(docstatus=1)

	def test_only_a_complete_memo_is_dispatched(self):
		memo = self.memo()  # no description yet
		with self.assertRaisesRegex(frappe.MandatoryError, "Complete the memo before dispatching it"):
			apply_workflow(memo, "Dispatch")
		memo = frappe.get_doc(MEMO, memo.name)
		self.assertEqual(memo.status, "Draft")
		memo.description = "The customer says the truck came two days late."
		memo.save()
		self.assertEqual(apply_workflow(memo, "Dispatch").status, "Dispatched")

	def test_the_memo_is_seen_by_who_sees_its_complaint(self):
		memo = self.memo()
		self.assertTrue(frappe.has_permission(MEMO, "read", doc=memo, user=EAST))
		self.assertFalse(frappe.has_permission(MEMO, "read", doc=memo, user=SOUTH))
