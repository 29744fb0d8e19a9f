"""Tier 2: the inspection's field page over HTTP — its shell, service worker and manifest as a phone loads them,
and its endpoints as the page calls them: each change and photo stored once per key however often it is sent,
a value changed meanwhile on the server answered with a conflict and nothing stored, and only the inspector
writing, only while the inspection is a draft."""

import io
import json

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import get_datetime, get_test_client
from frappe.utils.password import update_password

from complaint_handling.quality import field_inspection
from complaint_handling.setup import demo
from complaint_handling.tests.factories import demo_delivery, make_complaint, make_portal_user
from complaint_handling.tests.test_defect_inspection import PNG, Inspector
from complaint_handling.tests.test_desk_buttons import HttpUser

EAST = demo.TERRITORIES[0].manager_email
SOUTH = demo.TERRITORIES[1].manager_email
CLERK = f"clerk@{demo.EMAIL_DOMAIN}"
COORDINATOR = f"coordinator@{demo.EMAIL_DOMAIN}"
API = "/api/method/complaint_handling.quality.field_inspection."


class Phone(Inspector):
	"""The field page in one user's browser: what its script sends, with the CSRF token the page was given."""

	token = None

	def state(self, name: str):
		response = self.get(API + "field_state", name=name)
		if response.status_code == 200:
			self.token = response.json["message"]["csrf_token"]
		return response

	def post(self, path: str, data: dict):
		from frappe.tests.test_api import make_request

		headers = {"X-Frappe-CSRF-Token": self.token} if self.token else {}
		return make_request(target=self.client.post, args=(path,), kwargs={"data": data, "headers": headers})

	def put(self, name: str, fields: dict):
		from frappe.tests.test_api import make_request

		return make_request(
			target=self.client.put,
			args=(f"/api/resource/Defect Inspection/{name}",),
			kwargs={
				"data": json.dumps(fields, default=str),
				"content_type": "application/json",
				"headers": {"X-Frappe-CSRF-Token": self.token} if self.token else {},
			},
		)

	def change(self, name: str, key: str, changes: dict, seen: dict):
		return self.post(
			API + "apply_change",
			{"name": name, "key": key, "changes": json.dumps(changes), "seen": json.dumps(seen)},
		)

	def photo(self, name: str, key: str, taken: str = "2026-12-03T08:15:00+08:00", filename="site.png"):
		return self.post(
			API + "add_photo",
			{
				"name": name,
				"key": key,
				"taken_on_phone_at": taken,
				"caption": "Cracked housing",
				"file": (io.BytesIO(PNG), filename),
			},
		)


class FieldInspections:
	"""Draft inspections of product-quality complaints, made over REST by the east region's manager
	(`self.east`, for `self.delivery`'s customer), removed after the class with the field page's records."""

	complaints: list[str]

	def inspection(self) -> str:
		complaint = make_complaint(
			customer=self.delivery.customer, category="Product Quality", serial_no=self.delivery.serial_no
		)
		frappe.db.commit()
		self.complaints.append(complaint.name)
		response = self.east.create({"complaint": complaint.name})
		self.assertEqual(response.status_code, 200, response.get_data(as_text=True)[:400])
		frappe.db.commit()
		return response.json["data"]["name"]

	@classmethod
	def remove_inspections(cls) -> None:
		frappe.set_user("Administrator")
		frappe.db.rollback()
		for complaint in cls.complaints:
			for name in frappe.get_all("Defect Inspection", {"complaint": complaint}, pluck="name"):
				frappe.db.delete(field_inspection.CHANGE_LOG, {"inspection": name})
				frappe.delete_doc("Defect Inspection", name, force=True, ignore_permissions=True)
			frappe.delete_doc("Customer Complaint", complaint, force=True, ignore_permissions=True)
		frappe.db.commit()


class TestFieldInspection(FieldInspections, FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.delivery = demo_delivery(0)
		cls.east = Phone(EAST)
		cls.complaints: list[str] = []

	@classmethod
	def tearDownClass(cls):
		cls.remove_inspections()
		super().tearDownClass()

	def ok(self, response, status: int = 200):
		self.assertEqual(response.status_code, status, response.get_data(as_text=True)[:500])
		return response.json.get("message") if response.is_json else None

	def test_the_page_its_worker_and_its_manifest_are_served_as_a_phone_loads_them(self):
		page = self.east.get("/inspection-field/app")
		self.assertEqual(page.status_code, 200)
		self.assertTrue(page.content_type.startswith("text/html"), page.content_type)
		html = page.get_data(as_text=True)
		self.assertIn('rel="manifest"', html)
		self.assertIn("/assets/complaint_handling/field/field.js", html)
		worker = self.east.get("/inspection-field/sw.js")
		self.assertEqual(worker.status_code, 200)
		self.assertTrue(worker.content_type.startswith("text/javascript"), worker.content_type)
		self.assertEqual(worker.headers.get("Service-Worker-Allowed"), "/inspection-field/")
		self.assertIn("/inspection-field/app", worker.get_data(as_text=True))
		manifest = json.loads(self.east.get("/inspection-field/manifest.webmanifest").get_data(as_text=True))
		self.assertEqual(
			(manifest["start_url"], manifest["scope"]), ("/inspection-field/app", "/inspection-field/")
		)
		self.assertEqual(sorted(icon["sizes"] for icon in manifest["icons"]), ["192x192", "512x512"])

	def test_each_change_and_photo_is_stored_once_however_often_it_is_sent(self):
		name = self.inspection()
		seen = self.ok(self.east.state(name))["values"]
		self.assertTrue(self.ok(self.east.state(name))["editable"])
		changes = {"findings": "Housing cracked at the inlet.", "arrived_at": "2026-12-03 08:10:00"}
		first = self.ok(self.east.change(name, "change-0001", changes, seen))
		self.assertEqual(first["status"], "applied")
		# the connection dropped before the answer: the page sends it again, under the same key
		again = self.ok(self.east.change(name, "change-0001", {"findings": "sent twice"}, seen))
		self.assertEqual(again["status"], "duplicate")
		frappe.db.rollback()
		self.assertEqual(frappe.db.get_value("Defect Inspection", name, "findings"), changes["findings"])
		self.assertEqual(frappe.db.count(field_inspection.CHANGE_LOG, {"inspection": name}), 1)
		for _attempt in range(2):
			self.ok(self.east.photo(name, "photo-0001"))
		frappe.db.rollback()
		doc = frappe.get_doc("Defect Inspection", name)
		self.assertEqual(len(doc.photos), 1, "one photo however often it is sent")
		row = doc.photos[0]
		self.assertEqual((row.client_key, row.taken_by, row.caption), ("photo-0001", EAST, "Cracked housing"))
		self.assertTrue(row.photo.startswith("/private/files/"), row.photo)
		phone_taken = field_inspection.phone_time("2026-12-03T08:15:00+08:00")
		self.assertEqual(get_datetime(row.taken_on_phone_at), phone_taken)
		self.assertNotEqual(get_datetime(row.taken_at), phone_taken, "received: the server's own time")
		self.assertEqual(frappe.db.count("File", {"attached_to_name": name, "is_private": 1}), 1)
		# with a photo the server has, the determination stands
		state = self.ok(self.east.state(name))
		decided = self.ok(
			self.east.change(
				name, "change-0002", {"determination": "Obvious Quality Defect"}, state["values"]
			)
		)
		self.assertEqual(decided["state"]["values"]["determination"], "Obvious Quality Defect")
		parts = [{"item": state["item"], "qty": 2, "serial_no": None}]
		used = self.ok(
			self.east.change(name, "change-0003", {"parts_used": parts}, decided["state"]["values"])
		)
		self.assertEqual(used["state"]["values"]["parts_used"], parts)
		self.assertEqual(decided["state"]["photos"][0]["taken_on_phone_at"], str(phone_taken))

	def test_a_value_changed_meanwhile_on_the_server_is_a_conflict_and_nothing_is_stored(self):
		name = self.inspection()
		seen = self.ok(self.east.state(name))["values"]
		self.ok(self.east.put(name, {"findings": "Written in the desk meanwhile."}))  # the other door
		answer = self.east.change(name, "change-0101", {"findings": "Written on the phone."}, seen)
		conflict = self.ok(answer, 409)
		self.assertEqual(conflict["status"], "conflict")
		self.assertEqual(
			(conflict["conflicts"]["findings"]["server"], conflict["conflicts"]["findings"]["mine"]),
			("Written in the desk meanwhile.", "Written on the phone."),
		)
		frappe.db.rollback()
		self.assertEqual(
			frappe.db.get_value("Defect Inspection", name, "findings"), "Written in the desk meanwhile."
		)
		self.assertFalse(frappe.db.exists(field_inspection.CHANGE_LOG, "change-0101"))
		# the user keeps his: sent again with what the server has as what he saw
		kept = self.east.change(
			name, "change-0101", {"findings": "Written on the phone."}, conflict["state"]["values"]
		)
		self.assertEqual(self.ok(kept)["status"], "applied")
		# the same value on both sides is no conflict
		same = self.east.change(name, "change-0102", {"findings": "Written on the phone."}, seen)
		self.assertEqual(self.ok(same)["status"], "applied")

	def test_only_the_inspector_writes_and_only_while_it_is_a_draft(self):
		name = self.inspection()
		seen = self.ok(self.east.state(name))["values"]
		before = frappe.get_doc("Defect Inspection", name).as_dict()
		south, clerk, coordinator = Phone(SOUTH), Phone(CLERK), Phone(COORDINATOR)
		self.assertIn(south.state(name).status_code, (403, 404), "another region's manager sees nothing")
		for other in (south, clerk, coordinator):
			self.assertEqual(other.change(name, "forged-0001", {"findings": "forged"}, seen).status_code, 403)
			self.assertEqual(other.photo(name, "forged-0002").status_code, 403)
		self.assertFalse(self.ok(coordinator.state(name))["editable"])
		# bad input: a clear 4xx naming what is wrong, nothing stored
		for key, changes, word in (
			("no", {"findings": "x"}, "Key"),
			("change-0201", {"status": "Closed"}, "status"),
			("change-0202", {"determination": "Obvious Quality Defect"}, "photo"),
			("change-0203", {"customer_signature": "javascript:alert(1)"}, "signature"),
			("change-0204", {"arrived_at": "2999-01-01 00:00:00"}, "future"),
		):
			answer = self.east.change(name, key, changes, seen)
			self.assertEqual(answer.status_code, 417, (key, answer.get_data(as_text=True)[:300]))
			self.assertIn(word.lower(), answer.get_data(as_text=True).lower(), key)
		answer = self.east.photo(name, "photo-0201", filename="notes.txt")
		self.assertEqual(answer.status_code, 417, answer.get_data(as_text=True)[:300])
		frappe.db.rollback()
		after = frappe.get_doc("Defect Inspection", name).as_dict()
		self.assertEqual(
			(after.findings, len(after.photos), after.modified), (before.findings, 0, before.modified)
		)
		self.assertEqual(frappe.db.count("File", {"attached_to_name": name}), 0)
		self.assertEqual(frappe.db.count(field_inspection.CHANGE_LOG, {"inspection": name}), 0)
		# past its step: the inspection went to the director
		frappe.db.set_value("Defect Inspection", name, "status", "Director Review")
		frappe.db.commit()
		self.assertFalse(self.ok(self.east.state(name))["editable"])
		self.assertEqual(self.east.change(name, "change-0301", {"findings": "late"}, seen).status_code, 403)
		from frappe.tests.test_api import make_request

		guest = get_test_client()
		answer = make_request(
			target=guest.get, args=(API + "field_state",), kwargs={"query_string": {"name": name}}
		)
		self.assertIn(answer.status_code, (401, 403), "a guest")
		buyer = make_portal_user("field.buyer@customers.example.com", self.delivery.customer)
		update_password(buyer, "Field#Buyer2026")
		frappe.db.commit()
		portal = HttpUser(buyer, "Field#Buyer2026")
		self.assertIn(portal.get(API + "field_state", name=name).status_code, (403, 404), "a portal user")
