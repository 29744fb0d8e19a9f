"""Tier 2: what a registration sets off after its commit (acknowledgement, quality report, shares,
assignments) runs in a background job, and a job that failed is run again by the sweep — nothing lost."""

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_to_date, now_datetime

from complaint_handling.intake import registration
from complaint_handling.service_levels import clocks, sweep
from complaint_handling.tests.factories import demo_delivery, make_complaint

EMAIL = "buyer.followup@customers.example.com"


def acknowledgements(name: str) -> int:
	"""The acknowledgements e-mailed for a complaint (Communications of the Notification)."""
	return frappe.db.count(
		"Communication",
		{
			"reference_doctype": "Customer Complaint",
			"reference_name": name,
			"communication_type": "Automated Message",
		},
	)


class TestRegistrationFollowUp(FrappeTestCase):
	def tearDown(self):
		frappe.set_user("Administrator")
		frappe.db.rollback()

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
		self.assertEqual(acknowledgements(complaint.name), 1)
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
		self.assertEqual(acknowledgements(complaint.name), 1, "sent once, not twice")
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
		self.assertEqual(acknowledgements(complaint.name), 1)

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
			self.assertEqual(acknowledgements(complaint.name), 1)
		finally:
			frappe.delete_doc("Customer Complaint", complaint.name, force=True)
			frappe.db.commit()


class TestFollowUpJob(FrappeTestCase):
	"""One job works through every registration waiting for its follow-up; a row another transaction holds is
	left to it; and a registration queues a job only when none is waiting to start."""

	def setUp(self):
		self.complaints = [
			make_complaint(customer=demo_delivery(0).customer, complainant_email=EMAIL) for _ in range(3)
		]
		for complaint in self.complaints:  # as registered over REST: the follow-up still to do
			frappe.db.delete("Communication", {"reference_name": complaint.name})
			frappe.db.set_value(
				"Customer Complaint", complaint.name, "registration_followup", 1, update_modified=False
			)
		frappe.db.commit()

	def tearDown(self):
		frappe.db.rollback()
		for complaint in self.complaints:
			frappe.delete_doc("Customer Complaint", complaint.name, force=True)
		frappe.db.commit()

	def pending(self) -> set[str]:
		return set(
			frappe.get_all(
				"Customer Complaint",
				filters={"name": ["in", [c.name for c in self.complaints]], "registration_followup": 1},
				pluck="name",
			)
		)

	def test_one_job_follows_up_every_waiting_registration_and_skips_a_locked_one(self):
		from frappe.database import get_db

		other = get_db(
			host=frappe.conf.db_host,
			port=frappe.conf.db_port,
			user=frappe.conf.db_user or frappe.conf.db_name,
			password=frappe.conf.db_password,
			cur_db_name=frappe.conf.db_name,
		)
		other.connect()
		try:
			locked = self.complaints[0].name
			other.sql("select name from `tabCustomer Complaint` where name = %s for update", locked)
			registration.follow_up_registrations()
			self.assertEqual(self.pending(), {locked}, "the row another transaction holds is left to it")
		finally:
			other.rollback()
			other.close()
		self.assertGreaterEqual(registration.follow_up_registrations(), 1)
		self.assertEqual(self.pending(), set())
		for complaint in self.complaints:
			self.assertEqual(acknowledgements(complaint.name), 1)
		self.assertEqual(registration.follow_up_registrations(), 0, "nothing is done twice")

	def test_a_registration_queues_a_job_only_when_none_waits(self):
		from frappe.utils.background_jobs import get_job_status
		from rq.job import JobStatus

		from complaint_handling.tests.utils import drop_queued_jobs, has_own_queue

		if not has_own_queue():
			self.skipTest("queues jobs: only on a test site with a queue of its own (scripts/test)")
		drop_queued_jobs()
		frappe.cache.delete_value(registration.FOLLOW_UP_JOB_KEY)
		try:
			registration.ensure_follow_up_job()
			first = frappe.cache.get_value(registration.FOLLOW_UP_JOB_KEY)
			self.assertEqual(get_job_status(first), JobStatus.QUEUED)
			registration.ensure_follow_up_job()
			self.assertEqual(
				frappe.cache.get_value(registration.FOLLOW_UP_JOB_KEY), first, "one waits: no second"
			)
		finally:
			drop_queued_jobs()

	def test_the_job_writes_its_assignment_notices_itself(self):
		"""As on a live site (not a test's inline enqueue): no `make_notification_logs` job per assignment is
		queued; the job writes each assignee's notice, and Frappe's queueing is put back after it."""
		from frappe.desk.form import assign_to
		from frappe.utils.background_jobs import get_queues

		from complaint_handling.tests.utils import drop_queued_jobs, has_own_queue

		if not has_own_queue():
			self.skipTest("looks at the queue: only on a test site with a queue of its own (scripts/test)")
		drop_queued_jobs()
		queued = assign_to.enqueue_create_notification
		names = [c.name for c in self.complaints]
		for doctype, field in (("ToDo", "reference_name"), ("Notification Log", "document_name")):
			frappe.db.delete(doctype, {field: ["in", names]})  # as registered over REST: none made yet
		frappe.db.commit()
		frappe.flags.in_test = False  # Frappe then queues its notices, as on a live site
		try:
			registration.follow_up_registrations()
			jobs = [str(job.kwargs.get("method")) for queue in get_queues() for job in queue.get_jobs()]
		finally:
			frappe.flags.in_test = True
			drop_queued_jobs()
		self.assertIs(assign_to.enqueue_create_notification, queued)
		self.assertNotIn("make_notification_logs", " ".join(jobs), jobs)
		todos = frappe.get_all(
			"ToDo",
			filters={
				"reference_type": "Customer Complaint",
				"reference_name": ["in", names],
				"status": "Open",
			},
			fields=["reference_name", "allocated_to"],
		)
		self.assertTrue(todos, "the follow-up assigns whoever's move it is")
		for todo in todos:
			self.assertTrue(
				frappe.db.exists(
					"Notification Log",
					{
						"type": "Assignment",
						"document_name": todo.reference_name,
						"for_user": todo.allocated_to,
					},
				),
				todo,
			)
