"""Tier 2: a complete product-quality complaint's paper — registration form, the complaint's full file, the
memo, the Defect Complaint Handling Form with its approval record, the QA determination and the penalty
notice — each with its content, and each downloaded as a PDF in English and Chinese."""

import frappe
from frappe.installer import update_site_config
from frappe.utils.password import update_password

from complaint_handling.setup import demo
from complaint_handling.tests.browser import served_site
from complaint_handling.tests.factories import remove_complaint
from complaint_handling.tests.test_desk_buttons import HttpUser
from complaint_handling.tests.test_workflow import EAST_MANAGER, WorkflowTestCase, act

COMPLAINT = "Customer Complaint"


class TestCompleteFile(WorkflowTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		update_password(cls.coordinator, demo.DEMO_PASSWORD)
		frappe.db.commit()

	def setUp(self):
		complaint = self.registered(
			category="Product Quality",
			serial_no=self.east.serial_no,
			amount_at_stake=1200,
			subject="Casting cracked",
		)
		self.memo = frappe.get_doc(
			{
				"doctype": "Complaint Memo",
				"complaint": complaint.name,
				"subject": "Check the casting lot",
				"to_department": frappe.db.get_value("Department", {"is_group": 0}, "name"),
				"description": "Which lot was this casting from?",
			}
		).insert(ignore_permissions=True)
		frappe.set_user(EAST_MANAGER)
		inspection = frappe.get_doc({"doctype": "Defect Inspection", "complaint": complaint.name}).insert()
		frappe.set_user("Administrator")
		frappe.db.set_value(
			"Defect Inspection",
			inspection.name,
			{
				"qa_determination": "Obvious Quality Defect",
				"root_cause": "Porous casting from lot 42",
				"corrective_action": "X-ray sampling of every lot",
			},
		)
		self.inspection = inspection.name
		complaint = act(self.clerk, complaint, "Dispatch")
		complaint = act(EAST_MANAGER, complaint, "Propose", proposal="Free exchange of the pump.")
		complaint = act(self.director, complaint, "Approve")
		frappe.db.set_value("Complaint Memo", self.memo.name, "status", "Closed")  # its round: test_workflow
		self.reply_and_close(complaint)
		self.penalty = frappe.get_doc(
			{
				"doctype": "Complaint Penalty",
				"rule": "Region Manager Negligence",
				"party_type": "Employee",
				"party": frappe.db.get_value("Employee", {"user_id": EAST_MANAGER}, "name"),
				"complaint": complaint.name,
				"base_amount": 800,
				"pick": 40,
				"reason": "Could have been determined on site",
			}
		).insert(ignore_permissions=True)
		feedback = frappe.get_doc(
			{
				"doctype": "Quality Feedback",
				"template": "Customer Complaint Satisfaction",
				"document_type": "Customer",
				"document_name": self.east.customer,
				"customer_complaint": complaint.name,
				"satisfaction_score": 80,
				"parameters": [
					{"parameter": "Overall satisfaction", "rating": "4", "feedback": "Fair in the end"}
				],
			}
		).insert(ignore_permissions=True)
		frappe.db.set_value(
			COMPLAINT, complaint.name, {"quality_feedback": feedback.name, "satisfaction_score": 80}
		)
		self.name = complaint.name
		frappe.db.commit()

	def tearDown(self):
		remove_complaint(self.name)

	def test_the_full_file_and_every_form_print_and_download_as_pdf(self):
		frappe.set_user(self.coordinator)
		html = frappe.get_print(COMPLAINT, self.name, "Complaint File")
		for expected in (
			"Complaint File",
			"Casting cracked",
			"Free exchange of the pump.",  # the decision (and the proposal, for staff)
			"Check the casting lot",  # the memo
			self.inspection,
			"Porous casting from lot 42",
			self.penalty.name,
			"Overall satisfaction",
			"Fair in the end",
			"Customer Service Centre",  # a follow-up call planned at closure
			"Approval Record",
			"Closed",
		):
			self.assertIn(expected, html)
		qa = frappe.get_print("Defect Inspection", self.inspection, "QA Determination")
		self.assertIn("Porous casting from lot 42", qa)
		self.assertIn("X-ray sampling of every lot", qa)
		frappe.set_user("Administrator")
		prints = (
			(COMPLAINT, self.name, "Complaint Registration Form", "投诉登记"),
			(COMPLAINT, self.name, "Complaint File", "投诉档案"),
			("Complaint Memo", self.memo.name, "Complaint Memo Form", None),
			("Defect Inspection", self.inspection, "Defect Inspection Form", None),
			("Defect Inspection", self.inspection, "QA Determination", "质管部判定"),
			("Complaint Penalty", self.penalty.name, "Penalty Notice", "罚款通知书"),
		)
		user = HttpUser(self.coordinator)
		before = frappe.get_site_config().get("host_name")
		with served_site() as url:
			update_site_config("host_name", "http://127.0.0.1:" + url.rsplit(":", 1)[1])
			try:
				for doctype, name, print_format, chinese in prints:
					for lang in ("en", "zh"):
						response = user.get(
							"/api/method/frappe.utils.print_format.download_pdf",
							doctype=doctype,
							name=name,
							format=print_format,
							_lang=lang,
						)
						self.assertEqual(
							response.status_code, 200, (print_format, lang, response.get_data()[:300])
						)
						self.assertTrue(response.get_data().startswith(b"%PDF"), (print_format, lang))
					if chinese:
						view = user.get(
							"/printview", doctype=doctype, name=name, format=print_format, _lang="zh"
						)
						self.assertIn(chinese, view.get_data(as_text=True), print_format)
			finally:
				update_site_config("host_name", before or "None")


class TestEveryCategoryPrints(WorkflowTestCase):
	"""A closed complaint of the other two categories: its registration form and its file download as PDF."""

	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		from complaint_handling.tests.factories import make_employee_user

		cls.boss, boss_employee = make_employee_user("wf.boss@example.com", ["Employee"])
		_accused, cls.accused_employee = make_employee_user("wf.accused@example.com", ["Complaint Clerk"])
		frappe.db.set_value("Employee", cls.accused_employee, "reports_to", boss_employee)
		update_password(cls.coordinator, demo.DEMO_PASSWORD)
		frappe.db.commit()

	def closed(self, category: str, handler: str, **fields) -> str:
		return self.closed_through(
			handler, "An apology call and a written answer.", category=category, amount_at_stake=500, **fields
		)

	def test_policy_and_staff_conduct_complaints_print_as_pdf(self):
		names = [
			self.closed(
				"Policy / Customer Service", EAST_MANAGER, subject="Invoice sent to the wrong address"
			),
			self.closed(
				"Staff Conduct",
				self.boss,
				subject="Rude on the phone",
				complained_employee=self.accused_employee,
			),
		]
		# the follow-up calls of the staff complaint are never the accused clerk's
		calls = frappe.get_all("Complaint Follow-up Call", {"complaint": names[1]}, pluck="name")
		self.assertTrue(calls)
		self.assertFalse(
			frappe.db.exists(
				"ToDo", {"reference_name": ["in", calls], "allocated_to": "wf.accused@example.com"}
			)
		)
		user = HttpUser(self.coordinator)
		before = frappe.get_site_config().get("host_name")
		with served_site() as url:
			update_site_config("host_name", "http://127.0.0.1:" + url.rsplit(":", 1)[1])
			try:
				for name in names:
					for print_format in ("Complaint Registration Form", "Complaint File"):
						response = user.get(
							"/api/method/frappe.utils.print_format.download_pdf",
							doctype=COMPLAINT,
							name=name,
							format=print_format,
							_lang="zh",
						)
						self.assertEqual(
							response.status_code, 200, (name, print_format, response.get_data()[:300])
						)
						self.assertTrue(response.get_data().startswith(b"%PDF"), (name, print_format))
			finally:
				update_site_config("host_name", before or "None")
		html = frappe.get_print(COMPLAINT, names[1], "Complaint File")
		self.assertIn("Rude on the phone", html)
		self.assertIn("An apology call and a written answer.", html)
