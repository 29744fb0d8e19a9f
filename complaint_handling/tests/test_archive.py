"""Tier 2: the archive — a closed complaint cannot be cancelled, deleted or rewritten on any path; it is amended
by a follow-on complaint; its whole file exports as one zip (a PDF of each document it may read, every
attachment, a manifest); retention is reported, and only a System Manager deletes what has passed it."""

import io
import json
import zipfile

import frappe
from frappe.tests.test_api import make_request
from frappe.utils import add_years, now_datetime
from frappe.utils.password import update_password

from complaint_handling.records import archive
from complaint_handling.setup import demo
from complaint_handling.tests.browser import served_site
from complaint_handling.tests.factories import remove_complaint
from complaint_handling.tests.test_desk_buttons import HttpUser
from complaint_handling.tests.test_workflow import EAST_MANAGER, WorkflowTestCase

COMPLAINT = "Customer Complaint"
SOUTH_MANAGER = demo.TERRITORIES[1].manager_email


class TestArchive(WorkflowTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		for user in (cls.coordinator, cls.clerk):
			update_password(user, demo.DEMO_PASSWORD)
		frappe.db.commit()
		cls.users = {u: HttpUser(u) for u in (cls.coordinator, cls.clerk, SOUTH_MANAGER)}

	def closed(self) -> str:
		return self.closed_through(
			EAST_MANAGER, "Apologise and refund the freight.", amount_at_stake=100, subject="Archive target"
		)

	def rest(self, user: str, method: str, path: str, body: dict | None = None):
		response = make_request(
			target=getattr(self.users[user].client, method),
			args=(path,),
			kwargs={"data": json.dumps(body or {}), "content_type": "application/json"},
		)
		frappe.db.commit()
		return response

	def test_a_closed_complaint_stays_as_it_was_on_every_path(self):
		name = self.closed()
		before = frappe.get_doc(COMPLAINT, name)
		coordinator = self.users[self.coordinator]
		attempts = (
			coordinator.post("/api/method/frappe.client.cancel", {"doctype": COMPLAINT, "name": name}),
			coordinator.post(
				"/api/method/frappe.desk.form.save.cancel", {"doctype": COMPLAINT, "name": name}
			),
			self.rest(self.coordinator, "delete", f"/api/resource/{COMPLAINT}/{name}"),
			coordinator.post("/api/method/frappe.client.delete", {"doctype": COMPLAINT, "name": name}),
			self.rest(self.coordinator, "put", f"/api/resource/{COMPLAINT}/{name}", {"subject": "Rewritten"}),
			self.rest(self.clerk, "put", f"/api/resource/{COMPLAINT}/{name}", {"decision": "<p>Other</p>"}),
			self.rest(self.coordinator, "put", f"/api/resource/{COMPLAINT}/{name}", {"docstatus": 2}),
			coordinator.post(
				"/api/method/frappe.client.set_value",
				{"doctype": COMPLAINT, "name": name, "fieldname": "subject", "value": "Rewritten"},
			),
		)
		for response in attempts:
			self.assertIn(response.status_code, (403, 417), response.get_data(as_text=True)[:300])
		frappe.db.rollback()
		after = frappe.get_doc(COMPLAINT, name)
		self.assertEqual(
			(after.docstatus, after.subject, after.decision, after.modified),
			(1, before.subject, before.decision, before.modified),
		)
		# not even the Administrator cancels it
		with self.assertRaises(archive.ArchivedComplaintError):
			frappe.get_doc(COMPLAINT, name).cancel()
		frappe.db.rollback()

	def test_a_follow_on_complaint_amends_a_closed_one(self):
		name = self.closed()
		mapped = self.users[self.clerk].post(
			"/api/method/frappe.model.mapper.make_mapped_doc",
			{"method": "complaint_handling.records.archive.make_follow_on", "source_name": name},
		)
		self.assertEqual(mapped.status_code, 200, mapped.get_data(as_text=True)[:400])
		doc = mapped.json["message"]
		self.assertEqual((doc["follows_up"], doc["customer"]), (name, self.east.customer))
		self.assertNotIn("decision", {k for k, v in doc.items() if v})
		doc.update({"name": "new-customer-complaint-1", "__islocal": 1})  # what the desk's form holds
		saved = self.users[self.clerk].post(
			"/api/method/frappe.desk.form.save.savedocs", {"doc": json.dumps(doc), "action": "Save"}
		)
		self.assertEqual(saved.status_code, 200, saved.get_data(as_text=True)[:600])
		frappe.db.commit()
		new = frappe.get_doc(COMPLAINT, {"follows_up": name})
		self.addCleanup(remove_complaint, new.name)
		self.assertEqual((new.status, new.docstatus), ("Registered", 0))
		self.assertIn(name, new.subject)
		# what it follows up is set once
		changed = self.rest(self.clerk, "put", f"/api/resource/{COMPLAINT}/{new.name}", {"follows_up": None})
		self.assertIn(changed.status_code, (403, 417))
		self.assertEqual(frappe.db.get_value(COMPLAINT, new.name, "follows_up"), name)
		# only a closed complaint can be followed up
		open_one = self.registered(subject="Still open")
		frappe.db.commit()
		self.addCleanup(remove_complaint, open_one.name)
		refused = self.rest(
			self.clerk,
			"post",
			f"/api/resource/{COMPLAINT}",
			{
				"customer": self.east.customer,
				"category": "Policy / Customer Service",
				"subject": "x",
				"channel": "Phone",
				"follows_up": open_one.name,
			},
		)
		self.assertEqual(refused.status_code, 417, refused.get_data(as_text=True)[:300])

	def test_the_whole_file_exports_as_one_zip(self):
		name = self.closed()
		photo = frappe.get_doc(
			{
				"doctype": "File",
				"file_name": "evidence.txt",
				"attached_to_doctype": COMPLAINT,
				"attached_to_name": name,
				"is_private": 1,
				"content": b"the customer's evidence",
			}
		).insert(ignore_permissions=True)
		frappe.db.commit()
		from frappe.installer import update_site_config

		before = frappe.get_site_config().get("host_name")
		with served_site() as url:  # wkhtmltopdf loads the site's assets from the served site
			update_site_config("host_name", "http://127.0.0.1:" + url.rsplit(":", 1)[1])
			try:
				response = self.users[self.coordinator].get(
					"/api/method/complaint_handling.records.archive.export_file", name=name
				)
				rival = self.users[SOUTH_MANAGER].get(
					"/api/method/complaint_handling.records.archive.export_file", name=name
				)
			finally:
				update_site_config("host_name", before or "None")
		self.assertEqual(response.status_code, 200, response.get_data()[:400])
		self.assertEqual(rival.status_code, 403)
		bundle = zipfile.ZipFile(io.BytesIO(response.get_data()))
		entries = set(bundle.namelist())
		manifest = json.loads(bundle.read("manifest.json"))
		documents = {(d["doctype"], d["name"]) for d in manifest["documents"]}
		calls = set(frappe.get_all("Complaint Follow-up Call", {"complaint": name}, pluck="name"))
		self.assertEqual(documents, {(COMPLAINT, name)} | {("Complaint Follow-up Call", c) for c in calls})
		for entry in manifest["documents"]:
			for print_format in entry["print_formats"]:
				pdf = f"{entry['doctype'].replace(' ', '_')}/{entry['name']}/{print_format.replace(' ', '_')}.pdf"
				self.assertIn(pdf, entries)
				self.assertTrue(bundle.read(pdf).startswith(b"%PDF"), pdf)
		self.assertIn(f"Customer_Complaint/{name}/Complaint_File.pdf", entries)
		attachment = f"Customer_Complaint/{name}/attachments/{photo.name}-{photo.file_name}"
		self.assertEqual(bundle.read(attachment), b"the customer's evidence")

	def test_retention_is_reported_and_only_a_system_manager_deletes(self):
		name = self.closed()
		kept = frappe.db.get_single_value("Complaint Settings", "retention_years")
		self.addCleanup(
			lambda: (
				frappe.db.set_single_value("Complaint Settings", "retention_years", kept),
				frappe.db.commit(),
			)
		)
		frappe.db.set_single_value("Complaint Settings", "retention_years", 1)
		frappe.db.sql(
			f"update `tab{COMPLAINT}` set modified = %s where name = %s",
			(add_years(now_datetime(), -2), name),
		)
		frappe.db.commit()
		self.assertIn(name, archive.past_retention())
		self.assertGreaterEqual(archive.report_past_retention(), 1)
		self.assertTrue(
			frappe.db.exists(
				"Notification Log",
				{"document_type": "Complaint Settings", "subject": ["like", "%retention%"]},
			)
		)
		self.assertTrue(frappe.db.exists(COMPLAINT, name), "reporting deletes nothing")
		refused = self.users[self.coordinator].post(
			"/api/method/complaint_handling.records.archive.delete_past_retention",
			{"names": json.dumps([name])},
		)
		self.assertEqual(refused.status_code, 403)
		young = self.closed()
		with self.assertRaises(archive.ArchivedComplaintError):
			archive.delete_past_retention([name, young])
		frappe.db.rollback()
		self.assertTrue(frappe.db.exists(COMPLAINT, name))
		self.assertEqual(archive.delete_past_retention([name]), {"deleted": 1})
		frappe.db.commit()
		self.assertFalse(frappe.db.exists(COMPLAINT, name))
		self.assertFalse(frappe.db.exists("Complaint Follow-up Call", {"complaint": name}))
