"""Tier 2, in a real browser on a phone screen: a customer's portal user does their whole part.

They log in, submit a complaint about a pump delivered to them with a photo, confirm the registered record,
later see the company's decision, dispute it, and after the final ruling closes the complaint rate the
handling. The company's steps in between are taken as the desk takes them (tested in the browser by
test_browser.py). No JavaScript error and no HTTP 5xx may occur on the way.
"""

import re
import unittest

import frappe
from frappe.utils.password import update_password

from complaint_handling.setup import demo
from complaint_handling.tests.browser import (
	DESKTOP,
	PHONE,
	assert_visible_text,
	chromium_path,
	missing_browser,
	screenshot,
	served_site,
)
from complaint_handling.tests.factories import (
	demo_delivery,
	make_complaint,
	make_portal_user,
	remove_complaint,
)
from complaint_handling.tests.test_customer_side import png
from complaint_handling.tests.test_workflow import EAST_MANAGER, WorkflowTestCase, act

CUSTOMER_USER = "phone.buyer@customers.example.com"


def help_article(title: str, category: str) -> str:
	"""A published Help Article tagged with a complaint category (the knowledge base)."""
	if name := frappe.db.get_value("Help Article", {"title": title}):
		return name
	if not frappe.db.exists("Help Category", "Pumps"):
		frappe.get_doc({"doctype": "Help Category", "category_name": "Pumps", "published": 1}).insert()
	return (
		frappe.get_doc(
			{
				"doctype": "Help Article",
				"title": title,
				"category": frappe.db.get_value("Help Category", {"category_name": "Pumps"}),
				"published": 1,
				"content": "<p>Let it cool down and clean the vents.</p>",
				"complaint_category": category,
			}
		)
		.insert(ignore_permissions=True)
		.name
	)


@unittest.skipIf(missing_browser(), missing_browser() or "")
class TestCustomerInTheBrowser(WorkflowTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		from playwright.sync_api import sync_playwright

		cls.delivery = demo_delivery(2)
		make_portal_user(CUSTOMER_USER, cls.delivery.customer)
		cls.article = help_article("Pump stops when it overheats", "Product Quality")
		update_password(CUSTOMER_USER, demo.DEMO_PASSWORD)
		frappe.db.commit()
		cls.site = served_site()
		cls.base = cls.site.__enter__()
		cls.playwright = sync_playwright().start()
		cls.browser = cls.playwright.chromium.launch(executable_path=chromium_path(), args=["--no-sandbox"])
		cls.context = cls.browser.new_context(**PHONE, locale="en-US")
		cls.page = cls.context.new_page()
		cls.page.set_default_timeout(30_000)
		cls.problems: list[str] = []
		cls.page.on("pageerror", lambda error: cls.problems.append(f"JavaScript error: {error}"))
		cls.page.on(
			"response",
			lambda r: cls.problems.append(f"HTTP {r.status} {r.url}") if r.status >= 500 else None,
		)
		cls.name = None

	@classmethod
	def tearDownClass(cls):
		cls.context.close()
		cls.browser.close()
		cls.playwright.stop()
		cls.site.__exit__(None, None, None)
		frappe.db.commit()
		frappe.delete_doc(
			"Help Article", cls.article, force=True, ignore_permissions=True
		)  # others rank articles
		if cls.name:
			frappe.db.delete("Quality Feedback", {"customer_complaint": cls.name})
			frappe.db.delete("File", {"attached_to_name": cls.name})
			remove_complaint(cls.name)
			frappe.db.commit()
		super().tearDownClass()

	def staff(self, user: str, action: str, **fields) -> None:
		"""The company's step, committed so the served site sees it."""
		act(user, frappe.get_doc("Customer Complaint", self.name), action, **fields)
		frappe.db.commit()

	def stored(self, field: str):
		"""What the served site has written (a new transaction, so not this one's snapshot)."""
		frappe.db.rollback()
		return frappe.db.get_value("Customer Complaint", self.name, field)

	def open(self, path: str) -> None:
		self.page.goto(f"{self.base}{path}")
		self.page.wait_for_load_state("networkidle")

	def click_and_reload(self, selector: str) -> None:
		self.see_element(selector)
		with self.page.expect_navigation():
			self.page.click(selector)
		self.page.wait_for_load_state("networkidle")

	def see(self, *texts: str, within: str | None = None) -> None:
		for text in texts:
			assert_visible_text(self.page, text, within)

	def see_element(self, selector: str) -> None:
		"""The button or field the customer is about to use is on screen: its label is visible."""
		label = self.page.locator(selector).first.inner_text().strip()
		if label:
			self.see(label)

	def test_submit_confirm_dispute_and_rate_on_a_phone(self):
		page = self.page
		# log in as the customer's portal user
		self.open("/login")
		page.fill("#login_email", CUSTOMER_USER)
		page.fill("#login_password", demo.DEMO_PASSWORD)
		page.click(".btn-login")
		page.wait_for_url(re.compile(r".*/(me|complaints|app).*"))

		# submit: what was delivered to them, a description and a photo
		self.open("/complaints")
		screenshot(page, "walk-customer-complaints-en-phone")
		self.see_element('a[href="/complaints/new"]')
		page.click('a[href="/complaints/new"]')
		page.wait_for_load_state("networkidle")
		page.select_option("#category", "Product Quality")
		# a first-line answer is offered before they submit
		page.locator("#help-articles a", has_text="Pump stops when it overheats").wait_for()
		serial_option = page.locator("#delivered option", has_text=self.delivery.serial_no)
		page.select_option("#delivered", label=serial_option.inner_text().strip())
		page.fill("#subject", "Pump stops after ten minutes")
		page.fill("#description", "It runs, then stops; the housing gets hot.")
		page.set_input_files(
			"#photos", files=[{"name": "pump.png", "mimeType": "image/png", "buffer": png()}]
		)
		with page.expect_navigation(url=re.compile(r".*/complaints/CC-.*")):
			page.click("#submit-complaint")
		page.wait_for_load_state("networkidle")
		name = page.url.rsplit("/", 1)[1]
		type(self).name = name
		frappe.db.commit()
		stored = frappe.db.get_value(
			"Customer Complaint", name, ["customer", "serial_no", "channel", "item"], as_dict=True
		)
		self.assertEqual(
			(stored.customer, stored.serial_no, stored.channel),
			(self.delivery.customer, self.delivery.serial_no, "Portal"),
		)
		self.assertIn("pump", page.locator("#complaint-photos").inner_text())
		self.see(name, "Registered")
		screenshot(page, "walk-customer-complaint-registered-en-phone")

		# their list shows it: name, subject and status, visibly; the row opens it
		self.open("/complaints")
		row = ".transaction-list-item"
		self.see(name, "Pump stops after ten minutes", "Registered", within=row)
		with page.expect_navigation(url=re.compile(f".*/complaints/{name}$")):
			page.locator(row, has_text=name).first.click()
		page.wait_for_load_state("networkidle")

		# confirm the registered record
		self.click_and_reload("#confirm-record")
		self.assertEqual(page.locator("#confirm-record").count(), 0)
		self.assertEqual(self.stored("confirmation_status"), "Confirmed")

		# the company handles and replies; the customer sees the decision
		self.staff(self.clerk, "Dispatch")
		handler = frappe.db.get_value("Customer Complaint", name, "handler") or EAST_MANAGER
		self.staff(handler, "Propose", proposal="We replace the pump's motor on site.")
		for _step in range(3):
			complaint = frappe.get_doc("Customer Complaint", name)
			if complaint.status != "Proposed":
				break
			party = complaint.pending_approver
			if not party:
				self.staff(self.coordinator, "Accept Proposal")
			else:
				user = {
					"Marketing Director": self.director,
					"General Manager": self.gm,
					"Region Manager": EAST_MANAGER,
				}[party]
				self.staff(user, "Approve")
		self.staff(self.clerk, "Reply to Customer")
		self.open(f"/complaints/{name}")
		self.assertIn("We replace the pump's motor on site.", page.inner_text("body"))
		self.see("We replace the pump's motor on site.", "Replied")
		screenshot(page, "walk-customer-decision-en-phone")

		# they dispute it, with their reason
		self.see("Customer's Reason for Disputing")
		page.fill("#dispute-reason", "A new motor is not enough: we want a new pump.")
		self.click_and_reload("#dispute-decision")
		self.assertIn("Disputed", page.inner_text("body"))
		self.see("Disputed")
		self.assertEqual(self.stored("customer_response"), "Disputed")

		# HQ rules finally; the complaint closes; they rate the handling
		self.staff(self.clerk, "Record Dispute")
		self.staff(self.director, "Final Ruling", final_ruling="A new pump, delivered free of charge.")
		self.open(f"/complaints/{name}")
		self.assertIn("A new pump, delivered free of charge.", page.inner_text("body"))
		self.see("A new pump, delivered free of charge.", "Closed")
		self.see_element("#rate-handling")
		page.click("#rate-handling")
		page.wait_for_load_state("networkidle")
		for fieldset in page.locator("fieldset[data-question]").all():
			fieldset.locator('input[value="4"]').check()
		page.fill("#comment", "The final answer was fair.")
		self.see_element("#send-survey")
		page.click("#send-survey")
		page.wait_for_function("() => document.getElementById('result').innerText.length > 0")
		self.see(page.locator("#result").inner_text().strip())
		screenshot(page, "walk-customer-survey-sent-en-phone")
		self.assertEqual(self.stored("satisfaction_score"), 80.0)
		self.assertEqual(self.problems, [])

	def test_the_list_and_the_complaint_are_seen_in_english_and_chinese_on_phone_and_desktop(self):
		"""Every width shows the customer's rows; and a row whose content sits inside ERPNext's invisible row
		link (as /complaints once rendered it: `a.transaction-item-link` is opacity 0) is caught as unseen."""
		from frappe import _

		complaint = make_complaint(customer=self.delivery.customer, subject="Screens: the lid cracked")
		frappe.db.commit()
		self.addCleanup(remove_complaint, complaint.name)
		context = self.browser.new_context(**PHONE, locale="en-US")
		self.addCleanup(context.close)
		page = context.new_page()
		page.set_default_timeout(30_000)
		page.goto(f"{self.base}/login")
		page.fill("#login_email", CUSTOMER_USER)
		page.fill("#login_password", demo.DEMO_PASSWORD)
		page.click(".btn-login")
		page.wait_for_url(re.compile(r".*/(me|complaints|app).*"))
		for lang in ("en", "zh"):
			for size, screen in (("phone", PHONE), ("desktop", DESKTOP)):
				page.set_viewport_size(screen["viewport"])
				page.goto(f"{self.base}/complaints?_lang={lang}")
				page.wait_for_load_state("networkidle")
				row = ".transaction-list-item"
				assert_visible_text(page, complaint.name, within=row)
				assert_visible_text(page, complaint.subject, within=row)
				assert_visible_text(page, _(complaint.status, lang), within=row)
				screenshot(page, f"customer-complaints-{lang}-{size}")
				page.goto(f"{self.base}/complaints/{complaint.name}?_lang={lang}")
				page.wait_for_load_state("networkidle")
				assert_visible_text(page, complaint.subject)
				assert_visible_text(page, _(complaint.status, lang))
				assert_visible_text(page, _("Download PDF", lang))
				screenshot(page, f"customer-complaint-{lang}-{size}")
		# the row as it was: everything inside the link, which ERPNext's stylesheet makes invisible
		page.goto(f"{self.base}/complaints")
		page.evaluate(
			"""() => document.querySelector('.website-list .result').insertAdjacentHTML('beforeend',
			'<div class="web-list-item transaction-list-item"><a href="#" class="transaction-item-link">'
			+ '<div class="row"><div class="col-sm-3"><span class="list-item-name">CC-OLD-ROW</span></div>'
			+ '<div class="col-sm-5">A row nobody sees</div></div></a></div>')"""
		)
		with self.assertRaises(AssertionError) as caught:
			assert_visible_text(page, "A row nobody sees", timeout=0)
		self.assertIn("opacity", str(caught.exception))
		assert_visible_text(page, complaint.subject, within=".transaction-list-item")
