"""Tier 2: every custom button of the desk, called over HTTP exactly as the browser calls it.

`frm.call(method, args)` posts to `run_doc_method` with the document as `docs`; Create ▸ Memo posts to
`frappe.model.mapper.make_mapped_doc`; other buttons post to `/api/method/<path>`. Each is called by the
role whose button it is (it works) and by a role that may not use it (it is refused with a 4xx).
"""

import json

import frappe
from frappe.tests.test_api import make_request
from frappe.tests.utils import FrappeTestCase
from frappe.utils import get_test_client

from complaint_handling.setup import demo
from complaint_handling.tests.factories import demo_delivery, make_complaint


class HttpUser:
	"""A logged-in browser session of one user, through Frappe's WSGI application."""

	def __init__(self, user: str, password: str = demo.DEMO_PASSWORD):
		self.client = get_test_client()
		response = self.post("/api/method/login", {"usr": user, "pwd": password})
		assert response.status_code == 200, response.get_data(as_text=True)

	def post(self, path: str, data: dict):
		return make_request(target=self.client.post, args=(path,), kwargs={"data": data})

	def get(self, path: str, **params):
		return make_request(target=self.client.get, args=(path,), kwargs={"query_string": params})

	def run_doc_method(self, doc, method: str, args: dict):
		"""What `frm.call(method, args)` sends."""
		return self.post(
			"/api/method/run_doc_method",
			{"docs": json.dumps(doc.as_dict(), default=str), "method": method, "args": json.dumps(args)},
		)


class TestDeskButtons(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.delivery = demo_delivery(4)
		cls.complaint = make_complaint(
			customer=cls.delivery.customer,
			subject="Buttons over HTTP",
			complainant_email="buyer.buttons@customers.example.com",
		)
		frappe.db.commit()
		cls.clerk = HttpUser(f"clerk@{demo.EMAIL_DOMAIN}")
		cls.director = HttpUser(f"director@{demo.EMAIL_DOMAIN}")
		cls.coordinator = HttpUser(f"coordinator@{demo.EMAIL_DOMAIN}")

	@classmethod
	def tearDownClass(cls):
		frappe.db.commit()
		frappe.delete_doc("Customer Complaint", cls.complaint.name, force=True, ignore_permissions=True)
		frappe.db.commit()
		super().tearDownClass()

	def fresh(self):
		frappe.db.commit()
		return frappe.get_doc("Customer Complaint", self.complaint.name)

	def test_record_readback_as_the_desk_calls_it(self):
		response = self.clerk.run_doc_method(
			self.fresh(),
			"record_readback",
			{"readback_method": "Read back by phone", "corrections": "Model B"},
		)
		self.assertEqual(response.status_code, 200, response.get_data(as_text=True))
		complaint = self.fresh()
		self.assertEqual(complaint.confirmation_status, "Confirmed")
		self.assertEqual(complaint.confirmations[-1].corrections, "Model B")
		self.assertEqual(complaint.waiting_for, "Complaint Coordinator")

	def test_record_readback_refuses_a_bad_method_and_a_reader(self):
		bad = self.clerk.run_doc_method(self.fresh(), "record_readback", {"readback_method": "Telepathy"})
		self.assertEqual(bad.status_code, 417)
		self.assertIn("Method", bad.get_data(as_text=True))
		reader = HttpUser(f"mr@{demo.EMAIL_DOMAIN}")  # the management representative reads only
		refused = reader.run_doc_method(
			self.fresh(), "record_readback", {"readback_method": "Read back by phone"}
		)
		self.assertEqual(refused.status_code, 403, refused.get_data(as_text=True))

	def test_create_memo_as_the_desk_calls_it(self):
		args = {"method": "complaint_handling.handling.memos.make_memo", "source_name": self.complaint.name}
		refused = self.director.post("/api/method/frappe.model.mapper.make_mapped_doc", args)
		self.assertEqual(refused.status_code, 403)  # the director approves memos; others write them
		response = self.coordinator.post("/api/method/frappe.model.mapper.make_mapped_doc", args)
		self.assertEqual(response.status_code, 200, response.get_data(as_text=True))
		memo = response.json["message"]
		self.assertEqual((memo["doctype"], memo["complaint"]), ("Complaint Memo", self.complaint.name))
		self.assertEqual(memo["subject"], self.complaint.subject)
		self.assertEqual(memo["from_user"], f"coordinator@{demo.EMAIL_DOMAIN}")

	def test_load_public_holidays_as_the_desk_calls_it(self):
		policy = frappe.get_doc(
			"Complaint SLA Policy", frappe.get_all("Complaint SLA Policy", limit=1, pluck="name")[0]
		)
		refused = self.clerk.run_doc_method(policy, "load_public_holidays", {"year": 2026, "country": "CN"})
		self.assertEqual(refused.status_code, 403, refused.get_data(as_text=True))
		bad = self.coordinator.run_doc_method(policy, "load_public_holidays", {"year": 2026, "country": "XX"})
		self.assertEqual(bad.status_code // 100, 4, bad.get_data(as_text=True))

	def test_send_confirmation_link_as_the_desk_calls_it(self):
		response = self.clerk.post(
			"/api/method/complaint_handling.customer.confirmation.send_confirmation_link",
			{"name": self.complaint.name},
		)
		self.assertEqual(response.status_code, 200, response.get_data(as_text=True))
