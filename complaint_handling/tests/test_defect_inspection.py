"""Tier 2: the region manager's on-site inspection (Defect Inspection, 不良品投诉处理书) through the doors the
region manager uses — Create ▸ Defect Inspection, REST saves, the file upload — and its effect on the
complaint's on-site timer, with frozen time."""

import io
import json
from datetime import datetime
from zoneinfo import ZoneInfo

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import get_datetime, get_system_timezone

from complaint_handling.setup import demo
from complaint_handling.tests.factories import demo_delivery, make_complaint
from complaint_handling.tests.test_desk_buttons import HttpUser
from complaint_handling.tests.test_workflow import act

EAST = demo.TERRITORIES[0].manager_email
SOUTH = demo.TERRITORIES[1].manager_email
CLERK = f"clerk@{demo.EMAIL_DOMAIN}"
RESOURCE = "/api/resource/Defect Inspection"
SHANGHAI = ZoneInfo("Asia/Shanghai")
# a 1x1 PNG
PNG = bytes.fromhex(
	"89504e470d0a1a0a0000000d4948445200000001000000010806000000"
	"1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)


def sh(*args) -> datetime:
	return datetime(*args, tzinfo=SHANGHAI).astimezone(ZoneInfo(get_system_timezone())).replace(tzinfo=None)


class Inspector(HttpUser):
	def create(self, fields: dict):
		return self.post(RESOURCE, {"data": json.dumps(fields, default=str)})

	def put(self, name: str, fields: dict):
		from frappe.tests.test_api import make_request

		return make_request(
			target=self.client.put,
			args=(f"{RESOURCE}/{name}",),
			kwargs={"data": json.dumps(fields, default=str), "content_type": "application/json"},
		)

	def upload_photo(self, name: str) -> str:
		response = self.post(
			"/api/method/upload_file",
			{
				"file": (io.BytesIO(PNG), "on-site.png"),
				"is_private": "0",  # asked public: a complaint's photo is kept private all the same
				"doctype": "Defect Inspection",
				"docname": name,
			},
		)
		assert response.status_code == 200, response.get_data(as_text=True)[:400]
		return response.json["message"]["file_url"]


class TestDefectInspection(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.delivery = demo_delivery(0)
		cls.made: list[tuple[str, str]] = []
		cls.east = Inspector(EAST)

	@classmethod
	def tearDownClass(cls):
		frappe.set_user("Administrator")
		for doctype, name in reversed(cls.made):
			frappe.delete_doc(doctype, name, force=True, ignore_permissions=True)
		frappe.db.commit()
		super().tearDownClass()

	def quality_complaint(self, **fields):
		complaint = make_complaint(
			customer=self.delivery.customer,
			category="Product Quality",
			serial_no=self.delivery.serial_no,
			**fields,
		)
		frappe.db.commit()
		self.made.append(("Customer Complaint", complaint.name))
		return complaint

	def inspection(self, complaint, **fields) -> str:
		response = self.east.create({"complaint": complaint.name, **fields})
		self.assertEqual(response.status_code, 200, response.get_data(as_text=True)[:400])
		name = response.json["data"]["name"]
		self.made.append(("Defect Inspection", name))
		frappe.db.commit()
		return name

	def test_create_from_the_complaint_as_the_desk_does(self):
		complaint = self.quality_complaint()
		response = self.east.post(
			"/api/method/frappe.model.mapper.make_mapped_doc",
			{
				"method": "complaint_handling.quality.inspections.make_defect_inspection",
				"source_name": complaint.name,
			},
		)
		self.assertEqual(response.status_code, 200, response.get_data(as_text=True)[:400])
		draft = response.json["message"]
		self.assertEqual(
			(draft["doctype"], draft["complaint"], draft["customer"], draft["inspector"]),
			("Defect Inspection", complaint.name, complaint.customer, EAST),
		)
		self.assertEqual(draft["serial_no"], self.delivery.serial_no)

	def test_no_determination_without_a_photo_and_photos_are_stamped_by_the_server(self):
		complaint = self.quality_complaint()
		name = self.inspection(complaint, findings="Cracked housing.")
		response = self.east.put(name, {"determination": "Obvious Quality Defect"})
		self.assertEqual(response.status_code, 417, response.get_data(as_text=True)[:400])
		self.assertIn("photo", response.get_data(as_text=True))
		self.assertIn("InspectionError", response.json["exc_type"])
		url = self.east.upload_photo(name)
		self.assertTrue(url.startswith("/private/files/"), url)
		forged = {"photo": url, "caption": "Housing", "taken_by": CLERK, "taken_at": "2020-01-01 00:00:00"}
		response = self.east.put(name, {"determination": "Obvious Quality Defect", "photos": [forged]})
		self.assertEqual(response.status_code, 200, response.get_data(as_text=True)[:400])
		frappe.db.commit()
		stored = frappe.get_doc("Defect Inspection", name)
		self.assertEqual(stored.determination, "Obvious Quality Defect")
		self.assertEqual((stored.determined_by, stored.photos[0].taken_by), (EAST, EAST))
		self.assertGreater(get_datetime(stored.photos[0].taken_at), datetime(2026, 1, 1))
		# the customer fields come from the complaint, whatever a client sends
		response = self.east.put(name, {"customer": "Forged Customer", "serial_no": "FORGED"})
		frappe.db.commit()
		self.assertEqual(frappe.db.get_value("Defect Inspection", name, "serial_no"), self.delivery.serial_no)

	def test_misuse_says_how_it_is_put_right(self):
		complaint = self.quality_complaint()
		name = self.inspection(complaint)
		url = self.east.upload_photo(name)
		photos = [{"photo": url}]
		response = self.east.put(name, {"determination": "Obvious Misuse", "photos": photos})
		self.assertEqual(response.status_code, 417)
		self.assertIn("Misuse Handling", response.get_data(as_text=True))
		response = self.east.put(
			name,
			{
				"determination": "Obvious Misuse",
				"misuse_handling": "Fixed on Site",
				"fixed_on_site": 0,
				"photos": photos,
			},
		)
		self.assertEqual(response.status_code, 417)
		response = self.east.put(
			name,
			{
				"determination": "Obvious Misuse",
				"misuse_handling": "Fixed on Site",
				"fixed_on_site": 1,
				"photos": photos,
			},
		)
		self.assertEqual(response.status_code, 200, response.get_data(as_text=True)[:400])

	def test_only_a_product_quality_complaint_is_inspected(self):
		complaint = make_complaint(customer=self.delivery.customer)
		frappe.db.commit()
		self.made.append(("Customer Complaint", complaint.name))
		response = self.east.create({"complaint": complaint.name})
		self.assertEqual(response.status_code, 417, response.get_data(as_text=True)[:400])
		self.assertIn("not a product-quality complaint", response.get_data(as_text=True))

	def test_who_writes_what(self):
		"""A clerk reads but does not write an inspection; nobody forges who determined it or took a photo."""
		complaint = self.quality_complaint()
		name = self.inspection(complaint)
		url = self.east.upload_photo(name)
		response = self.east.put(name, {"determination": "Cannot Be Determined", "photos": [{"photo": url}]})
		self.assertEqual(response.status_code, 200, response.get_data(as_text=True)[:400])
		clerk = Inspector(CLERK)
		self.assertEqual(clerk.get(f"{RESOURCE}/{name}").status_code, 200)
		self.assertEqual(clerk.put(name, {"findings": "Rewritten by the clerk"}).status_code, 403)
		response = self.east.put(name, {"determined_by": CLERK, "determined_at": "2020-01-01 00:00:00"})
		self.assertEqual(response.status_code, 200, response.get_data(as_text=True)[:400])
		frappe.db.commit()
		stored = frappe.get_doc("Defect Inspection", name)
		self.assertEqual(stored.determined_by, EAST)
		self.assertGreater(get_datetime(stored.determined_at), datetime(2026, 1, 1))
		photo = stored.photos[0].as_dict()
		response = self.east.put(name, {"photos": [{**photo, "photo": "/private/files/other.png"}]})
		self.assertEqual(response.status_code, 417, "a photo is never replaced")

	def test_another_region_cannot_read_it(self):
		complaint = self.quality_complaint()
		name = self.inspection(complaint)
		self.assertEqual(Inspector(SOUTH).get(f"{RESOURCE}/{name}").status_code, 403)
		listed = Inspector(SOUTH).get(RESOURCE, filters=json.dumps([["name", "=", name]]))
		self.assertEqual(listed.json["data"], [])

	def test_arrival_stops_the_on_site_timer_and_an_agreed_time_replaces_its_deadline(self):
		with self.freeze_time(sh(2026, 11, 24, 9, 0), tick=True):
			complaint = self.quality_complaint()
			complaint.record_readback("Read back by phone")
			complaint = act(CLERK, complaint, "Dispatch")
			frappe.db.commit()
		self.assertEqual(complaint.sla_timer, "on_site")
		with self.freeze_time(sh(2026, 11, 24, 10, 0), tick=True):
			name = self.inspection(
				complaint, agreed_with_customer=1, visit_scheduled_at=sh(2026, 11, 25, 14, 0)
			)
		row = frappe.db.get_value(
			"Customer Complaint",
			complaint.name,
			["sla_timer", "timer_due_at", "on_site_agreed_at"],
			as_dict=True,
		)
		self.assertEqual(row.sla_timer, "on_site")
		self.assertEqual(
			get_datetime(row.timer_due_at), sh(2026, 11, 25, 14, 0), "the agreed time is the deadline"
		)
		self.assertEqual(get_datetime(row.on_site_agreed_at), sh(2026, 11, 25, 14, 0))
		with self.freeze_time(sh(2026, 11, 25, 13, 50), tick=True):
			response = self.east.put(name, {"arrived_at": str(sh(2026, 11, 25, 13, 45))})
			self.assertEqual(response.status_code, 200, response.get_data(as_text=True)[:400])
		frappe.db.commit()
		row = frappe.db.get_value(
			"Customer Complaint",
			complaint.name,
			["sla_timer", "timer_due_at", "on_site_arrived_on"],
			as_dict=True,
		)
		self.assertEqual((row.sla_timer, row.timer_due_at), (None, None), "arrival stops the on-site timer")
		self.assertEqual(get_datetime(row.on_site_arrived_on), sh(2026, 11, 25, 13, 45))
		# a later save of the complaint does not restart it
		complaint = frappe.get_doc("Customer Complaint", complaint.name)
		complaint.save()
		self.assertIsNone(complaint.sla_timer)
		frappe.db.commit()
