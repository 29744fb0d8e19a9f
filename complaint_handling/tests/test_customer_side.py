"""Tier 2: the customer's moves in the portal, over HTTP as the portal sends them — the submission page and
what it offers (their own deliveries), photos (type, content, size, count, private to the complaint), the
answer to the decision, an outside escalation, the registration PDF, and the satisfaction survey (e-mailed
single-use link, portal, low score follow-up, department strikes). Another customer's user and a guest are
refused on every path."""

import io
import json
import re
import struct
import zlib
from email import message_from_string
from urllib.parse import parse_qs, urlparse

import frappe
from frappe.utils import add_days, now_datetime
from frappe.utils.password import update_password

from complaint_handling.setup import demo
from complaint_handling.tests.browser import served_site
from complaint_handling.tests.factories import make_portal_user, remove_complaint
from complaint_handling.tests.test_desk_buttons import HttpUser
from complaint_handling.tests.test_workflow import EAST_MANAGER, WorkflowTestCase, act

BUYER = "side.buyer@customers.example.com"
RIVAL = "side.rival@customers.example.com"


def png(size: int = 0) -> bytes:
	"""A real 1×1 PNG, padded with a text chunk to `size` bytes when asked."""

	def chunk(kind: bytes, data: bytes) -> bytes:
		return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

	body = chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)) + chunk(
		b"IDAT", zlib.compress(b"\x00\x00")
	)
	padding = max(0, size - 8 - len(body) - 24)
	if padding:
		body += chunk(b"tEXt", b"c\x00" + b"x" * padding)
	return b"\x89PNG\r\n\x1a\n" + body + chunk(b"IEND", b"")


class CustomerSideCase(WorkflowTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		from complaint_handling.tests.factories import demo_delivery

		cls.theirs = demo_delivery(3)
		for email, customer in ((BUYER, cls.east.customer), (RIVAL, cls.theirs.customer)):
			make_portal_user(email, customer)
			update_password(email, demo.DEMO_PASSWORD)
		for staff in (cls.clerk, cls.coordinator):
			update_password(staff, demo.DEMO_PASSWORD)
		frappe.db.commit()
		cls.buyer, cls.rival = HttpUser(BUYER), HttpUser(RIVAL)

	def guest_post(self, path: str, data: dict):
		from frappe.tests.test_api import make_request
		from frappe.utils import get_test_client

		return make_request(target=get_test_client().post, args=(path,), kwargs={"data": data})

	def guest_get(self, path: str, **params):
		from frappe.tests.test_api import make_request
		from frappe.utils import get_test_client

		return make_request(target=get_test_client().get, args=(path,), kwargs={"query_string": params})

	def submitted(self, **fields) -> str:
		response = self.buyer.post(
			"/api/method/complaint_handling.customer.confirmation.submit_complaint",
			{
				"category": "Policy / Customer Service",
				"subject": "Pump leaks after a week",
				"description": "Water under the pump",
				**fields,
			},
		)
		self.assertEqual(response.status_code, 200, response.get_data(as_text=True)[:400])
		frappe.db.commit()
		return response.json["message"]["name"]

	def replied(self, name: str):
		"""Staff take the complaint to Replied (the desk's part is tested in test_workflow)."""
		complaint = frappe.get_doc("Customer Complaint", name)
		complaint.record_readback("Read back by phone")
		complaint = act(self.clerk, frappe.get_doc("Customer Complaint", name), "Dispatch")
		complaint = act(EAST_MANAGER, complaint, "Propose", proposal="We exchange the pump free of charge.")
		if complaint.status == "Proposed" and not complaint.pending_approver:
			complaint = act(self.coordinator, complaint, "Accept Proposal")
		complaint = act(self.clerk, complaint, "Reply to Customer")  # the approved proposal is the decision
		self.assertEqual(complaint.status, "Replied")
		frappe.db.commit()
		return complaint

	def tearDown(self):
		frappe.set_user("Administrator")
		frappe.db.rollback()


class TestSubmission(CustomerSideCase):
	def test_the_form_offers_what_was_delivered_to_them_only(self):
		status = self.buyer.get("/complaints/new")
		html = status.get_data(as_text=True)
		self.assertEqual(status.status_code, 200, html[:300])
		self.assertIn(self.east.serial_no, html)
		self.assertNotIn(self.theirs.serial_no, html)
		self.assertIn('href="/complaints/new"', self.buyer.get("/complaints").get_data(as_text=True))
		chinese = self.buyer.get("/complaints/new", _lang="zh").get_data(as_text=True)
		self.assertIn("已交付给您的产品", chinese)  # the page in the customer's language
		self.assertEqual(self.guest_get("/complaints/new").status_code, 403)

	def test_submit_with_a_delivered_serial_then_photos_within_the_limits(self):
		name = self.submitted(
			item=self.east.item, serial_no=self.east.serial_no, delivery_note=self.east.delivery_note
		)
		stored = frappe.db.get_value(
			"Customer Complaint", name, ["customer", "channel", "serial_no", "delivery_note"], as_dict=True
		)
		self.assertEqual(
			(stored.customer, stored.channel, stored.serial_no),
			(self.east.customer, "Portal", self.east.serial_no),
		)
		attach = "/api/method/complaint_handling.customer.answers.attach_photo"

		def send(user, filename, content):
			return user.post(attach, {"name": name, "file": (io.BytesIO(content), filename)})

		ok = send(self.buyer, "leak.png", png())
		self.assertEqual(ok.status_code, 200, ok.get_data(as_text=True)[:400])
		url = ok.json["message"]["file_url"]
		self.assertTrue(url.startswith("/private/files/"))
		frappe.db.commit()
		# refused: not a photo, a document renamed, another customer's complaint
		for user, filename, content, status, words in (
			(self.buyer, "invoice.pdf", b"%PDF-1.4 ...", 417, "only photos"),
			(self.buyer, "leak.jpg", b"MZ\x90\x00 not a jpeg", 417, "not the photo"),
			(self.buyer, "leak.png", b"", 417, "empty"),
			(self.rival, "leak.png", png(), 403, "own portal users"),
		):
			response = send(user, filename, content)
			self.assertEqual(response.status_code, status, (filename, response.get_data(as_text=True)[:300]))
			self.assertIn(words, response.get_data(as_text=True))
		self.assertEqual(
			self.guest_post(attach, {"name": name, "file": (io.BytesIO(png()), "x.png")}).status_code, 403
		)
		# size and count come from the settings
		settings = frappe.get_single("Complaint Settings")
		limits = (settings.photo_max_mb, settings.photos_per_complaint)
		try:
			frappe.db.set_single_value(
				"Complaint Settings", {"photo_max_mb": 0.01, "photos_per_complaint": 2}
			)
			frappe.db.commit()
			too_big = send(self.buyer, "big.png", png(20_000))
			self.assertEqual(too_big.status_code, 417)
			self.assertIn("0.01 MB", too_big.get_data(as_text=True))
			self.assertEqual(send(self.buyer, "second.png", png(2_000)).status_code, 200)
			third = send(self.buyer, "third.png", png())
			self.assertEqual(third.status_code, 417)
			self.assertIn("at most 2 photos", third.get_data(as_text=True))
		finally:
			frappe.db.set_single_value(
				"Complaint Settings", {"photo_max_mb": limits[0], "photos_per_complaint": limits[1]}
			)
			frappe.db.commit()
		# the photo is private to the complaint: its customer sees it, nobody else
		self.assertEqual(self.buyer.get(url).status_code, 200)
		self.assertEqual(self.rival.get(url).status_code, 403)
		self.assertEqual(self.guest_get(url).status_code, 403)
		page = self.buyer.get(f"/complaints/{name}").get_data(as_text=True)
		self.assertIn(url, page)
		self.assertNotIn(url, self.rival.get(f"/complaints/{name}").get_data(as_text=True))
		frappe.db.delete("File", {"attached_to_name": name})
		remove_complaint(name)
		frappe.db.commit()


class TestAnswerAndEscalation(CustomerSideCase):
	ANSWER = "/api/method/complaint_handling.customer.answers.answer_decision"
	ESCALATE = "/api/method/complaint_handling.customer.answers.record_outside_escalation"

	def test_dispute_with_a_reason_then_the_company_records_it(self):
		name = self.submitted()
		early = self.buyer.post(self.ANSWER, {"name": name, "answer": "Accepted"})
		self.assertEqual(early.status_code, 417)  # nothing to answer before the company has replied
		self.assertEqual(
			self.buyer.post(self.ESCALATE, {"name": name, "authority": "Regulator"}).status_code, 417
		)
		self.replied(name)
		page = self.buyer.get(f"/complaints/{name}").get_data(as_text=True)
		self.assertIn('id="dispute-decision"', page)
		self.assertIn("We exchange the pump free of charge.", page)
		for user, data, status in (
			(self.rival, {"name": name, "answer": "Disputed", "reason": "x"}, 403),
			(self.buyer, {"name": name, "answer": "Disputed"}, 417),  # a dispute needs its reason
			(self.buyer, {"name": name, "answer": "Maybe"}, 417),
			(self.buyer, {"name": name, "answer": "Disputed", "reason": "x" * 2001}, 417),
			(self.buyer, {"name": "CC-NOPE", "answer": "Accepted"}, 404),
		):
			response = user.post(self.ANSWER, data)
			self.assertEqual(response.status_code, status, (data, response.get_data(as_text=True)[:300]))
		self.assertEqual(self.guest_post(self.ANSWER, {"name": name, "answer": "Accepted"}).status_code, 403)
		answered = self.buyer.post(
			self.ANSWER, {"name": name, "answer": "Disputed", "reason": "An exchange is not enough."}
		)
		self.assertEqual(answered.status_code, 200, answered.get_data(as_text=True)[:400])
		frappe.db.commit()
		stored = frappe.get_doc("Customer Complaint", name)
		self.assertEqual(
			(stored.customer_response, stored.dispute_reason, stored.status),
			("Disputed", "An exchange is not enough.", "Replied"),
		)
		self.assertTrue(
			frappe.db.exists(
				"Comment", {"reference_name": name, "content": ["like", "%An exchange is not enough.%"]}
			)
		)
		# once only
		self.assertEqual(self.buyer.post(self.ANSWER, {"name": name, "answer": "Accepted"}).status_code, 417)
		# the clerk records the dispute in the workflow; the reason is the customer's
		stored = act(self.clerk, stored, "Record Dispute")
		self.assertEqual((stored.status, stored.dispute_reason), ("Disputed", "An exchange is not enough."))
		# the customer's answer is theirs: staff cannot rewrite it over REST
		staff = HttpUser(self.clerk)
		from frappe.tests.test_api import make_request

		rewrite = make_request(
			target=staff.client.put,
			args=(f"/api/resource/Customer Complaint/{name}",),
			kwargs={
				"data": json.dumps({"customer_response": "Accepted"}),
				"content_type": "application/json",
			},
		)
		self.assertEqual(rewrite.status_code, 403)
		# the customer goes to the regulator: recorded, dated, on the page
		for data, status in (
			({"name": name, "authority": ""}, 417),
			({"name": name, "authority": "x" * 141}, 417),
			(
				{
					"name": name,
					"authority": "Regulator",
					"escalated_on": str(add_days(now_datetime(), 2).date()),
				},
				417,
			),
			({"name": name, "authority": "Regulator", "escalated_on": "not a date"}, 417),
		):
			self.assertEqual(self.buyer.post(self.ESCALATE, data).status_code, status, data)
		self.assertEqual(
			self.rival.post(self.ESCALATE, {"name": name, "authority": "Regulator"}).status_code, 403
		)
		escalated = self.buyer.post(
			self.ESCALATE,
			{"name": name, "authority": "Market regulator 市场监督管理局", "reference": "12315-88"},
		)
		self.assertEqual(escalated.status_code, 200, escalated.get_data(as_text=True)[:400])
		frappe.db.commit()
		rows = frappe.get_all(
			"Complaint Escalation",
			filters={"parent": name},
			fields=["authority", "reference", "escalated_on"],
		)
		self.assertEqual(
			[(r.authority, r.reference) for r in rows], [("Market regulator 市场监督管理局", "12315-88")]
		)
		self.assertIn("Market regulator", self.buyer.get(f"/complaints/{name}").get_data(as_text=True))
		remove_complaint(name)
		frappe.db.commit()

	def test_accept_then_the_registration_pdf_is_the_customers_copy(self):
		name = self.submitted()
		self.replied(name)
		self.assertEqual(self.buyer.post(self.ANSWER, {"name": name, "answer": "Accepted"}).status_code, 200)
		frappe.db.commit()
		self.assertEqual(frappe.db.get_value("Customer Complaint", name, "customer_response"), "Accepted")
		page = self.buyer.get(f"/complaints/{name}").get_data(as_text=True)
		self.assertNotIn('id="dispute-decision"', page)
		pdf_url = re.search(r'id="download-pdf" href="([^"]+)"', page).group(1).replace("&amp;", "&")
		query = {k: v[0] for k, v in parse_qs(urlparse(pdf_url).query).items()}
		# the print the customer gets leaves out what the company keeps to itself
		view = self.buyer.get("/printview", doctype="Customer Complaint", name=name, format=query["format"])
		html = view.get_data(as_text=True)
		self.assertEqual(view.status_code, 200, html[:300])
		self.assertIn("We exchange the pump free of charge.", html)
		self.assertNotIn("Proposed Handling", html)  # the internal proposal and its approvals
		self.assertNotIn("Approvals", html)
		staff = HttpUser(self.coordinator)
		staff_view = staff.get("/printview", doctype="Customer Complaint", name=name, format=query["format"])
		self.assertIn("Proposed Handling", staff_view.get_data(as_text=True))
		self.assertEqual(
			self.rival.get(
				"/printview", doctype="Customer Complaint", name=name, format=query["format"]
			).status_code,
			403,
		)
		from frappe.installer import update_site_config

		before = frappe.get_site_config().get("host_name")
		with served_site() as url:  # wkhtmltopdf loads the site's assets from the served site
			update_site_config("host_name", "http://127.0.0.1:" + url.rsplit(":", 1)[1])
			try:
				pdf = self.buyer.get(urlparse(pdf_url).path, **query)
			finally:
				update_site_config("host_name", before or "None")  # "None" removes the key
		self.assertEqual(pdf.status_code, 200, pdf.get_data()[:300])
		self.assertTrue(pdf.get_data().startswith(b"%PDF"))
		self.assertEqual(self.rival.get(urlparse(pdf_url).path, **query).status_code, 403)
		remove_complaint(name)
		frappe.db.commit()


class TestSurvey(CustomerSideCase):
	SUBMIT = "/api/method/complaint_handling.customer.surveys.submit_survey"
	CARD = "/api/method/complaint_handling.customer.satisfaction.satisfaction_card"

	def closed(self, **fields) -> str:
		name = self.submitted(**fields)
		complaint = self.replied(name)
		frappe.db.delete("Email Queue", {"reference_name": name})
		act(self.clerk, complaint, "Close")
		frappe.db.commit()
		return name

	def survey_link(self, name: str) -> dict:
		mail = frappe.get_all(
			"Email Queue",
			filters={"reference_doctype": "Customer Complaint", "reference_name": name},
			fields=["message"],
		)
		self.assertEqual(len(mail), 1, "one survey e-mail on closure")
		message = message_from_string(mail[0].message)
		raw = "".join(
			part.get_payload(decode=True).decode()
			for part in message.walk()
			if part.get_content_type() in ("text/html", "text/plain")
		).replace("&amp;", "&")
		found = re.search(r"(/complaint_survey\?[^\"'\s<>)]+)", raw)
		self.assertTrue(found, raw[:500])
		query = parse_qs(urlparse(found.group(1)).query)
		return {k: v[0] for k, v in query.items()}

	def ratings(self, value: int) -> str:
		from complaint_handling.customer.surveys import questions

		return json.dumps({q: value for q in questions()})

	def test_the_emailed_link_rates_once_and_a_forged_or_expired_one_never(self):
		name = self.closed(complainant_email=BUYER)
		link = self.survey_link(name)
		page = self.guest_get("/complaint_survey", **link)
		self.assertEqual(page.status_code, 200)
		self.assertIn("How quickly we responded", page.get_data(as_text=True))
		args = {"complaint": name, "expires": link["expires"], "signature": link["_signature"]}
		for forged, status in (
			({**args, "signature": "0" * 40}, 403),
			({**args, "expires": "2099-01-01T00:00:00"}, 403),
			({**args, "ratings": json.dumps({"Overall satisfaction": 9})}, 417),
			({**args, "ratings": "not json"}, 417),
		):
			forged.setdefault("ratings", self.ratings(5))
			self.assertEqual(self.guest_post(self.SUBMIT, forged).status_code, status, forged)
		rated = self.guest_post(self.SUBMIT, {**args, "ratings": self.ratings(5), "comment": "<b>Quick</b>"})
		self.assertEqual(rated.status_code, 200, rated.get_data(as_text=True)[:400])
		self.assertEqual(rated.json["message"]["satisfaction_score"], 100.0)
		frappe.db.commit()
		feedback = frappe.get_doc("Quality Feedback", {"customer_complaint": name})
		self.assertEqual((feedback.document_type, feedback.document_name), ("Customer", self.east.customer))
		self.assertEqual({p.rating for p in feedback.parameters}, {"5"})
		self.assertNotIn("<b>", "".join(p.feedback or "" for p in feedback.parameters))
		self.assertEqual(frappe.db.get_value("Customer Complaint", name, "satisfaction_score"), 100.0)
		# single use
		again = self.guest_post(self.SUBMIT, {**args, "ratings": self.ratings(1)})
		self.assertEqual(again.status_code, 417)
		self.assertIn("rated already", self.guest_get("/complaint_survey", **link).get_data(as_text=True))
		# expired links are refused
		from complaint_handling.customer.surveys import survey_url

		with self.freeze(add_days(now_datetime(), -30)):
			old = {k: v[0] for k, v in parse_qs(urlparse(survey_url(name, 14)).query).items()}
		expired = self.guest_post(
			self.SUBMIT,
			{
				"complaint": name,
				"expires": old["expires"],
				"signature": old["_signature"],
				"ratings": self.ratings(5),
			},
		)
		self.assertEqual(expired.status_code, 403)
		self.assertIn("expired", expired.get_data(as_text=True))
		frappe.delete_doc("Quality Feedback", feedback.name, force=True, ignore_permissions=True)
		remove_complaint(name)
		frappe.db.commit()

	def test_the_satisfaction_card_counts_each_survey_for_those_who_may_see_it(self):
		"""The card reads the monthly summary: after a survey it shows, to each user, the mean over exactly the
		surveyed complaints that user may see; what a survey or a deletion added equals a recount."""
		from complaint_handling.access.permissions import complaint_conditions
		from complaint_handling.customer import satisfaction

		def card(user: str):
			return HttpUser(user).post(self.CARD, {"filters": "[]"})

		def expected(user: str) -> float:
			rule = complaint_conditions(user)
			surveys, total = frappe.db.sql(
				f"""select count(*), sum(satisfaction_score) from `tabCustomer Complaint`
				where quality_feedback > '' {"and " + rule if rule else ""}"""
			)[0]
			return round(float(total) / surveys, 1) if surveys else 0

		def summary() -> list:
			columns = ", ".join(("name", "month", *satisfaction.RULE_COLUMNS, "surveys", "score_total"))
			return frappe.db.sql(
				f"select {columns} from {satisfaction.TABLE} where surveys != 0 order by name"
			)

		satisfaction.rebuild()
		frappe.db.commit()
		name = self.closed(complainant_email=BUYER)
		link = self.survey_link(name)
		args = {"complaint": name, "expires": link["expires"], "signature": link["_signature"]}
		rated = self.guest_post(self.SUBMIT, {**args, "ratings": self.ratings(2)})
		self.assertEqual(rated.status_code, 200, rated.get_data(as_text=True)[:400])
		frappe.db.commit()
		users = [f"coordinator@{demo.EMAIL_DOMAIN}", *(t.manager_email for t in demo.TERRITORIES)]
		values = {}
		for user in users:
			answer = card(user)
			self.assertEqual(answer.status_code, 200, (user, answer.get_data(as_text=True)[:300]))
			values[user] = answer.json["message"]["value"]
			self.assertEqual(values[user], expected(user), user)
		self.assertNotEqual(values[users[1]], values[users[2]], "each region its own surveys")
		self.assertEqual(self.buyer.post(self.CARD, {"filters": "[]"}).status_code, 403, "the desk's card")
		self.assertEqual(self.guest_post(self.CARD, {"filters": "[]"}).status_code, 403)
		counted = summary()
		satisfaction.rebuild()
		self.assertEqual(summary(), counted, "what the survey added is what a recount finds")
		frappe.delete_doc("Quality Feedback", rated.json["message"]["quality_feedback"], force=True)
		remove_complaint(name)
		left = summary()
		satisfaction.rebuild()
		self.assertEqual(summary(), left, "a deleted complaint takes its score away")
		frappe.db.commit()

	def freeze(self, moment):
		from freezegun import freeze_time

		return freeze_time(moment)

	def test_a_low_score_in_the_portal_is_followed_up_and_three_flag_the_department(self):
		department = frappe.db.get_value("Department", {"is_group": 0}, "name")
		frappe.db.set_value(
			"Department",
			department,
			{"complaint_low_satisfaction": 0, "complaint_satisfaction_flagged_on": None},
		)
		names = []
		for n in range(3):
			name = self.closed(subject=f"Survey strike {n}")
			frappe.db.set_value("Customer Complaint", name, "handling_department", department)
			frappe.db.commit()
			names.append(name)
			self.assertIn("rate-handling", self.buyer.get(f"/complaints/{name}").get_data(as_text=True))
			self.assertEqual(
				self.rival.post(self.SUBMIT, {"complaint": name, "ratings": self.ratings(1)}).status_code, 403
			)
			rated = self.buyer.post(self.SUBMIT, {"complaint": name, "ratings": self.ratings(2)})
			self.assertEqual(rated.status_code, 200, rated.get_data(as_text=True)[:400])
			self.assertEqual(
				rated.json["message"], {**rated.json["message"], "satisfaction_score": 40.0, "low": True}
			)
			frappe.db.commit()
			todos = frappe.get_all(
				"ToDo",
				filters={"reference_name": name, "description": ["like", "%40%"]},
				pluck="allocated_to",
			)
			self.assertTrue(todos, "a low score is followed up")
			flagged = frappe.db.get_value("Department", department, "complaint_satisfaction_flagged_on")
			self.assertEqual(bool(flagged), n == 2, n)
		self.assertEqual(frappe.db.get_value("Department", department, "complaint_low_satisfaction"), 3)
		for name in names:
			frappe.db.delete("Quality Feedback", {"customer_complaint": name})
			frappe.db.delete("ToDo", {"reference_name": name})
			remove_complaint(name)
		frappe.db.set_value(
			"Department",
			department,
			{"complaint_low_satisfaction": 0, "complaint_satisfaction_flagged_on": None},
		)
		frappe.db.commit()
