"""Tier 2: complaints and memos through the real default workflows, by users holding the roles of docs/procedure.md."""

import frappe
from frappe.model.workflow import WorkflowTransitionError, apply_workflow
from frappe.tests.utils import FrappeTestCase

from complaint_handling.records.monthly_summary import regional_summary, send_monthly_summaries
from complaint_handling.tests.factories import (
	demo_delivery,
	make_complaint,
	make_email_account,
	make_employee_user,
	make_user,
	remove_complaint,
)

EAST_MANAGER = "east.manager@demo.example.com"


def act(user: str, doc, action: str, **fields):
	"""`user` fills `fields`, then takes the workflow `action`, as in the desk."""
	frappe.set_user(user)
	doc = frappe.get_doc(doc.doctype, doc.name)
	if fields:
		doc.update(fields)
		doc.save()
	doc = apply_workflow(doc, action)
	frappe.set_user("Administrator")
	return frappe.get_doc(doc.doctype, doc.name)


class WorkflowTestCase(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.east = demo_delivery(0)
		cls.clerk = make_user("wf.clerk@example.com", ["Complaint Clerk"])
		cls.coordinator = make_user("wf.coordinator@example.com", ["Complaint Coordinator"])
		cls.director = make_user("wf.director@example.com", ["Marketing Director"])
		cls.gm = make_user("wf.gm@example.com", ["General Manager"])
		cls.mr = make_user("wf.mr@example.com", ["Management Representative"])
		frappe.db.commit()

	def tearDown(self):
		frappe.set_user("Administrator")
		frappe.db.rollback()

	def registered(self, **fields):
		frappe.set_user(self.clerk)
		complaint = make_complaint(customer=self.east.customer, **fields)
		complaint.record_readback("Read back by phone")
		frappe.set_user("Administrator")
		return frappe.get_doc("Customer Complaint", complaint.name)

	def through_approval(self, complaint, handler: str):
		complaint = act(self.clerk, complaint, "Dispatch")
		self.assertEqual(complaint.status, "In Progress")
		return act(handler, complaint, "Propose", proposal="Refund the freight and apologise.")

	def reply_and_close(self, complaint):
		complaint = act(self.clerk, complaint, "Reply to Customer")  # the approved proposal is the decision
		self.assertEqual(complaint.status, "Replied")
		complaint = act(self.clerk, complaint, "Close")
		self.assertEqual((complaint.status, complaint.docstatus), ("Closed", 1))
		return complaint

	def closed_through(self, handler: str, proposal: str, **fields) -> str:
		"""A complaint taken the whole way to Closed, committed, and removed with its file after the test."""
		complaint = act(self.clerk, self.registered(**fields), "Dispatch")
		complaint = act(handler, complaint, "Propose", proposal=proposal)
		complaint = act(self.coordinator, complaint, "Accept Proposal")
		self.reply_and_close(complaint)
		frappe.db.commit()
		self.addCleanup(remove_complaint, complaint.name)
		return complaint.name


class TestComplaintPaths(WorkflowTestCase):
	def test_policy_inside_region_manager_authority(self):
		complaint = self.registered(amount_at_stake=1000)
		self.assertEqual((complaint.handler_party, complaint.handler), ("Region Manager", EAST_MANAGER))
		self.assertEqual(complaint.monthly_summary, 1)
		complaint = act(self.clerk, complaint, "Dispatch")
		self.assertTrue(
			frappe.db.exists(
				"ToDo", {"reference_name": complaint.name, "allocated_to": EAST_MANAGER, "status": "Open"}
			),
			"the handler is assigned",
		)
		complaint = act(EAST_MANAGER, complaint, "Propose", proposal="Apologise and refund the freight.")
		self.assertEqual((complaint.status, complaint.pending_approver), ("Proposed", None))
		complaint = act(self.coordinator, complaint, "Accept Proposal")
		self.assertEqual(complaint.status, "Approved")
		self.reply_and_close(complaint)
		month = frappe.utils.getdate(complaint.received_on)
		rows = regional_summary(
			frappe.utils.get_first_day(month), frappe.utils.get_last_day(month), "East Region"
		)
		self.assertTrue(any(r.received >= 1 and r.closed >= 1 for r in rows))

	def test_policy_beyond_authority_goes_to_the_marketing_director(self):
		complaint = self.registered(amount_at_stake=20000)
		self.assertEqual((complaint.approval_chain, complaint.escalated), ("Marketing Director", 1))
		complaint = self.through_approval(complaint, EAST_MANAGER)
		self.assertEqual(complaint.pending_approver, "Marketing Director")
		with self.assertRaises(WorkflowTransitionError):
			act(self.coordinator, complaint, "Accept Proposal")  # approval is required: no shortcut
		with self.assertRaises(WorkflowTransitionError):
			act(self.clerk, complaint, "Approve")  # a clerk holds no approving role
		complaint = act(self.director, complaint, "Approve")
		self.assertEqual(complaint.status, "Approved")
		self.assertEqual(
			[(a.party, a.approver) for a in complaint.approvals], [("Marketing Director", self.director)]
		)
		self.reply_and_close(complaint)

	def test_large_amount_needs_director_then_general_manager(self):
		complaint = self.registered(amount_at_stake=80000)
		self.assertEqual(complaint.approval_chain, "Marketing Director, General Manager")
		complaint = self.through_approval(complaint, EAST_MANAGER)
		with self.assertRaises(WorkflowTransitionError):
			act(self.gm, complaint, "Approve")  # not yet: the director approves first
		complaint = act(self.director, complaint, "Approve")
		self.assertEqual((complaint.status, complaint.pending_approver), ("Proposed", "General Manager"))
		self.assertEqual(complaint.workflow_state, "Awaiting Approval")
		complaint = act(self.gm, complaint, "Approve")
		self.assertEqual((complaint.status, complaint.pending_approver), ("Approved", None))

	def test_cross_department_goes_to_the_director_whatever_the_amount(self):
		complaint = self.registered(amount_at_stake=100, cross_department=1)
		self.assertEqual(complaint.approval_chain, "Marketing Director")
		self.assertEqual(complaint.monthly_summary, 0)

	def test_self_approval_is_refused(self):
		complaint = self.registered(amount_at_stake=20000, region_manager=self.director)
		self.assertEqual(complaint.handler, self.director)
		complaint = self.through_approval(complaint, self.director)
		with self.assertRaisesRegex(frappe.PermissionError, "cannot approve"):
			act(self.director, complaint, "Approve")
		self.assertEqual(frappe.db.get_value("Customer Complaint", complaint.name, "status"), "Proposed")

	def test_send_back_clears_approvals(self):
		complaint = self.through_approval(self.registered(amount_at_stake=80000), EAST_MANAGER)
		complaint = act(self.director, complaint, "Approve")
		complaint = act(self.gm, complaint, "Send Back")
		self.assertEqual(
			(complaint.status, len(complaint.approvals), complaint.pending_approver), ("In Progress", 0, None)
		)

	def test_proposal_is_required(self):
		complaint = act(self.clerk, self.registered(), "Dispatch")
		with self.assertRaisesRegex(frappe.MandatoryError, "Proposed Handling"):
			act(EAST_MANAGER, complaint, "Propose")

	def test_product_quality_reports_to_gm_and_mr_and_needs_the_director(self):
		complaint = self.registered(
			category="Product Quality", serial_no=self.east.serial_no, amount_at_stake=1200
		)
		self.assertEqual(
			(complaint.handler_party, complaint.approval_chain), ("Region Manager", "Marketing Director")
		)
		self.assertEqual(complaint.notify_parties, "General Manager, Management Representative")
		self.assertEqual(complaint.escalated, 0)
		for user in (self.gm, self.mr):
			self.assertTrue(
				frappe.db.exists("Notification Log", {"for_user": user, "document_name": complaint.name}),
				f"{user} is told of every product quality complaint",
			)
		complaint = self.through_approval(complaint, EAST_MANAGER)
		complaint = act(self.director, complaint, "Approve")
		self.assertEqual(complaint.status, "Approved")

	def test_pending_approver_is_notified(self):
		complaint = self.through_approval(self.registered(amount_at_stake=20000), EAST_MANAGER)
		self.assertTrue(
			frappe.db.exists("Notification Log", {"for_user": self.director, "document_name": complaint.name})
		)

	def test_dispute_reopens_to_hq_for_a_final_ruling(self):
		complaint = self.through_approval(self.registered(amount_at_stake=1000), EAST_MANAGER)
		complaint = act(self.coordinator, complaint, "Accept Proposal")
		complaint = act(self.clerk, complaint, "Reply to Customer")
		with self.assertRaisesRegex(frappe.MandatoryError, "Reason for Disputing"):
			act(self.clerk, complaint, "Record Dispute")
		complaint = act(self.clerk, complaint, "Record Dispute", dispute_reason="The driver broke the pump.")
		self.assertEqual(complaint.status, "Disputed")
		self.assertTrue(complaint.disputed_on)
		with self.assertRaises(WorkflowTransitionError):
			act(self.clerk, complaint, "Final Ruling")  # HQ rules, not the clerk
		complaint = act(self.director, complaint, "Final Ruling", final_ruling="Refund half of the pump.")
		self.assertEqual((complaint.status, complaint.docstatus), ("Closed", 1))
		complaint.append(
			"escalations",
			{"authority": "市场监督管理局", "escalated_on": frappe.utils.today(), "reference": "SAMR-1"},
		)
		complaint.save()  # recorded even after closing
		self.assertEqual(
			frappe.get_doc("Customer Complaint", complaint.name).escalations[0].reference, "SAMR-1"
		)


class TestStaffConduct(WorkflowTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.boss, boss_employee = make_employee_user("wf.boss@example.com", ["Employee"])
		cls.accused, cls.accused_employee = make_employee_user("wf.accused@example.com", ["Complaint Clerk"])
		frappe.db.set_value("Employee", cls.accused_employee, "reports_to", boss_employee)
		frappe.db.commit()

	def staff_complaint(self, amount: float):
		return self.registered(
			category="Staff Conduct",
			subject="Rude on the phone",
			complained_employee=self.accused_employee,
			amount_at_stake=amount,
		)

	def test_inside_the_superiors_authority(self):
		complaint = self.staff_complaint(500)
		self.assertEqual((complaint.handler_party, complaint.handler), ("Superior", self.boss))
		complaint = act(self.clerk, complaint, "Dispatch")
		complaint = act(self.boss, complaint, "Propose", proposal="Written warning and an apology call.")
		self.assertIsNone(complaint.pending_approver)
		complaint = act(self.coordinator, complaint, "Accept Proposal")
		self.assertEqual(complaint.status, "Approved")

	def test_beyond_the_superiors_authority_the_director_approves_and_the_superior_is_told(self):
		complaint = self.staff_complaint(3000)
		self.assertEqual(
			(complaint.approval_chain, complaint.notify_parties), ("Marketing Director", "Superior")
		)
		complaint = self.through_approval(complaint, self.boss)
		complaint = act(self.director, complaint, "Approve")
		self.assertEqual(complaint.status, "Approved")

	def test_the_accused_cannot_handle_their_own_complaint(self):
		complaint = act(self.clerk, self.staff_complaint(500), "Dispatch")
		with self.assertRaises(frappe.PermissionError):
			act(self.accused, complaint, "Propose", proposal="Nothing happened.")


class TestMemo(WorkflowTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.head = make_user("wf.head@example.com", ["Employee"])
		cls.writer = make_user("wf.writer@example.com", ["Employee"])
		company = frappe.db.get_single_value("Complaint Settings", "company")
		cls.department = frappe.db.get_value(
			"Department", {"department_name": "Logistics", "company": company}
		)
		if not cls.department:
			cls.department = (
				frappe.get_doc(
					{
						"doctype": "Department",
						"department_name": "Logistics",
						"company": company,
						"complaint_head": cls.head,
					}
				)
				.insert(ignore_permissions=True)
				.name
			)
		frappe.db.set_value("Department", cls.department, "complaint_head", cls.head)
		frappe.db.commit()

	def memo(self, **fields):
		complaint = act(self.clerk, self.registered(amount_at_stake=20000, cross_department=1), "Dispatch")
		frappe.set_user(self.coordinator)
		memo = frappe.get_doc(
			{
				"doctype": "Complaint Memo",
				"complaint": complaint.name,
				"subject": "Why was the delivery late?",
				"to_department": self.department,
				"addressee": self.writer,
				**fields,
			}
		).insert()
		frappe.set_user("Administrator")
		return memo

	def test_memo_lifecycle_with_sign_off_and_approval(self):
		memo = self.memo(description="Customer says the truck came two days late.")
		self.assertEqual((memo.department_head, memo.approver_party), (self.head, "Marketing Director"))
		self.assertTrue(memo.reply_by, "a default reply-by comes from the settings")
		memo = act(self.coordinator, memo, "Dispatch")
		memo = act(self.writer, memo, "Reply", reply="The truck broke down; we sent another.")
		self.assertEqual((memo.status, memo.replied_by), ("Replied", self.writer))
		with self.assertRaises(WorkflowTransitionError):
			act(self.writer, memo, "Sign")  # only the department head signs
		memo = act(self.head, memo, "Sign")
		self.assertEqual(memo.signed_by, self.head)
		memo = act(self.director, memo, "Approve")
		self.assertEqual(memo.approved_by, self.director)
		memo = act(self.coordinator, memo, "Close")
		self.assertEqual((memo.status, memo.docstatus), ("Closed", 1))
		timeline = frappe.get_all(
			"Comment", filters={"reference_name": memo.complaint, "comment_type": "Info"}, pluck="content"
		)
		self.assertTrue(
			any("The truck broke down" in c for c in timeline), "the reply appears on the complaint"
		)
		self.assertTrue(any("Approved" in c for c in timeline))

	def test_incomplete_memo_cannot_be_dispatched(self):
		memo = self.memo()
		with self.assertRaisesRegex(frappe.MandatoryError, "Detailed Description"):
			act(self.coordinator, memo, "Dispatch")

	def test_memo_reply_is_required(self):
		memo = act(self.coordinator, self.memo(description="Late delivery."), "Dispatch")
		with self.assertRaisesRegex(frappe.MandatoryError, "Reply"):
			act(self.writer, memo, "Reply")


class TestMonthlySummary(WorkflowTestCase):
	def test_monthly_job_sends_once_per_territory(self):
		make_email_account()
		self.registered(amount_at_stake=100)
		frappe.db.set_value(
			"Customer Complaint",
			{"customer": self.east.customer},
			"received_on",
			frappe.utils.add_months(frappe.utils.now_datetime(), -1),
		)
		today = frappe.utils.today()
		first = send_monthly_summaries(today)
		self.assertGreaterEqual(first, 1)
		self.assertEqual(send_monthly_summaries(today), 0, "a second run in the same month sends nothing")
		queued = frappe.get_all("Email Queue", filters={"reference_doctype": "Territory"}, pluck="name")
		self.assertTrue(queued)


def restore_default_workflow() -> None:
	"""Put the shipped workflow back (actions inside the test may have committed the administrator's edit)."""
	from complaint_handling.setup.install import install_workflows

	frappe.delete_doc("Workflow", "Customer Complaint Handling", force=True, ignore_permissions=True)
	install_workflows()
	frappe.db.commit()
	frappe.clear_document_cache("Workflow", "Customer Complaint Handling")
	frappe.clear_cache(doctype="Customer Complaint")


class TestStateNameIndependence(WorkflowTestCase):
	"""An administrator renames a state and adds one; the whole lifecycle still works."""

	def tearDown(self):
		super().tearDown()
		restore_default_workflow()

	def test_renamed_and_added_states(self):
		for state in ("With the Handler", "Legal Review"):
			if not frappe.db.exists("Workflow State", state):
				frappe.get_doc({"doctype": "Workflow State", "workflow_state_name": state}).insert()
		if not frappe.db.exists("Workflow Action Master", "Ask Legal"):
			frappe.get_doc(
				{"doctype": "Workflow Action Master", "workflow_action_name": "Ask Legal"}
			).insert()
		workflow = frappe.get_doc("Workflow", "Customer Complaint Handling")
		for row in workflow.states:
			if row.state == "In Handling":
				row.state = "With the Handler"
		for row in workflow.transitions:
			row.state = "With the Handler" if row.state == "In Handling" else row.state
			row.next_state = "With the Handler" if row.next_state == "In Handling" else row.next_state
			if row.state == "Approved" and row.action == "Reply to Customer":
				row.state = "Legal Review"
		workflow.append(
			"states",
			{
				"state": "Legal Review",
				"doc_status": "0",
				"update_field": "status",
				"update_value": "Approved",
				"allow_edit": "Complaint Coordinator",
			},
		)
		workflow.append(
			"transitions",
			{
				"state": "Approved",
				"action": "Ask Legal",
				"next_state": "Legal Review",
				"allowed": "Complaint Coordinator",
				"allow_self_approval": 1,
			},
		)
		workflow.save()

		complaint = self.registered(amount_at_stake=20000)
		complaint = act(self.clerk, complaint, "Dispatch")
		self.assertEqual((complaint.workflow_state, complaint.status), ("With the Handler", "In Progress"))
		complaint = act(EAST_MANAGER, complaint, "Propose", proposal="Refund the freight.")
		complaint = act(self.director, complaint, "Approve")
		complaint = act(self.coordinator, complaint, "Ask Legal")
		self.assertEqual(complaint.workflow_state, "Legal Review")
		self.reply_and_close(complaint)


def plain_text(raw: str) -> str:
	"""The decoded text parts of a queued MIME message."""
	import email

	message = email.message_from_string(raw)
	return "".join(
		part.get_payload(decode=True).decode("utf-8")
		for part in message.walk()
		if part.get_content_type() == "text/plain"
	)


class TestCustomerEmails(WorkflowTestCase):
	"""The customer hears from us on acknowledgement and on reply, in Chinese and English."""

	def queued_for(self, complaint) -> list[str]:
		rows = frappe.get_all(
			"Email Queue",
			filters={"reference_doctype": "Customer Complaint", "reference_name": complaint.name},
			pluck="name",
		)
		return [plain_text(frappe.get_doc("Email Queue", name).message) for name in rows]

	def test_acknowledgement_and_reply_emails(self):
		make_email_account()
		complaint = self.registered(amount_at_stake=100, complainant_email="li.ming@customer.example.com")
		messages = self.queued_for(complaint)
		self.assertTrue(
			any("我们已登记您的投诉" in m and "We have registered your complaint" in m for m in messages),
			messages,
		)
		complaint = act(self.clerk, complaint, "Dispatch")
		complaint = act(EAST_MANAGER, complaint, "Propose", proposal="We refund the freight of 120 yuan.")
		complaint = act(self.coordinator, complaint, "Accept Proposal")
		act(self.clerk, complaint, "Reply to Customer")
		messages = self.queued_for(complaint)
		self.assertTrue(any("We refund the freight of 120 yuan." in m and "处理决定" in m for m in messages))
