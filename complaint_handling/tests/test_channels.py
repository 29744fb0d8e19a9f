"""Tier 2: every intake channel goes through the same rules — desk, e-mail, API, REST, portal, signed link."""

from email.message import EmailMessage
from urllib.parse import parse_qs, urlparse

import frappe
from frappe.email.receive import InboundMail
from frappe.tests.test_api import make_request
from frappe.tests.utils import FrappeTestCase
from frappe.utils import get_test_client

from complaint_handling.customer import confirmation
from complaint_handling.tests.factories import (
	INBOX,
	demo_delivery,
	make_complaint,
	make_email_account,
	make_portal_user,
	make_user,
)


def make_contact(email: str, customer: str) -> str:
	name = frappe.db.get_value("Contact Email", {"email_id": email}, "parent")
	if name:
		return name
	contact = frappe.get_doc(
		{
			"doctype": "Contact",
			"first_name": "Li",
			"last_name": "Ming",
			"email_ids": [{"email_id": email, "is_primary": 1}],
			"links": [{"link_doctype": "Customer", "link_name": customer}],
		}
	).insert(ignore_permissions=True)
	return contact.name


def raw_mail(sender: str, subject: str, body: str, message_id: str, in_reply_to: str | None = None) -> bytes:
	mail = EmailMessage()
	mail["From"] = f"Li Ming <{sender}>"
	mail["To"] = INBOX
	mail["Subject"] = subject
	mail["Message-ID"] = f"<{message_id}@example.com>"
	mail["Date"] = "Wed, 25 Nov 2026 09:15:00 +0800"
	if in_reply_to:
		mail["In-Reply-To"] = in_reply_to
	mail.set_content(body)
	return mail.as_bytes()


class TestChannels(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.delivery = demo_delivery(1)
		cls.other = demo_delivery(5)

	def tearDown(self):
		frappe.set_user("Administrator")
		frappe.db.rollback()

	# E-mail ----------------------------------------------------------------------------------------

	def test_incoming_email_creates_a_complaint_for_the_sender_customer(self):
		sender = "li.ming@customer.example.com"
		make_contact(sender, self.delivery.customer)
		inbox = make_email_account()
		mail = raw_mail(sender, "Pump leaking after two weeks", "The pump PUMP-DEMO-00002 leaks water.", "m1")
		communication = InboundMail(mail, inbox, 1001, 1, "Customer Complaint").process()
		self.assertEqual(communication.reference_doctype, "Customer Complaint")
		complaint = frappe.get_doc("Customer Complaint", communication.reference_name)
		self.assertEqual(complaint.customer, self.delivery.customer)
		self.assertEqual(complaint.channel, "E-mail")
		self.assertEqual(complaint.subject, "Pump leaking after two weeks")
		self.assertEqual(complaint.complainant_email, sender)
		self.assertIn("leaks water", complaint.description)
		self.assertEqual(complaint.territory, self.delivery.territory)

		reply = raw_mail(
			sender, "Re: Pump leaking after two weeks", "Any news?", "m2", in_reply_to="<m1@example.com>"
		)
		second = InboundMail(reply, inbox, 1002, 1, "Customer Complaint").process()
		self.assertEqual(second.reference_name, complaint.name, "a reply threads into the same complaint")
		self.assertIn("leaks water", frappe.db.get_value("Customer Complaint", complaint.name, "description"))

	def test_email_from_unknown_sender_is_kept_for_the_clerk(self):
		mail = raw_mail("stranger@unknown.example.com", "Who do I talk to?", "Your service is slow.", "m3")
		communication = InboundMail(mail, make_email_account(), 1003, 1, "Customer Complaint").process()
		complaint = frappe.get_doc("Customer Complaint", communication.reference_name)
		self.assertFalse(complaint.customer)
		self.assertEqual(complaint.status, "Registered")
		self.assertIn("slow", complaint.description)

	# API -------------------------------------------------------------------------------------------

	def test_api_for_staff_applies_the_same_rules(self):
		frappe.set_user(make_user("confirmation.clerk@example.com", ["Complaint Clerk"]))
		result = confirmation.submit_complaint(
			customer=self.delivery.customer,
			category="Product Quality",
			subject="Motor hums",
			serial_no=self.delivery.serial_no,
		)
		complaint = frappe.get_doc("Customer Complaint", result["name"])
		self.assertEqual(complaint.channel, "API")
		self.assertEqual(complaint.delivery_note, self.delivery.delivery_note)
		with self.assertRaisesRegex(frappe.ValidationError, "was delivered to"):
			confirmation.submit_complaint(
				customer=self.delivery.customer,
				category="Product Quality",
				subject="x",
				serial_no=self.other.serial_no,
			)

	def test_api_refuses_unknown_fields(self):
		with self.assertRaisesRegex(frappe.ValidationError, "Unknown fields: status"):
			confirmation.submit_complaint(
				customer=self.delivery.customer, category="Product Quality", subject="x", status="Closed"
			)

	def test_api_without_create_permission_is_refused(self):
		frappe.set_user(make_user("just.a.reader@example.com", ["Management Representative"]))
		with self.assertRaises(frappe.PermissionError):
			confirmation.submit_complaint(
				customer=self.delivery.customer, category="Product Quality", subject="x"
			)

	# Portal ----------------------------------------------------------------------------------------

	def test_portal_user_complains_for_their_own_customer_only(self):
		portal = make_portal_user("portal.buyer@customer.example.com", self.delivery.customer)
		frappe.set_user(portal)
		result = confirmation.submit_complaint(category="Policy / Customer Service", subject="Rude driver")
		complaint = frappe.get_doc("Customer Complaint", result["name"])
		self.assertEqual(complaint.customer, self.delivery.customer)
		self.assertEqual(complaint.channel, "Portal")
		with self.assertRaises(frappe.PermissionError):
			confirmation.submit_complaint(
				customer=self.other.customer, category="Policy / Customer Service", subject="x"
			)

	def test_portal_confirmation_is_recorded_as_the_customer(self):
		complaint = make_complaint(customer=self.delivery.customer)
		portal = make_portal_user("portal.confirmer@customer.example.com", self.delivery.customer)
		frappe.set_user(portal)
		confirmation.confirm_complaint(complaint.name, "Please add that it happened twice")
		frappe.set_user("Administrator")
		complaint.reload()
		self.assertEqual(complaint.confirmation_status, "Confirmed")
		self.assertEqual(complaint.confirmations[0].method, "Customer portal")
		self.assertEqual(complaint.confirmations[0].by_customer, 1)
		self.assertEqual(complaint.confirmations[0].corrections, "Please add that it happened twice")

	def test_portal_user_of_another_customer_cannot_confirm(self):
		complaint = make_complaint(customer=self.delivery.customer)
		frappe.set_user(make_portal_user("portal.other@customer.example.com", self.other.customer))
		with self.assertRaises(frappe.PermissionError):
			confirmation.confirm_complaint(complaint.name)

	# Signed e-mail link ----------------------------------------------------------------------------

	def link_args(self, url: str) -> dict:
		query = parse_qs(urlparse(url).query)
		return {
			"complaint": query["complaint"][0],
			"expires": query["expires"][0],
			"signature": query["_signature"][0],
		}

	def test_signed_link_confirms(self):
		complaint = make_complaint(customer=self.delivery.customer)
		frappe.set_user("Guest")
		confirmation.confirm_by_link(
			**self.link_args(confirmation.confirmation_url(complaint.name, 72)), corrections="All correct"
		)
		frappe.set_user("Administrator")
		complaint.reload()
		self.assertEqual(complaint.confirmations[0].method, "E-mail link")
		self.assertEqual(complaint.confirmations[0].corrections, "All correct")

	def test_tampered_or_expired_link_is_refused(self):
		complaint = make_complaint(customer=self.delivery.customer)
		other = make_complaint(customer=self.other.customer)
		args = self.link_args(confirmation.confirmation_url(complaint.name, 72))
		with self.assertRaisesRegex(frappe.PermissionError, "not valid"):
			confirmation.confirm_by_link(**{**args, "complaint": other.name})
		with self.assertRaisesRegex(frappe.PermissionError, "expired"):
			confirmation.confirm_by_link(**self.link_args(confirmation.confirmation_url(complaint.name, -1)))
		self.assertEqual(
			frappe.db.count("Complaint Confirmation", {"parent": ("in", [complaint.name, other.name])}), 0
		)

	def test_send_confirmation_link_emails_the_complainant(self):
		make_email_account()
		complaint = make_complaint(
			customer=self.delivery.customer, complainant_email="li.ming@customer.example.com"
		)
		answer = confirmation.send_confirmation_link(complaint.name)
		queued = frappe.get_last_doc("Email Queue", {"reference_name": complaint.name})
		self.assertIn("li.ming@customer.example.com", [r.recipient for r in queued.recipients])
		self.assertEqual(answer, {"sent_to": "li.ming@customer.example.com"})  # staff never see the link
		self.assertIn("/complaint_confirmation?", queued.message)

	def test_a_signed_link_works_once(self):
		complaint = make_complaint(customer=self.delivery.customer)
		args = self.link_args(confirmation.confirmation_url(complaint.name, 72))
		frappe.set_user("Guest")
		try:
			confirmation.confirm_by_link(**args)
			with self.assertRaisesRegex(frappe.PermissionError, "used already"):
				confirmation.confirm_by_link(**args)
			with self.assertRaises(frappe.ValidationError):
				confirmation.confirm_by_link(
					**self.link_args(confirmation.confirmation_url(complaint.name, 73)),
					corrections="x" * 70_000,
				)
		finally:
			frappe.set_user("Administrator")
		self.assertEqual(len(frappe.get_doc("Customer Complaint", complaint.name).confirmations), 1)

	# Files -----------------------------------------------------------------------------------------

	def test_attachments_are_private(self):
		complaint = make_complaint(customer=self.delivery.customer)
		photo = frappe.get_doc(
			{
				"doctype": "File",
				"file_name": "leak.txt",
				"content": b"photo of the leak",
				"attached_to_doctype": "Customer Complaint",
				"attached_to_name": complaint.name,
				"is_private": 0,
			}
		).insert()
		self.assertEqual(photo.is_private, 1)
		self.assertTrue(photo.file_url.startswith("/private/files/"))


class TestHttpChannels(FrappeTestCase):
	"""Real HTTP requests through Frappe's WSGI app; data must be committed for the request to see it."""

	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.delivery = demo_delivery(2)
		cls.other = demo_delivery(3)
		user = frappe.get_doc("User", make_user("rest.clerk@example.com", ["Complaint Clerk"]))
		cls.secret = frappe.generate_hash(length=15)
		user.api_key = user.api_key or frappe.generate_hash(length=15)
		user.api_secret = cls.secret
		user.save(ignore_permissions=True)
		cls.token = f"token {user.api_key}:{cls.secret}"
		frappe.db.commit()
		cls.client = get_test_client()
		cls.created: list[str] = []

	@classmethod
	def tearDownClass(cls):
		for name in cls.created:
			frappe.delete_doc("Customer Complaint", name, force=True, ignore_permissions=True)
		frappe.db.commit()
		super().tearDownClass()

	def request(self, method: str, path: str, **kwargs):
		target = getattr(self.client, method)
		return make_request(target=target, args=(path,), kwargs=kwargs)

	def test_rest_insert_with_api_key_applies_the_rules(self):
		headers = {"Authorization": self.token}
		ok = self.request(
			"post",
			"/api/resource/Customer Complaint",
			json={
				"customer": self.delivery.customer,
				"category": "Product Quality",
				"subject": "Filter cracked",
				"serial_no": self.delivery.serial_no,
				"channel": "API",
			},
			headers=headers,
		)
		self.assertEqual(ok.status_code, 200, ok.get_data(as_text=True))
		data = ok.json["data"]
		self.created.append(data["name"])
		self.assertEqual(data["owner"], "rest.clerk@example.com")
		self.assertEqual(data["delivery_note"], self.delivery.delivery_note)
		self.assertEqual(
			data["region_manager"], frappe.db.get_value("Customer Complaint", data["name"], "region_manager")
		)

		bad = self.request(
			"post",
			"/api/resource/Customer Complaint",
			json={
				"customer": self.delivery.customer,
				"category": "Product Quality",
				"subject": "Wrong serial",
				"serial_no": self.other.serial_no,
			},
			headers=headers,
		)
		self.assertEqual(bad.status_code, 417)
		self.assertIn("was delivered to", bad.get_data(as_text=True))
		self.assertFalse(frappe.db.exists("Customer Complaint", {"subject": "Wrong serial"}))

	def test_confirmation_page_renders_for_a_signed_link_only(self):
		complaint = make_complaint(customer=self.delivery.customer, subject="Page check")
		frappe.db.commit()
		self.created.append(complaint.name)
		url = confirmation.confirmation_url(complaint.name, 72)
		page = self.request("get", urlparse(url).path + "?" + urlparse(url).query)
		self.assertEqual(page.status_code, 200)
		self.assertIn("Page check", page.get_data(as_text=True))
		forged = self.request(
			"get", f"/complaint_confirmation?complaint={complaint.name}&expires=2099-01-01&_signature=x"
		)
		self.assertNotIn("Page check", forged.get_data(as_text=True))
		self.assertIn("not valid", forged.get_data(as_text=True))
