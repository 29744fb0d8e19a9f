"""Tier 2, adversary: every write path a role has, tried on every protected field — and refused.

Each attempt of the integrity review is a test here, over HTTP as an attacker would send it: REST
(`/api/resource`), `frappe.client.set_value`, the desk's save (`frappe.desk.form.save.savedocs`) and the
workflow (`frappe.model.workflow.apply_workflow`). After every refusal the database still holds what
it held before.
"""

import json

import frappe
from frappe.tests.test_api import make_request
from frappe.tests.utils import FrappeTestCase
from frappe.utils import get_test_client
from frappe.utils.password import update_password

from complaint_handling.domain.protection import SERVER_KEPT, SERVER_OWNED
from complaint_handling.setup import demo
from complaint_handling.tests.factories import demo_delivery, make_complaint, make_portal_user
from complaint_handling.tests.test_desk_buttons import HttpUser
from complaint_handling.tests.test_workflow import act

PASSWORD = demo.DEMO_PASSWORD
CLERK = f"clerk@{demo.EMAIL_DOMAIN}"
COORDINATOR = f"coordinator@{demo.EMAIL_DOMAIN}"
DIRECTOR = f"director@{demo.EMAIL_DOMAIN}"
GM = f"gm@{demo.EMAIL_DOMAIN}"
EAST = demo.TERRITORIES[0].manager_email
RESOURCE = "/api/resource/Customer Complaint"


class Attacker(HttpUser):
	def put(self, name: str, fields: dict):
		from frappe.tests.test_api import make_request

		return make_request(target=self.client.put, args=(f"{RESOURCE}/{name}",), kwargs={"json": fields})

	def put_memo(self, name: str, fields: dict):
		from frappe.tests.test_api import make_request

		return make_request(
			target=self.client.put, args=(f"/api/resource/Complaint Memo/{name}",), kwargs={"json": fields}
		)

	def insert(self, fields: dict):
		from frappe.tests.test_api import make_request

		return make_request(target=self.client.post, args=(RESOURCE,), kwargs={"json": fields})

	def set_value(self, name: str, field: str, value):
		return self.post(
			"/api/method/frappe.client.set_value",
			{"doctype": "Customer Complaint", "name": name, "fieldname": field, "value": value},
		)

	def desk_save(self, doc, **changes):
		data = doc.as_dict()
		data.update(changes)
		return self.post(
			"/api/method/frappe.desk.form.save.savedocs",
			{"doc": json.dumps(data, default=str), "action": "Save"},
		)

	def workflow(self, doc, action: str):
		return self.post(
			"/api/method/frappe.model.workflow.apply_workflow",
			{"doc": json.dumps(doc.as_dict(), default=str), "action": action},
		)


class AdversaryCase(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.delivery = demo_delivery(0)  # East Region
		cls.created: list[str] = []
		frappe.cache.delete_keys(
			"complaint_handling:"
		)  # throttle counters of earlier runs (all from 127.0.0.1)
		frappe.db.commit()

	@classmethod
	def tearDownClass(cls):
		frappe.set_user("Administrator")
		frappe.db.commit()
		for name in cls.created:
			if frappe.db.exists("Customer Complaint", name):
				for memo in frappe.get_all("Complaint Memo", {"complaint": name}, pluck="name"):
					frappe.db.set_value("Complaint Memo", memo, "docstatus", 2)
					frappe.delete_doc("Complaint Memo", memo, force=True, ignore_permissions=True)
				frappe.db.set_value("Customer Complaint", name, "docstatus", 2)
				frappe.delete_doc("Customer Complaint", name, force=True, ignore_permissions=True)
		frappe.db.commit()
		super().tearDownClass()

	def complaint(self, **fields):
		doc = make_complaint(customer=self.delivery.customer, **fields)
		self.created.append(doc.name)
		return doc

	def in_handling(self, **fields):
		doc = self.complaint(**fields)
		doc = act(CLERK, doc, "Dispatch", unconfirmed_reason="Customer not reachable")
		frappe.db.commit()
		return doc

	def snapshot(self, name: str) -> dict:
		frappe.db.commit()
		doc = frappe.get_doc("Customer Complaint", name)
		return {
			f: doc.get(f)
			for f in (
				"status",
				"workflow_state",
				"docstatus",
				"approval_chain",
				"pending_approver",
				"decision",
				"handler",
			)
		} | {"approvals": len(doc.approvals)}

	def assert_refused(self, response, name: str | None, before: dict | None, status: int = 403):
		self.assertEqual(response.status_code, status, response.get_data(as_text=True)[:600])
		if name:
			self.assertEqual(self.snapshot(name), before)


class TestStateChangesOnlyThroughTheirOwners(AdversaryCase):
	def test_clerk_cannot_reply_by_rest(self):
		doc = self.in_handling(subject="Adversary: clerk reply")
		before = self.snapshot(doc.name)
		clerk = Attacker(CLERK)
		self.assert_refused(
			clerk.put(doc.name, {"status": "Replied", "decision": "refund 40,000"}), doc.name, before
		)
		# no reply went out: no queued mail carries the forged decision
		self.assertFalse(frappe.db.exists("Email Queue", {"message": ("like", "%refund 40,000%")}))

	def test_region_manager_cannot_approve_by_rest_set_value_or_desk_save(self):
		doc = self.in_handling(subject="Adversary: RM approve")
		before = self.snapshot(doc.name)
		rm = Attacker(EAST)
		self.assert_refused(rm.put(doc.name, {"status": "Approved"}), doc.name, before)
		self.assert_refused(rm.set_value(doc.name, "status", "Approved"), doc.name, before)
		self.assert_refused(
			rm.desk_save(frappe.get_doc("Customer Complaint", doc.name), status="Approved"), doc.name, before
		)

	def forged(self, doc, field: str):
		"""A value for `field` that differs from what the complaint holds."""
		df = frappe.get_meta("Customer Complaint").get_field(field)
		if df.fieldtype == "Table":
			rows = {"approvals": {"party": "Marketing Director", "approver": DIRECTOR}}
			return [
				rows.get(
					field,
					{"method": "Read back by phone"} if field == "confirmations" else {"complaint": doc.name},
				)
			]
		if df.fieldtype == "Check":
			return 0 if frappe.db.get_value("Customer Complaint", doc.name, field) else 1
		if df.fieldtype == "Select":
			return [o for o in (df.options or "").split("\n") if o][-1]
		if df.fieldtype == "Link" and df.options == "Issue":  # the service desk's ticket: one made here
			issue = frappe.get_doc({"doctype": "Issue", "subject": "Adversary: a forged ticket"})
			issue.insert(ignore_permissions=True)
			frappe.db.commit()
			self.addCleanup(lambda: (frappe.delete_doc("Issue", issue.name, force=True), frappe.db.commit()))
			return issue.name
		if df.fieldtype == "Link" and df.options == "Quality Feedback":  # the survey's answers: made here
			feedback = frappe.get_doc(
				{
					"doctype": "Quality Feedback",
					"template": frappe.get_all("Quality Feedback Template", limit=1, pluck="name")[0],
					"document_type": "Customer",
					"document_name": doc.customer,
				}
			).insert(ignore_permissions=True)
			frappe.db.commit()
			self.addCleanup(
				lambda: (frappe.delete_doc("Quality Feedback", feedback.name, force=True), frappe.db.commit())
			)
			return feedback.name
		if df.fieldtype == "Link":
			return CLERK if df.options == "User" else frappe.get_all(df.options, limit=1, pluck="name")[0]
		return {"Int": 7, "Datetime": "2030-01-01 00:00:00"}.get(df.fieldtype, "Forged")

	def test_every_server_owned_field_is_refused_to_every_role_on_every_path(self):
		"""REST and frappe.client.set_value, as clerk, region manager, coordinator and director."""
		doc = self.in_handling(subject="Adversary: every field")
		before = self.snapshot(doc.name)
		meta = frappe.get_meta("Customer Complaint")
		# a field of an optional app (hd_ticket: Frappe Helpdesk) where that app is installed
		fields = [
			f
			for f in sorted(SERVER_OWNED - {"status"})
			if meta.get_field(f) and not meta.get_field(f).fetch_from
		]
		for user in (CLERK, EAST, COORDINATOR, DIRECTOR):
			attacker = Attacker(user)
			for field in fields:
				value = self.forged(doc, field)
				response = attacker.put(doc.name, {field: value})
				self.assertEqual(
					response.status_code, 403, (user, field, response.get_data(as_text=True)[:300])
				)
				response = attacker.set_value(
					doc.name, field, json.dumps(value) if isinstance(value, list) else value
				)
				self.assertIn(
					response.status_code,
					(403, 417),
					(user, field, "set_value", response.get_data(as_text=True)[:300]),
				)
		self.assertEqual(self.snapshot(doc.name), before)

	def test_what_the_server_keeps_ignores_every_client_and_a_stale_form_still_saves(self):
		"""Fields the sweep and background jobs change without a save: a write changes nothing, on any path."""
		doc = self.in_handling(subject="Adversary: server-kept fields")
		meta = frappe.get_meta("Customer Complaint")
		fields = sorted(f for f in SERVER_KEPT if meta.get_field(f))

		def stored() -> dict:
			frappe.db.commit()
			return frappe.db.get_value("Customer Complaint", doc.name, fields, as_dict=True)

		before = stored()
		for user in (CLERK, COORDINATOR):
			attacker = Attacker(user)
			for field in fields:
				response = attacker.put(doc.name, {field: self.forged(doc, field)})
				self.assertIn(
					response.status_code, (200, 403), (user, field, response.get_data(as_text=True)[:300])
				)
		self.assertEqual(stored(), before)
		# a reply reaches the customer behind an open form (the e-mail hook stamps it without a save); the
		# form's later save keeps the stamp
		stale = frappe.get_doc("Customer Complaint", doc.name)
		replied = frappe.utils.now_datetime().replace(microsecond=0)
		frappe.db.set_value(
			"Customer Complaint",
			doc.name,
			{"first_responded_on": replied, "last_replied_on": replied},
			update_modified=False,
		)
		frappe.db.commit()
		response = Attacker(COORDINATOR).desk_save(stale, unconfirmed_reason="Customer still not reachable")
		self.assertEqual(response.status_code, 200, response.get_data(as_text=True)[:400])
		self.assertEqual((stored().first_responded_on, stored().last_replied_on), (replied, replied))

	def test_coordinator_cannot_blank_the_pending_approver(self):
		doc = self.in_handling(subject="Adversary: blank approver")
		doc = act(EAST, doc, "Propose", proposal="Refund", amount_at_stake=60000)
		frappe.db.commit()
		before = self.snapshot(doc.name)
		self.assertEqual(before["pending_approver"], "Marketing Director")
		coordinator = Attacker(COORDINATOR)
		self.assert_refused(coordinator.put(doc.name, {"pending_approver": ""}), doc.name, before)
		self.assert_refused(
			coordinator.put(doc.name, {"pending_approver_user": COORDINATOR}), doc.name, before
		)
		accept = coordinator.workflow(frappe.get_doc("Customer Complaint", doc.name), "Accept Proposal")
		self.assertGreaterEqual(accept.status_code, 400)
		self.assertEqual(self.snapshot(doc.name), before)

	def test_director_cannot_shorten_the_approval_chain(self):
		doc = self.in_handling(subject="Adversary: chain")
		doc = act(EAST, doc, "Propose", proposal="Refund", amount_at_stake=60000)
		frappe.db.commit()
		before = self.snapshot(doc.name)
		self.assertEqual(before["approval_chain"], "Marketing Director, General Manager")
		director = Attacker(DIRECTOR)
		self.assert_refused(
			director.put(doc.name, {"approval_chain": "Marketing Director"}), doc.name, before
		)
		approved = director.workflow(frappe.get_doc("Customer Complaint", doc.name), "Approve")
		self.assertEqual(approved.status_code, 200, approved.get_data(as_text=True)[:400])
		after = self.snapshot(doc.name)
		self.assertEqual((after["status"], after["pending_approver"]), ("Proposed", "General Manager"))

	def test_the_approved_decision_is_what_the_customer_is_told(self):
		doc = self.in_handling(subject="Adversary: decision")
		doc = act(EAST, doc, "Propose", proposal="Refund the freight of 120", amount_at_stake=100)
		doc = act(COORDINATOR, doc, "Accept Proposal")
		frappe.db.commit()
		before = self.snapshot(doc.name)
		self.assertEqual(before["decision"], "Refund the freight of 120")
		self.assert_refused(Attacker(CLERK).put(doc.name, {"decision": "refund 40,000"}), doc.name, before)

	def test_amount_is_frozen_once_proposed(self):
		doc = self.in_handling(subject="Adversary: amount")
		doc = act(EAST, doc, "Propose", proposal="Refund", amount_at_stake=60000)
		frappe.db.commit()
		before = self.snapshot(doc.name)
		self.assert_refused(Attacker(DIRECTOR).put(doc.name, {"amount_at_stake": 100}), doc.name, before)

	def test_nobody_accepts_their_own_proposal(self):
		doc = self.in_handling(subject="Adversary: self accept")
		coordinator = Attacker(COORDINATOR)
		proposed = coordinator.workflow(frappe.get_doc("Customer Complaint", doc.name), "Propose")
		self.assertEqual(proposed.status_code, 417)  # a proposal needs its text first
		frappe.set_user("Administrator")
		frappe.db.set_value("Customer Complaint", doc.name, "proposal", "Small refund")
		frappe.db.commit()
		proposed = coordinator.workflow(frappe.get_doc("Customer Complaint", doc.name), "Propose")
		self.assertEqual(proposed.status_code, 200, proposed.get_data(as_text=True)[:400])
		before = self.snapshot(doc.name)
		self.assertEqual(before["pending_approver"], None)
		accepted = coordinator.workflow(frappe.get_doc("Customer Complaint", doc.name), "Accept Proposal")
		self.assert_refused(accepted, doc.name, before)
		self.assertIn("SelfApprovalError", accepted.get_data(as_text=True))

	def test_a_complaint_is_never_inserted_submitted(self):
		clerk = Attacker(CLERK)
		count = frappe.db.count("Customer Complaint")
		response = clerk.insert(
			{
				"customer": self.delivery.customer,
				"category": "Policy / Customer Service",
				"subject": "Adversary: straight to closed",
				"description": '<img src=x onerror="alert(1)">',
				"docstatus": 1,
			}
		)
		self.assertEqual(response.status_code, 403, response.get_data(as_text=True)[:400])
		frappe.db.commit()
		self.assertEqual(frappe.db.count("Customer Complaint"), count)

	def test_docstatus_cannot_be_posted_on_an_open_complaint(self):
		doc = self.in_handling(subject="Adversary: docstatus")
		before = self.snapshot(doc.name)
		self.assert_refused(Attacker(CLERK).put(doc.name, {"docstatus": 1}), doc.name, before)


class TestPortalCustomers(AdversaryCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.portal = make_portal_user("adversary.buyer@customers.example.com", cls.delivery.customer)
		update_password(cls.portal, PASSWORD)
		frappe.db.commit()

	def test_portal_customer_cannot_forge_internal_fields(self):
		"""Refused (403), or — for fields above the portal's permission level — dropped by Frappe."""
		buyer = Attacker(self.portal)
		base = {"category": "Policy / Customer Service", "subject": "Adversary: portal forgery"}
		for forged in (
			{"approvals": [{"party": "Marketing Director", "approver": DIRECTOR}]},
			{"confirmations": [{"method": "Read back by phone"}]},
			{"is_vip": 1},
			{"severity": "Urgent"},
			{"decision": "Full refund"},
			{"handler": DIRECTOR},  # routing names the region manager
			{"amount_at_stake": 90000},
			{"complainant_email": "victim@elsewhere.example.com"},
		):
			response = buyer.insert(base | forged)
			if response.status_code == 200:
				name = response.json["data"]["name"]
				self.created.append(name)
				frappe.db.commit()  # a fresh snapshot: the request committed in its own connection
				stored = frappe.get_doc("Customer Complaint", name)
				for field, value in forged.items():
					if isinstance(value, list):
						self.assertFalse(stored.get(field), field)
					else:
						self.assertNotEqual(stored.get(field), value, field)
			else:
				self.assertEqual(response.status_code, 403, (forged, response.get_data(as_text=True)[:300]))
		ok = buyer.insert(base)
		self.assertEqual(ok.status_code, 200, ok.get_data(as_text=True)[:400])
		self.created.append(ok.json["data"]["name"])
		self.assertEqual(ok.json["data"]["complainant_email"], self.portal)
		self.assertEqual(ok.json["data"]["channel"], "Portal")

	def test_portal_customer_reads_no_internal_field(self):
		doc = self.complaint(
			subject="Adversary: what the customer reads",
			amount_at_stake=1234,
			unconfirmed_reason="Internal note",
		)
		frappe.db.commit()
		self.assertTrue(doc.region_manager and doc.sla_policy and doc.response_by)
		data = Attacker(self.portal).get(f"{RESOURCE}/{doc.name}").json["data"]
		for field in (
			"handler",
			"amount_at_stake",
			"approval_chain",
			"approvals",
			"unconfirmed_reason",
			"sla_policy",
			"response_by",
			"region_manager",
			"proposal",
			"handler_party",
		):
			self.assertFalse(data.get(field), (field, data.get(field)))  # absent or blank, never the value
		staff = Attacker(CLERK).get(f"{RESOURCE}/{doc.name}").json["data"]
		self.assertEqual((staff["amount_at_stake"], staff["unconfirmed_reason"]), (1234, "Internal note"))
		for field in ("subject", "status", "confirmation_status", "category"):
			self.assertIn(field, data, field)


class TestTheAccused(AdversaryCase):
	def test_an_accused_region_manager_neither_handles_nor_reads(self):
		employee = frappe.db.get_value("Employee", {"user_id": EAST}, "name")
		doc = self.complaint(subject="Adversary: about the region manager", complained_employee=employee)
		doc = act(COORDINATOR, doc, "Dispatch", unconfirmed_reason="Customer not reachable")
		frappe.db.commit()
		self.assertNotEqual(doc.handler, EAST)
		self.assertEqual(doc.handler_party, "Marketing Director")
		self.assertFalse(frappe.db.exists("DocShare", {"share_name": doc.name, "user": EAST}))
		self.assertFalse(frappe.db.exists("ToDo", {"reference_name": doc.name, "allocated_to": EAST}))
		rm = Attacker(EAST)
		self.assertEqual(rm.get(f"{RESOURCE}/{doc.name}").status_code, 403)
		listed = rm.get(RESOURCE, filters=json.dumps([["name", "=", doc.name]]))
		self.assertEqual(listed.json["data"], [])
		memo = frappe.get_doc(
			{
				"doctype": "Complaint Memo",
				"complaint": doc.name,
				"subject": "About the region manager",
				"to_department": frappe.db.get_value("Department", {"complaint_head": ("is", "set")}, "name"),
				"addressee": EAST,
			}
		).insert(ignore_permissions=True)
		frappe.db.commit()
		self.assertEqual(rm.get(f"/api/resource/Complaint Memo/{memo.name}").status_code, 403)
		self.assertFalse(frappe.db.exists("DocShare", {"share_name": memo.name, "user": EAST}))
		# nobody can give him access by hand: a share, or an assignment (which shares), is refused
		coordinator = Attacker(COORDINATOR)
		for doctype, name in (("Customer Complaint", doc.name), ("Complaint Memo", memo.name)):
			shared = coordinator.post(
				"/api/method/frappe.share.add",
				{"doctype": doctype, "name": name, "user": EAST, "read": 1, "write": 1},
			)
			self.assertEqual(shared.status_code, 403, shared.get_data(as_text=True)[:300])
		assigned = coordinator.post(
			"/api/method/frappe.desk.form.assign_to.add",
			{"doctype": "Customer Complaint", "name": doc.name, "assign_to": json.dumps([EAST])},
		)
		self.assertGreaterEqual(assigned.status_code, 400)
		frappe.db.commit()
		self.assertFalse(
			frappe.db.exists("DocShare", {"share_name": ("in", [doc.name, memo.name]), "user": EAST})
		)
		self.assertEqual(rm.get(f"{RESOURCE}/{doc.name}").status_code, 403)


class TestNoServerErrors(AdversaryCase):
	"""Bad input answers 4xx with a message naming the field; nothing is saved."""

	def test_bad_values_are_refused_with_the_field_named(self):
		clerk = Attacker(CLERK)
		count = frappe.db.count("Customer Complaint")
		base = {
			"customer": self.delivery.customer,
			"category": "Policy / Customer Service",
			"subject": "Adversary: input",
		}
		for bad, field_label in (
			({"customer": "No Such Customer Ltd"}, "Customer"),
			({"category": "No Such Category"}, "Category"),
			({"severity": "Catastrophic"}, "Severity"),
			({"amount_at_stake": -5}, "Amount at Stake"),
			({"amount_at_stake": "1e400"}, "Amount at Stake"),
			({"amount_at_stake": "lots"}, "Amount at Stake"),
			({"channel": "Telepathy"}, "Channel"),
		):
			response = clerk.insert(base | bad)
			body = response.get_data(as_text=True)
			self.assertIn(response.status_code // 100, (4,), (bad, body[:400]))
			self.assertIn(field_label, body, bad)
		frappe.db.commit()
		self.assertEqual(frappe.db.count("Customer Complaint"), count)


class TestFiles(AdversaryCase):
	def test_a_complaint_file_stays_private_when_its_uploader_makes_it_public(self):
		doc = self.complaint(subject="Adversary: file")
		file = frappe.get_doc(
			{
				"doctype": "File",
				"file_name": "photo.txt",
				"content": b"photo of the leaking pump",
				"attached_to_doctype": "Customer Complaint",
				"attached_to_name": doc.name,
				"is_private": 0,
			}
		).insert(ignore_permissions=True)
		frappe.db.commit()
		self.assertEqual(file.is_private, 1)
		response = Attacker(CLERK).post(
			"/api/method/frappe.client.set_value",
			{"doctype": "File", "name": file.name, "fieldname": "is_private", "value": 0},
		)
		self.assertLess(response.status_code, 500, response.get_data(as_text=True)[:400])
		frappe.db.commit()
		self.assertEqual(frappe.db.get_value("File", file.name, "is_private"), 1)
		self.assertTrue(frappe.db.get_value("File", file.name, "file_url").startswith("/private/"))


class TestThrottling(AdversaryCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.portal = make_portal_user("throttled.buyer@customers.example.com", cls.delivery.customer)
		update_password(cls.portal, PASSWORD)
		frappe.db.commit()

	def test_portal_submissions_past_the_hourly_limit_get_429(self):
		frappe.db.set_single_value("Complaint Settings", "submissions_per_hour", 2)
		frappe.cache.delete_keys("complaint_handling:submit:")
		frappe.db.commit()
		try:
			buyer = Attacker(self.portal)
			codes = []
			for n in range(3):
				response = buyer.insert(
					{"category": "Policy / Customer Service", "subject": f"Adversary: flood {n}"}
				)
				codes.append(response.status_code)
				if response.status_code == 200:
					self.created.append(response.json["data"]["name"])
			self.assertEqual(codes, [200, 200, 429])
			self.assertIn("Too many attempts", response.get_data(as_text=True))
		finally:
			frappe.db.set_single_value("Complaint Settings", "submissions_per_hour", 30)
			frappe.db.commit()
			frappe.cache.delete_keys("complaint_handling:submit:")

	def test_guest_link_guesses_past_the_limit_get_429(self):
		frappe.db.set_single_value("Complaint Settings", "link_attempts_per_hour", 3)
		frappe.cache.delete_keys("complaint_handling:confirmation_link:")
		frappe.db.commit()
		try:
			guest = get_test_client()
			doc = self.complaint(subject="Adversary: guesses")
			frappe.db.commit()
			codes = [
				make_request(
					target=guest.post,
					args=("/api/method/complaint_handling.customer.confirmation.confirm_by_link",),
					kwargs={
						"data": {
							"complaint": doc.name,
							"expires": "2099-01-01 00:00:00",
							"signature": f"x{n}",
						}
					},
				).status_code
				for n in range(5)
			]
			self.assertEqual(codes[:3], [403, 403, 403])
			self.assertEqual(codes[3:], [429, 429])
		finally:
			frappe.db.set_single_value("Complaint Settings", "link_attempts_per_hour", 20)
			frappe.db.commit()
			frappe.cache.delete_keys("complaint_handling:confirmation_link:")


class TestRepeatedUpload(AdversaryCase):
	def test_the_same_photo_uploaded_twice_never_fails(self):
		import io

		doc = self.complaint(subject="Adversary: twice")
		frappe.db.commit()
		clerk = Attacker(CLERK)
		for is_private in ("0", "0", "1"):
			response = make_request(
				target=clerk.client.post,
				args=("/api/method/upload_file",),
				kwargs={
					"data": {
						"doctype": "Customer Complaint",
						"docname": doc.name,
						"is_private": is_private,
						"file": (io.BytesIO(b"the same scan of the delivery note"), "delivery-note.txt"),
					},
					"content_type": "multipart/form-data",
				},
			)
			self.assertEqual(response.status_code, 200, response.get_data(as_text=True)[:500])
		frappe.db.commit()
		files = frappe.get_all("File", {"attached_to_name": doc.name}, ["is_private", "file_url"])
		self.assertTrue(files)
		self.assertTrue(all(f.is_private and f.file_url.startswith("/private/") for f in files), files)


class TestMemoWrites(AdversaryCase):
	def test_memo_steps_are_written_by_its_workflow_only(self):
		doc = self.in_handling(subject="Adversary: memo")
		memo = frappe.get_doc(
			{
				"doctype": "Complaint Memo",
				"complaint": doc.name,
				"subject": "Adversary memo",
				"to_department": frappe.db.get_value("Department", {"complaint_head": ("is", "set")}, "name"),
			}
		).insert(ignore_permissions=True)
		frappe.db.commit()
		rm = Attacker(EAST)
		for field, value in (
			("status", "Approved"),
			("approved_by", DIRECTOR),
			("signed_by", EAST),
			("approver_party", "Region Manager"),
		):
			response = rm.put_memo(memo.name, {field: value})
			self.assertEqual(response.status_code, 403, (field, response.get_data(as_text=True)[:300]))
		frappe.db.commit()
		self.assertEqual(
			frappe.db.get_value("Complaint Memo", memo.name, ["status", "approved_by"]), ("Draft", None)
		)

	def test_an_error_message_escapes_what_the_user_typed(self):
		response = Attacker(CLERK).insert(
			{
				"customer": self.delivery.customer,
				"category": "Policy / Customer Service",
				"subject": "x",
				"severity": "<img src=x onerror=alert(1)>",
			}
		)
		self.assertEqual(response.status_code, 417)
		self.assertNotIn("<img src=x", response.get_data(as_text=True))
		self.assertIn("&lt;img", response.get_data(as_text=True))
