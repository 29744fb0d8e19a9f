"""Tier 2, in a real browser: a System Manager brings the paper history in through ERPNext's Data Import screen —
new import, Customer Complaint, the file attached, Start Import — and reads which rows failed and why.

No JavaScript error, no HTTP 5xx and no permission dialog may occur on the way.
"""

import unittest
from datetime import timedelta

import frappe
from frappe.installer import update_site_config
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_days, getdate, now_datetime
from frappe.utils.password import update_password

from complaint_handling.intake import received_weeks
from complaint_handling.tests.browser import Desk, missing_browser, start_browser, stop_browser
from complaint_handling.tests.factories import demo_delivery, make_user, remove_complaint
from complaint_handling.tests.test_history_import import ADMIN, HEADERS, PASSWORD
from complaint_handling.tests.utils import run_background_jobs

SUBJECT = "Paper history in the browser: the lid does not close"


@unittest.skipIf(missing_browser(), missing_browser() or "")
class TestHistoryImportInTheBrowser(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		make_user(ADMIN, ["System Manager"])
		update_password(ADMIN, PASSWORD)
		cls.delivery = demo_delivery(2)
		frappe.db.commit()
		start_browser(cls)

	@classmethod
	def tearDownClass(cls):
		stop_browser(cls)
		frappe.set_user("Administrator")
		frappe.db.rollback()
		for name in frappe.get_all("Customer Complaint", {"subject": SUBJECT}, pluck="name"):
			remove_complaint(name)
		for name in frappe.get_all("Data Import", {"owner": ADMIN}, pluck="name"):
			frappe.delete_doc("Data Import", name, force=True, ignore_permissions=True)
		received_weeks.rebuild()
		frappe.db.commit()
		super().tearDownClass()

	def csv(self) -> bytes:
		received = (now_datetime() - timedelta(days=20)).strftime("%Y-%m-%d %H:%M:%S")
		good = {
			"Customer": self.delivery.customer,
			"Category": "Product Quality",
			"Subject": SUBJECT,
			"Channel": "Phone",
			"Received On": received,
			"Item": "",
			"Batch No": "",
			"Handling Department": "",
			"Decision Communicated to Customer": "Lid replaced",
			"Imported History": "1",
			"Closed On": str(add_days(getdate(), -10)),
			"Determination (History)": "Obvious Quality Defect",
			"Paid By (History)": "Company",
			"Cost to the Company (History)": "60",
			"Satisfaction": "80",
		}
		bad = {**good, "Closed On": str(add_days(getdate(), -40))}  # before it was received
		lines = [",".join(HEADERS)] + [",".join(str(row[h]) for h in HEADERS) for row in (good, bad)]
		return ("\n".join(lines) + "\n").encode()

	def test_the_system_manager_imports_the_paper_history_and_reads_the_failed_row(self):
		desk = Desk(self.browser, self.base, ADMIN, PASSWORD)
		try:
			desk.open("data-import/new")
			desk.set_link("reference_doctype", "Customer Complaint")
			desk.control("import_type").locator("select").select_option("Insert New Records")
			desk.idle()
			desk.save()
			name = desk.doc()["name"]
			# the file, as the screen takes it: Attach, choose the file, Upload
			desk.reveal("import_file")
			desk.control("import_file").locator("button").first.click()
			uploader = desk.page.locator(".modal.show .file-uploader").first
			uploader.wait_for()
			uploader.locator("input[type=file]").set_input_files(
				files=[{"name": "paper-history.csv", "mimeType": "text/csv", "buffer": self.csv()}]
			)
			desk.page.locator(".modal.show .btn-primary:has-text('Upload')").first.click()
			desk.idle()
			desk.page.wait_for_function("() => cur_frm.doc.import_file && !cur_frm.is_dirty()")
			desk.idle()
			desk.see("Start Import", within=".page-actions")
			desk.shot("history-import-preview")
			# a live site's scheduler runs; the test site's is paused and off, except for this click
			enabled = frappe.db.get_single_value("System Settings", "enable_scheduler")
			frappe.db.set_single_value("System Settings", "enable_scheduler", 1)
			frappe.db.commit()
			update_site_config("pause_scheduler", 0)
			try:
				desk.here(".page-actions .primary-action").filter(has_text="Start Import").first.click()
				desk.idle()
			finally:
				update_site_config("pause_scheduler", 1)
				frappe.db.set_single_value("System Settings", "enable_scheduler", enabled)
				frappe.db.commit()
			run_background_jobs()  # the import runs in the worker, as on a live site
			frappe.db.commit()
			self.assertEqual(frappe.db.get_value("Data Import", name, "status"), "Partial Success")
			desk.reload()
			desk.idle()
			# what the System Manager reads: the status, and the failed row with the field and why
			desk.see("Partial Success")
			desk.see("cannot be before the complaint was received")
			desk.shot("history-import-log")
			stored = frappe.get_all(
				"Customer Complaint",
				{"subject": SUBJECT},
				["historical", "docstatus", "status", "historical_determination"],
			)
			self.assertEqual(
				[tuple(row.values()) for row in stored], [(1, 1, "Closed", "Obvious Quality Defect")]
			)
			self.assertEqual(desk.problems, [])
		finally:
			desk.close()
