"""Tier 2: the customer's portal pages over HTTP — their complaints listed, one complaint's updates (only what
the company told them), and isolation: another customer's portal user, a guest and a search get nothing."""

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils.password import update_password

from complaint_handling.setup import demo
from complaint_handling.tests.factories import demo_delivery, make_complaint, make_portal_user
from complaint_handling.tests.test_desk_buttons import HttpUser


class TestPortalPages(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.ours, cls.theirs = demo_delivery(0), demo_delivery(3)
		cls.complaint = make_complaint(
			customer=cls.ours.customer,
			subject="Pump rattles at night",
			description="It rattles <b>loudly</b>",
			complainant_email="portal.buyer@customers.example.com",
		)
		cls.other = make_complaint(customer=cls.theirs.customer, subject="Someone else's secret")
		# an internal memo-like e-mail to a department and a reply to the customer
		for recipient, subject, content in (
			("quality@demo.example.com", "Internal: check the supplier", "<p>Supplier lot 42 is suspect</p>"),
			(
				"portal.buyer@customers.example.com",
				"Our reply",
				"<p>We will visit on Monday.</p><script>x()</script>",
			),
		):
			frappe.get_doc(
				{
					"doctype": "Communication",
					"communication_type": "Communication",
					"communication_medium": "Email",
					"sent_or_received": "Sent",
					"subject": subject,
					"content": content,
					"recipients": recipient,
					"reference_doctype": "Customer Complaint",
					"reference_name": cls.complaint.name,
				}
			).insert(ignore_permissions=True)
		users = []
		for email, customer in (
			("portal.buyer@customers.example.com", cls.ours.customer),
			("portal.rival@customers.example.com", cls.theirs.customer),
		):
			make_portal_user(email, customer)
			update_password(email, demo.DEMO_PASSWORD)
			users.append(email)
		frappe.db.commit()
		cls.buyer, cls.rival = (HttpUser(u) for u in users)

	@classmethod
	def tearDownClass(cls):
		frappe.db.delete("Communication", {"reference_name": cls.complaint.name})
		for doc in (cls.complaint, cls.other):
			frappe.delete_doc("Customer Complaint", doc.name, force=True, ignore_permissions=True)
		frappe.db.commit()
		super().tearDownClass()

	def page(self, user, path: str, **params):
		from frappe.tests.test_api import make_request
		from frappe.utils import get_test_client

		if user:
			response = user.get(path, **params)
		else:
			response = make_request(
				target=get_test_client().get, args=(path,), kwargs={"query_string": params}
			)
		return response.status_code, response.get_data(as_text=True)

	def test_the_list_shows_their_own_complaints_only(self):
		status, html = self.page(self.buyer, "/complaints")
		self.assertEqual(status, 200)
		self.assertNotIn(self.other.name, html)
		listed = self.buyer.get(
			"/api/method/frappe.www.list.get",
			doctype="Customer Complaint",
			pathname="complaints",
			txt="Pump rattles",
		)
		self.assertEqual(listed.status_code, 200, listed.get_data(as_text=True)[:300])
		rows = listed.get_data(as_text=True)
		self.assertIn(self.complaint.name, rows)
		self.assertNotIn(self.other.name, rows)
		searched = self.rival.get(
			"/api/method/frappe.www.list.get",
			doctype="Customer Complaint",
			pathname="complaints",
			txt="Pump rattles",
		).get_data(as_text=True)
		self.assertNotIn(self.complaint.name, searched)

	def test_one_complaint_shows_what_the_customer_was_told_and_nothing_internal(self):
		status, html = self.page(self.buyer, f"/complaints/{self.complaint.name}")
		self.assertEqual(status, 200, html[:300])
		for shown in (
			"Pump rattles at night",
			"Our reply",
			"We will visit on Monday.",
			"Complaint registered",
		):
			self.assertIn(shown, html)
		for hidden in (
			"Supplier lot 42",
			"Internal: check the supplier",
			"<script>x()</script>",
			"<b>loudly</b>",
		):
			self.assertNotIn(hidden, html)

	def test_another_customer_and_a_guest_see_nothing(self):
		status, html = self.page(self.rival, f"/complaints/{self.complaint.name}")
		self.assertEqual(status, 404, html[:200])
		self.assertNotIn("Pump rattles", html)
		status, html = self.page(None, f"/complaints/{self.complaint.name}")
		self.assertIn(status, (403, 404))
		self.assertNotIn("Pump rattles", html)
		status, html = self.page(
			None,
			"/api/method/frappe.www.list.get",
			doctype="Customer Complaint",
			pathname="complaints",
			txt="Pump",
		)
		self.assertNotIn(self.complaint.name, html)
