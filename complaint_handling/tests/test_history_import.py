"""Issue 27: the complaints already on paper, imported through ERPNext's Data Import as archived history — over
HTTP, as a System Manager uses it: good rows closed and counted, bad rows answered with row and field and
nothing kept of them, nothing routed, assigned, e-mailed, timed or surveyed; a new complaint is then found to
repeat an imported one, and the batch's failure rate and the department's strikes count the imported ones."""

import csv
import io
import json
from datetime import timedelta

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_days, getdate, now_datetime
from frappe.utils.password import update_password

from complaint_handling.customer.surveys import survey_scores
from complaint_handling.intake import received_weeks
from complaint_handling.quality.failure_rates import confirmed_defects
from complaint_handling.setup import demo
from complaint_handling.tests.factories import demo_delivery, make_user, remove_complaint
from complaint_handling.tests.test_quality_path import Desk

ADMIN = "history.admin@companies.example.com"
PASSWORD = "History#Import#2026"
CLERK = f"clerk@{demo.EMAIL_DOMAIN}"
SUBJECT = "Paper history: the filter housing cracked"
START = "/api/method/frappe.core.doctype.data_import.data_import.form_start_import"
HEADERS = (
	"Customer",
	"Category",
	"Subject",
	"Channel",
	"Received On",
	"Item",
	"Batch No",
	"Handling Department",
	"Decision Communicated to Customer",
	"Imported History",
	"Closed On",
	"Determination (History)",
	"Paid By (History)",
	"Cost to the Company (History)",
	"Satisfaction",
)


class TestHistoryImport(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		make_user(ADMIN, ["System Manager"])
		update_password(ADMIN, PASSWORD)
		frappe.db.commit()
		cls.admin = Desk(ADMIN, PASSWORD)
		cls.clerk = Desk(CLERK)
		cls.delivery = demo_delivery(2)
		cls.department = frappe.get_all("Department", filters={"is_group": 0}, pluck="name", limit=1)[0]

	def setUp(self):
		self.addCleanup(self.clean)
		self.clean()

	def clean(self):
		frappe.set_user("Administrator")
		frappe.db.rollback()
		for name in frappe.get_all(
			"Customer Complaint", {"subject": ["like", "Paper history%"]}, pluck="name"
		):
			remove_complaint(name)
		for name in frappe.get_all("Data Import", {"owner": ADMIN}, pluck="name"):
			frappe.delete_doc("Data Import", name, force=True, ignore_permissions=True)
		received_weeks.rebuild()
		frappe.db.commit()

	def ok(self, response, status: int = 200):
		self.assertEqual(response.status_code, status, response.get_data(as_text=True)[-1200:])
		frappe.db.commit()
		return response

	def row(self, received, closed, **values) -> dict:
		return {
			"Customer": self.delivery.customer,
			"Category": "Product Quality",
			"Subject": SUBJECT,
			"Channel": "Phone",
			"Received On": received.strftime("%Y-%m-%d %H:%M:%S"),
			"Item": demo.BATCH_ITEM,
			"Batch No": self.delivery.filter_batch,
			"Handling Department": self.department,
			"Decision Communicated to Customer": "Housing replaced at our cost",
			"Imported History": 1,
			"Closed On": closed.strftime("%Y-%m-%d"),
			"Determination (History)": "Obvious Quality Defect",
			"Paid By (History)": "Company",
			"Cost to the Company (History)": 180,
			"Satisfaction": 40,
			**values,
		}

	def import_rows(self, rows: list[dict]) -> str:
		"""Data Import as the System Manager uses it: a new import, its file attached, Start Import."""
		text = io.StringIO()
		writer = csv.DictWriter(text, fieldnames=HEADERS)
		writer.writeheader()
		writer.writerows(rows)
		made = self.ok(
			self.admin.post(
				"/api/resource/Data Import",
				{
					"data": json.dumps(
						{
							"reference_doctype": "Customer Complaint",
							"import_type": "Insert New Records",
							"mute_emails": 1,
						}
					)
				},
			)
		)
		name = made.json["data"]["name"]
		uploaded = self.ok(
			self.admin.post(
				"/api/method/upload_file",
				{
					"file": (io.BytesIO(text.getvalue().encode()), "paper-history.csv"),
					"is_private": "1",
					"doctype": "Data Import",
					"docname": name,
					"fieldname": "import_file",
				},
			)
		)
		self.ok(
			self.admin.put_resource(
				"Data Import", name, {"import_file": uploaded.json["message"]["file_url"]}
			)
		)
		# a live site's scheduler runs; the test site's is paused (scripts/test) and off, except for this click
		# in this process (Frappe refuses to start an import otherwise)
		from frappe.installer import update_site_config

		enabled, paused = (
			frappe.db.get_single_value("System Settings", "enable_scheduler"),
			frappe.conf.pause_scheduler,
		)
		frappe.db.set_single_value("System Settings", "enable_scheduler", 1)
		frappe.db.commit()
		update_site_config("pause_scheduler", 0)
		try:
			self.ok(self.admin.post(START, {"data_import": name}))
		finally:
			update_site_config("pause_scheduler", paused or 0)
			frappe.db.set_single_value("System Settings", "enable_scheduler", enabled)
			frappe.db.commit()
		from complaint_handling.tests.utils import run_background_jobs

		run_background_jobs()  # Frappe runs the import in its worker
		frappe.db.commit()
		return name

	def test_paper_history_is_imported_closed_counted_and_found_as_a_repeat(self):
		today = getdate()
		week_ago = now_datetime() - timedelta(days=7)
		batch = self.delivery.filter_batch
		defects_before = confirmed_defects().get(batch, 0)
		rows = [
			self.row(week_ago, add_days(today, -2)),  # good
			self.row(week_ago - timedelta(days=30), add_days(today, -60)),  # closed before it was received
			self.row(week_ago, add_days(today, -1), **{"Satisfaction": 150}),  # not a percentage
			self.row(  # good: an older one of another subject, misuse, the customer paid
				week_ago - timedelta(days=300),
				add_days(today, -290),
				**{
					"Subject": "Paper history: the float switch was forced",
					"Determination (History)": "Obvious Misuse",
					"Paid By (History)": "Customer",
					"Satisfaction": 90,
				},
			),
		]
		name = self.import_rows(rows)
		status = frappe.db.get_value("Data Import", name, "status")
		self.assertEqual(status, "Partial Success")
		logs = frappe.get_all(
			"Data Import Log",
			filters={"data_import": name},
			fields=["success", "row_indexes", "messages", "docname"],
			order_by="log_index",
		)
		failed = {json.loads(log.row_indexes)[0]: log.messages for log in logs if not log.success}
		# rows are counted from the header (row 1): the bad ones are rows 3 and 4, each naming its field
		self.assertEqual(sorted(failed), [3, 4])
		self.assertIn("Closed On", failed[3])
		self.assertIn("Satisfaction", failed[4])
		imported = [log.docname for log in logs if log.success]
		self.assertEqual(len(imported), 2)
		# nothing of a failed row was kept
		self.assertEqual(frappe.db.count("Customer Complaint", {"subject": ["like", "Paper history%"]}), 2)

		for complaint in imported:
			doc = frappe.get_doc("Customer Complaint", complaint)
			self.assertEqual(
				(doc.historical, doc.docstatus, doc.status, doc.workflow_state, doc.registration_followup),
				(1, 1, "Closed", "Closed", 0),
			)
			self.assertEqual(doc.company, frappe.db.get_single_value("Complaint Settings", "company"))
			# never routed, assigned, timed, e-mailed or surveyed
			self.assertFalse(
				frappe.db.exists(
					"ToDo", {"reference_type": "Customer Complaint", "reference_name": complaint}
				)
			)
			self.assertFalse(frappe.db.exists("Complaint SLA Clock", {"complaint": complaint}))
			self.assertFalse(frappe.db.exists("Complaint Follow-up Call", {"complaint": complaint}))
			self.assertFalse(
				frappe.db.exists(
					"Communication", {"reference_doctype": "Customer Complaint", "reference_name": complaint}
				)
			)
			self.assertFalse(
				frappe.db.exists(
					"Email Queue", {"reference_doctype": "Customer Complaint", "reference_name": complaint}
				)
			)
			self.assertFalse(doc.sla_policy or doc.handler or doc.approval_chain)
		first = frappe.get_doc("Customer Complaint", {"subject": SUBJECT})
		self.assertEqual(
			(
				first.historical_determination,
				first.historical_paid_by,
				first.historical_cost,
				first.satisfaction_score,
			),
			("Obvious Quality Defect", "Company", 180, 40),
		)

		# closed and immutable like any closed complaint, even for a System Manager
		refused = self.admin.put_resource("Customer Complaint", first.name, {"subject": "Rewritten"})
		self.assertIn(refused.status_code, (403, 417), refused.get_data(as_text=True)[:300])
		# the history flag is the import's only: neither the clerk nor a System Manager sets it over REST
		for user in (self.clerk, self.admin):
			body = {
				"customer": self.delivery.customer,
				"category": "Product Quality",
				"subject": "Paper history: forged",
				"channel": "Phone",
				"historical": 1,
				"closed_on": str(today),
			}
			refused = user.post("/api/resource/Customer Complaint", {"data": json.dumps(body)})
			self.assertEqual(refused.status_code, 403, refused.get_data(as_text=True)[:300])
		frappe.db.rollback()
		self.assertEqual(frappe.db.count("Customer Complaint", {"subject": "Paper history: forged"}), 0)

		# counted: the weekly summary as a recount finds it, the batch's failure rate, the department's strikes
		counted = frappe.db.sql(
			f"select name, complaints from {received_weeks.SUMMARY.table} where complaints != 0 order by name"
		)
		received_weeks.rebuild()
		self.assertEqual(
			frappe.db.sql(
				f"select name, complaints from {received_weeks.SUMMARY.table} where complaints != 0 order by name"
			),
			counted,
		)
		self.assertEqual(confirmed_defects().get(batch, 0), defects_before + 1)
		self.assertIn((add_days(today, -2), 40.0), survey_scores([self.department]))

		# a new complaint of the same customer on the same subject is found to repeat the imported one
		answer = self.ok(
			self.clerk.post(
				"/api/resource/Customer Complaint",
				{
					"data": json.dumps(
						{
							"customer": self.delivery.customer,
							"category": "Product Quality",
							"subject": SUBJECT,
							"channel": "Phone",
						}
					)
				},
			)
		)
		new = frappe.get_doc("Customer Complaint", answer.json["data"]["name"])
		self.assertEqual(new.is_repeat, 1)
		self.assertIn(first.name, [row.complaint for row in new.related_complaints])
