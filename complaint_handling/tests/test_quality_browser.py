"""Tier 2, in a real browser: one product-quality complaint walked from the region manager's inspection on a
phone at the customer's site — with a photo from the phone — through the director, the goods return the
warehouse submits, QA's verdict and the second approval, to the free replacement the warehouse ships.

No JavaScript error, no HTTP 5xx, no 403 from the API and no permission dialog may occur on the way.
"""

import io
import unittest

import frappe
from frappe.tests.utils import FrappeTestCase

from complaint_handling.setup import demo
from complaint_handling.tests.browser import Desk, chromium_path, missing_browser, served_site
from complaint_handling.tests.factories import demo_delivery, make_complaint, spare_pump
from complaint_handling.tests.test_defect_inspection import PNG

REGION_MANAGER = demo.TERRITORIES[0].manager_email
DIRECTOR, QA, WAREHOUSE = (f"{login}@{demo.EMAIL_DOMAIN}" for login in ("director", "quality", "warehouse"))
SPARE = "PUMP-SPARE-00002"


@unittest.skipIf(missing_browser(), missing_browser() or "")
class TestQualityPathInTheBrowser(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		from playwright.sync_api import sync_playwright

		cls.delivery = demo_delivery(1)
		cls.stores = spare_pump(SPARE)
		# the demo pump is months old: its exchange is taken as within the three-guarantee window
		cls.exchange_days = frappe.db.get_single_value("Complaint Settings", "exchange_days")
		frappe.db.set_single_value("Complaint Settings", "exchange_days", 100_000)
		cls.complaint = make_complaint(
			customer=cls.delivery.customer,
			category="Product Quality",
			subject="Pump stops after an hour",
			serial_no=cls.delivery.serial_no,
			delivery_note=cls.delivery.delivery_note,
		)
		frappe.db.commit()
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
		frappe.set_user("Administrator")
		frappe.db.rollback()
		inspections = frappe.get_all(
			"Defect Inspection", filters={"complaint": cls.complaint.name}, pluck="name"
		)
		for doctype in ("Delivery Note", "Stock Entry", "Sales Invoice"):
			for name in frappe.get_all(
				doctype,
				filters={"defect_inspection": ["in", inspections or [""]]},
				order_by="creation desc",
				pluck="name",
			):
				doc = frappe.get_doc(doctype, name)
				if doc.docstatus == 1:
					doc.cancel()
				frappe.delete_doc(doctype, name, force=True, ignore_permissions=True)
		for name in inspections:
			frappe.delete_doc("Defect Inspection", name, force=True, ignore_permissions=True)
		frappe.delete_doc("Customer Complaint", cls.complaint.name, force=True, ignore_permissions=True)
		frappe.db.set_single_value("Complaint Settings", "exchange_days", cls.exchange_days)
		frappe.db.commit()
		super().tearDownClass()

	def desk(self, user: str, phone: bool = False) -> Desk:
		if user not in self.desks:
			self.desks[user] = Desk(self.browser, self.base, user, demo.DEMO_PASSWORD, phone=phone)
		return self.desks[user]

	def act(self, user: str, route: str, action: str) -> Desk:
		desk = self.desk(user)
		desk.open(route)
		self.assertIn(action, desk.actions(), f"{user} should be offered {action} on {route}")
		desk.action(action)
		return desk

	def status(self, desk: Desk) -> str:
		desk.reload()
		return desk.doc()["status"]

	def test_from_the_phone_at_the_customer_to_the_replacement(self):
		# the region manager, on a phone at the customer's site
		rm = self.desk(REGION_MANAGER, phone=True)
		rm.open(f"customer-complaint/{self.complaint.name}")
		rm.button("Defect Inspection", group="Create")
		rm.page.wait_for_function("() => cur_frm && cur_frm.doctype === 'Defect Inspection'")
		rm.idle()
		self.assertEqual(rm.doc()["complaint"], self.complaint.name)
		rm.reveal("arrived_at")
		rm.control("arrived_at").locator("input").first.click()
		rm.page.locator(".datepicker.active .datepicker--button[data-action='today']").first.click()
		rm.page.keyboard.press("Escape")
		rm.set_editor("findings", "Impeller jammed; housing scratched.")
		rm.save()
		name = rm.doc()["name"]

		# a photo: the row's uploader offers the phone's camera and takes an image file
		rm.reveal("photos")
		rm.control("photos").locator(".grid-add-row").first.click()
		rm.idle()
		rm.page.locator(".grid-row-open .frappe-control[data-fieldname='photo'] button").first.click()
		uploader = rm.page.locator(".modal.show .file-uploader").first
		uploader.wait_for()
		self.assertTrue(uploader.locator("button:has-text('Camera')").count(), "the Camera is offered")
		self.assertEqual(uploader.locator("input[type=file]").get_attribute("accept"), "image/*")
		uploader.locator("input[type=file]").set_input_files(
			files=[{"name": "site.png", "mimeType": "image/png", "buffer": io.BytesIO(PNG).getvalue()}]
		)
		rm.page.locator(".modal.show .btn-primary:has-text('Upload')").first.click()
		rm.idle()
		rm.page.wait_for_function("() => (cur_frm.doc.photos || []).length && cur_frm.doc.photos[0].photo")
		rm.page.keyboard.press("Escape")
		rm.reveal("determination")
		rm.control("determination").locator("select").select_option("Cannot Be Determined")
		rm.idle()
		rm.save()
		stored = frappe.get_doc("Defect Inspection", name)
		self.assertEqual(
			(stored.determination, stored.photos[0].taken_by), ("Cannot Be Determined", REGION_MANAGER)
		)
		self.assertTrue(stored.photos[0].photo.startswith("/private/files/"))
		rm.shot("walk-region-manager-inspection-en-phone")
		rm.action("Submit for Approval")
		self.assertEqual(self.status(rm), "Director Review")
		rm.see("Director Review", within=".page-head")

		route = f"defect-inspection/{name}"
		self.act(DIRECTOR, route, "Approve")
		self.act(REGION_MANAGER, route, "Return Goods")
		rm.button("Goods Return", group="Create")
		rm.page.wait_for_function("() => cur_frm && cur_frm.doctype === 'Delivery Note'")
		rm.idle()
		goods_return = rm.doc()["name"]
		self.assertEqual(rm.doc()["is_return"], 1)

		# the warehouse submits the return in its own screen
		warehouse = self.desk(WAREHOUSE)
		self.submit(warehouse, f"delivery-note/{goods_return}")

		qa = self.act(QA, route, "Start QA Review")
		qa.reveal("qa_determination")
		qa.control("qa_determination").locator("select").select_option("Obvious Quality Defect")
		qa.set_text("root_cause", "Impeller tolerance")
		qa.reveal("remedy")
		qa.control("remedy").locator("select").select_option("Exchange")
		qa.set_text("customer_proposal", "Free exchange.")
		qa.set_text("corrective_action", "Tighten impeller tolerance.")
		qa.save()
		qa.action("Propose")
		self.assertEqual(self.status(qa), "Proposal Review")
		rm = self.act(REGION_MANAGER, route, "Approve Proposal")
		rm.button("Replacement", group="Create")
		rm.page.wait_for_function(
			"() => cur_frm && cur_frm.doctype === 'Delivery Note' && !cur_frm.doc.is_return"
		)
		rm.idle()
		replacement = rm.doc()["name"]
		self.submit(warehouse, f"delivery-note/{replacement}")

		frappe.db.commit()
		self.assertEqual(
			frappe.db.get_value(
				"Delivery Note", replacement, ["docstatus", "customer", "grand_total"], as_dict=True
			),
			{"docstatus": 1, "customer": self.delivery.customer, "grand_total": 0},
		)
		self.assertEqual(
			frappe.db.get_value("Serial No", self.delivery.serial_no, "warehouse"),
			frappe.db.get_single_value("Complaint Settings", "qa_hold_warehouse"),
		)
		shipped = frappe.get_all(
			"Stock Ledger Entry",
			filters={"voucher_no": replacement, "is_cancelled": 0},
			fields=["item_code", "warehouse", "actual_qty"],
		)
		self.assertEqual(
			[(e.item_code, e.warehouse, e.actual_qty) for e in shipped],
			[(self.delivery.item, self.stores, -1)],
		)
		problems = [p for desk in self.desks.values() for p in desk.problems]
		self.assertEqual(problems, [])

	def submit(self, desk: Desk, route: str) -> None:
		desk.open(route)
		desk.here(".page-actions .primary-action").filter(has_text="Submit").first.click()
		desk.page.locator(".modal.show .btn-primary:has-text('Yes')").first.click()
		desk.idle()
		desk.page.wait_for_function("() => cur_frm.doc.docstatus === 1")
		desk.check_dialogs()
