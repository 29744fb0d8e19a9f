"""Tier 2, in a real browser: each role does its job in the desk, for a complaint of every category.

The clerk registers (customer, contact, item, serial) and reads the record back; the coordinator
dispatches; the region manager (or the accused's superior) writes a memo and proposes; the memo goes
round (coordinator, department head, approver, coordinator); the approvers approve, each told in turn;
the clerk replies and closes; QA opens a product-quality complaint. After every step the next actor is
taken from what the form says ("Waiting for ...") and must hold an open assignment. No JavaScript error,
no HTTP 5xx, no 403 from the API and no permission dialog may occur on the way.
"""

import unittest

import frappe
from frappe.tests.utils import FrappeTestCase

from complaint_handling.setup import demo
from complaint_handling.tests.browser import (
	DESKTOP,
	PHONE,
	Desk,
	chromium_path,
	language,
	missing_browser,
	served_site,
)
from complaint_handling.tests.factories import demo_delivery, make_complaint, make_email_account
from complaint_handling.tests.test_workflow import act

USERS = {
	"Complaint Clerk": f"clerk@{demo.EMAIL_DOMAIN}",
	"Complaint Coordinator": f"coordinator@{demo.EMAIL_DOMAIN}",
	"Marketing Director": f"director@{demo.EMAIL_DOMAIN}",
	"General Manager": f"gm@{demo.EMAIL_DOMAIN}",
	"Quality Manager": f"quality@{demo.EMAIL_DOMAIN}",
}
REGION_MANAGER = demo.TERRITORIES[0].manager_email  # East Region


@unittest.skipIf(missing_browser(), missing_browser() or "")
class TestRolesInTheBrowser(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		from playwright.sync_api import sync_playwright

		cls.delivery = demo_delivery(1)  # East Region customer 2 and its delivered pump
		make_email_account()  # a live site sends the acknowledgement; without an account Frappe pops a warning
		cls.service_head = demo.DEPARTMENT_HEADS[0][1]
		frappe.db.commit()
		cls.created: list[tuple[str, str]] = []
		cls.site = served_site()
		cls.base = cls.site.__enter__()
		cls.playwright = sync_playwright().start()
		cls.browser = cls.playwright.chromium.launch(executable_path=chromium_path(), args=["--no-sandbox"])
		cls.desks: dict[str, Desk] = {}

	@classmethod
	def tearDownClass(cls):
		for desk in cls.desks.values():
			desk.close()
		cls.browser.close()
		cls.playwright.stop()
		cls.site.__exit__(None, None, None)
		frappe.db.commit()
		for doctype, name in reversed(cls.created):
			if frappe.db.exists(doctype, name):
				frappe.db.set_value(doctype, name, "docstatus", 2)  # submitted documents cannot be deleted
				frappe.delete_doc(doctype, name, force=True, ignore_permissions=True)
		frappe.db.commit()
		super().tearDownClass()

	# helpers -------------------------------------------------------------------------------------

	def desk(self, user: str) -> Desk:
		if user not in self.desks:
			self.desks[user] = Desk(self.browser, self.base, user, demo.DEMO_PASSWORD)
		return self.desks[user]

	def setUp(self):
		for desk in self.desks.values():
			desk.problems.clear()

	def assert_clean(self) -> None:
		problems = [p for desk in self.desks.values() for p in desk.problems]
		self.assertEqual(problems, [])

	def next_actor(self, desk: Desk, doctype: str, name: str) -> str:
		"""The user the form names as next (or the demo holder of the role it names), who holds a ToDo."""
		doc = desk.doc()
		user = doc.get("waiting_for_user") or USERS[doc["waiting_for"]]
		frappe.db.commit()  # a fresh snapshot: the browser's requests committed in other processes
		self.assertTrue(
			frappe.db.exists(
				"ToDo",
				{"reference_type": doctype, "reference_name": name, "allocated_to": user, "status": "Open"},
			),
			f"{user} should be assigned {doctype} {name} ({doc['status']}, waiting for {doc['waiting_for']})",
		)
		self.assertIn("Waiting for", desk.headline())
		# what the user sees: whose move it is, and the state the complaint or memo is in
		desk.see(f"Waiting for {doc['waiting_for']}", within=".form-message")
		desk.see(doc["workflow_state"], within=".page-head")
		return user

	def open_todos(self, doctype: str, name: str) -> set[str]:
		frappe.db.commit()
		return set(
			frappe.get_all(
				"ToDo",
				filters={"reference_type": doctype, "reference_name": name, "status": "Open"},
				pluck="allocated_to",
			)
		)

	def register(self, category: str, subject: str, employee: str | None = None) -> str:
		clerk = self.desk(USERS["Complaint Clerk"])
		clerk.open("customer-complaint/new")
		clerk.set_link("customer", self.delivery.customer)
		clerk.set_link("contact", "Buyer", pick=self.delivery.customer)
		clerk.set_link("category", category)
		clerk.set_text("subject", subject)
		clerk.set_link("item", self.delivery.item)
		clerk.set_link("serial_no", self.delivery.serial_no)
		if employee:
			clerk.set_link("complained_employee", employee)
		clerk.save()
		name = clerk.doc()["name"]
		self.created.append(("Customer Complaint", name))
		clerk.see(f"Waiting for {clerk.doc()['waiting_for']}", within=".form-message")
		clerk.shot("walk-clerk-registered-en-desktop")
		self.assertEqual(clerk.doc()["contact"] and clerk.doc()["serial_no"], self.delivery.serial_no)
		self.assertEqual(clerk.doc()["waiting_for"], "Complaint Clerk")
		# Confirm ▸ Record Read-back, over HTTP the way the button calls it
		clerk.button("Record Read-back", group="Confirm")
		clerk.page.locator(".modal.show .btn-primary").first.click()
		clerk.idle()
		clerk.page.wait_for_function("() => cur_frm.doc.confirmation_status === 'Confirmed'")
		self.assertEqual(clerk.doc()["waiting_for"], "Complaint Coordinator")
		return name

	def act(self, user: str, route: str, action: str) -> Desk:
		desk = self.desk(user)
		desk.open(route)
		self.assertIn(action, desk.actions(), f"{user} should be offered {action} on {route}")
		desk.action(action)
		return desk

	def write_memo(self, handler: str, complaint: str) -> str:
		desk = self.desk(handler)
		desk.open(f"customer-complaint/{complaint}")
		desk.button("Memo", group="Create")
		desk.page.wait_for_function("() => cur_frm.doctype === 'Complaint Memo'")
		desk.idle()
		self.assertEqual(desk.doc()["complaint"], complaint)
		company = frappe.db.get_value("Employee", {"user_id": REGION_MANAGER}, "company")
		department = frappe.db.get_value(
			"Department", {"complaint_head": self.service_head, "company": company}, "name"
		)
		desk.set_link("to_department", department)
		desk.set_editor("description", "Please check the delivery record and answer the customer's points.")
		desk.save()
		memo = desk.doc()["name"]
		self.created.insert(0, ("Complaint Memo", memo))
		self.assertEqual(desk.doc()["department_head"], self.service_head)
		return memo

	def run_memo(self, memo: str) -> None:
		route = f"complaint-memo/{memo}"
		desk = self.act(USERS["Complaint Coordinator"], route, "Dispatch")
		head = self.next_actor(desk, "Complaint Memo", memo)
		desk = self.desk(head)
		desk.open(route)
		desk.set_editor("reply", "Checked: the delivery was late because of the carrier; we apologise.")
		desk.save()
		desk.action("Reply")
		self.assertEqual(self.next_actor(desk, "Complaint Memo", memo), head)
		desk.action("Sign")
		approver = self.next_actor(desk, "Complaint Memo", memo)
		desk = self.act(approver, route, "Approve")
		closer = self.next_actor(desk, "Complaint Memo", memo)
		desk = self.act(closer, route, "Close")
		self.assertEqual(desk.doc()["status"], "Closed")
		self.assertEqual(self.open_todos("Complaint Memo", memo), set())

	def propose(self, handler: str, complaint: str, amount: int) -> Desk:
		desk = self.desk(handler)
		desk.open(f"customer-complaint/{complaint}")
		desk.set_text("amount_at_stake", str(amount))
		desk.set_editor("proposal", "Refund the freight and replace the pump.")
		desk.save()
		desk.action("Propose")
		self.assertEqual(desk.doc()["status"], "Proposed")
		return desk

	def reply_and_close(self, complaint: str) -> None:
		route = f"customer-complaint/{complaint}"
		desk = self.act(USERS["Complaint Clerk"], route, "Reply to Customer")
		self.assertEqual(desk.doc()["status"], "Replied")
		closer = self.next_actor(desk, "Customer Complaint", complaint)
		desk = self.act(closer, route, "Close")
		self.assertEqual(desk.doc()["status"], "Closed")
		self.assertEqual(self.open_todos("Customer Complaint", complaint), set())

	# the three categories ------------------------------------------------------------------------

	def test_policy_complaint_with_director_and_general_manager(self):
		name = self.register("Policy / Customer Service", "Late delivery, wrong invoice address")
		route = f"customer-complaint/{name}"
		desk = self.act(USERS["Complaint Coordinator"], route, "Dispatch")
		handler = self.next_actor(desk, "Customer Complaint", name)
		self.assertEqual(handler, REGION_MANAGER)
		memo = self.write_memo(handler, name)
		desk = self.propose(handler, name, 60_000)
		self.assertEqual(self.next_actor(desk, "Customer Complaint", name), USERS["Marketing Director"])
		desk = self.act(USERS["Marketing Director"], route, "Approve")
		self.assertEqual(desk.doc()["waiting_for"], "General Manager")  # the form says who is next
		self.assertEqual(self.next_actor(desk, "Customer Complaint", name), USERS["General Manager"])
		desk = self.act(USERS["General Manager"], route, "Approve")
		self.assertEqual(desk.doc()["status"], "Approved")
		self.assertIn("Refund the freight", desk.doc()["decision"])
		self.assertEqual(self.next_actor(desk, "Customer Complaint", name), USERS["Complaint Clerk"])
		# the memo is still open: closing is refused, with the reason
		desk = self.act(USERS["Complaint Clerk"], route, "Reply to Customer")
		self.assertIn(memo, " ".join(desk.refused_action("Close")))
		self.run_memo(memo)
		desk = self.act(self.next_actor(desk, "Customer Complaint", name), route, "Close")
		self.assertEqual(desk.doc()["status"], "Closed")
		self.assert_clean()

	def test_staff_conduct_complaint_handled_by_the_superior(self):
		driver = frappe.db.get_value("Employee", {"first_name": "Demo", "last_name": "Driver"}, "name")
		name = self.register("Staff Conduct", "Driver was rude at delivery", employee=driver)
		route = f"customer-complaint/{name}"
		desk = self.act(USERS["Complaint Coordinator"], route, "Dispatch")
		superior = self.next_actor(desk, "Customer Complaint", name)
		self.assertEqual(superior, REGION_MANAGER)  # the driver reports to the East region manager
		memo = self.write_memo(superior, name)
		desk = self.propose(superior, name, 1_000)
		# inside the superior's authority: the coordinator accepts the proposal, and is told so
		self.assertEqual(desk.doc()["waiting_for"], "Complaint Coordinator")
		self.next_actor(desk, "Customer Complaint", name)
		self.act(USERS["Complaint Coordinator"], route, "Accept Proposal")
		self.run_memo(memo)
		self.reply_and_close(name)
		self.assert_clean()

	def test_product_quality_complaint_approved_by_the_director_and_seen_by_qa(self):
		name = self.register("Product Quality", "Pump leaks after a week")
		route = f"customer-complaint/{name}"
		desk = self.act(USERS["Complaint Coordinator"], route, "Dispatch")
		handler = self.next_actor(desk, "Customer Complaint", name)
		memo = self.write_memo(handler, name)
		desk = self.propose(handler, name, 2_000)
		approver = self.next_actor(desk, "Customer Complaint", name)
		self.assertEqual(approver, USERS["Marketing Director"])  # every quality complaint needs the director
		self.act(approver, route, "Approve")
		qa = self.desk(USERS["Quality Manager"])
		qa.open(route)
		self.assertEqual(qa.doc()["category"], "Product Quality")
		self.assertEqual(qa.doc()["serial_no"], self.delivery.serial_no)
		self.run_memo(memo)
		self.reply_and_close(name)
		self.assert_clean()

	# what each role sees, in English and Chinese, on a phone and a desktop ---------------------------------

	def test_each_roles_main_screens_in_english_and_chinese_on_phone_and_desktop(self):
		"""The screen a role works from at its step — the complaint list (clerk), the complaint waiting for
		the coordinator, the region manager (handler) and the director — shows its rows, the state and whose
		move it is, visibly, in both languages and at both sizes; screenshots of each are saved."""
		from frappe import _

		complaint = make_complaint(
			customer=self.delivery.customer,
			subject="Screens: the pump hums at night",
			unconfirmed_reason="Screens test",
		)
		frappe.db.commit()
		self.created.append(("Customer Complaint", complaint.name))
		route = f"customer-complaint/{complaint.name}"
		steps = (
			("clerk", USERS["Complaint Clerk"], None),
			("coordinator", USERS["Complaint Coordinator"], None),
			("region-manager", REGION_MANAGER, (USERS["Complaint Coordinator"], "Dispatch", {})),
			(
				"director",
				USERS["Marketing Director"],
				(REGION_MANAGER, "Propose", {"proposal": "Refund the freight.", "amount_at_stake": 60_000}),
			),
		)
		for role, user, move in steps:
			if move:
				act(move[0], frappe.get_doc("Customer Complaint", complaint.name), move[1], **move[2])
				frappe.db.commit()
			doc = frappe.get_doc("Customer Complaint", complaint.name)
			for lang in ("en", "zh"):
				with language(user, lang):
					desk = Desk(self.browser, self.base, user, demo.DEMO_PASSWORD, screen=PHONE)
					try:
						for size, screen in (("phone", PHONE), ("desktop", DESKTOP)):
							desk.page.set_viewport_size(screen["viewport"])
							if role == "clerk":  # the list the clerk works from: the complaint's row
								desk.page.goto(f"{self.base}/app/customer-complaint?name={complaint.name}")
								desk.see(
									complaint.subject, within=".result"
								)  # its title (the name column is desktop-only)
								desk.see(_(doc.workflow_state, lang), within=".result")
								desk.shot(f"{role}-complaint-list-{lang}-{size}")
							desk.open(route)
							message = ".form-message"
							desk.see(_("Waiting for {0}", lang).split("{0}")[0].strip(), within=message)
							desk.see(_(doc.waiting_for, lang), within=message)
							desk.see(_(doc.workflow_state, lang), within=".page-head")
							desk.shot(f"{role}-complaint-{lang}-{size}")
						self.assertEqual(desk.problems, [])
					finally:
						desk.close()
