"""Tier 2: penalties through the doors their users use — proposed over REST by the coordinator, approved by the
director or (above the limit) the general manager, posted by accounts and cancelled by the accounts manager
with the workflow's buttons — checked in ERPNext's general ledger; two approvals at the same moment as two
real requests; who sees a penalty."""

import json
import threading

import frappe
import requests
from frappe.tests.utils import FrappeTestCase

from complaint_handling.setup import demo
from complaint_handling.tests.browser import served_site
from complaint_handling.tests.factories import demo_delivery, make_complaint, make_email_account
from complaint_handling.tests.test_quality_path import Desk

DOMAIN = demo.EMAIL_DOMAIN
COORDINATOR, DIRECTOR, GM, ACCOUNTS, FINANCE, CLERK = (
	f"{login}@{DOMAIN}" for login in ("coordinator", "director", "gm", "accounts", "finance", "clerk")
)
EAST, SOUTH = demo.TERRITORIES[0].manager_email, demo.TERRITORIES[1].manager_email
REAL_NAME = "Dealer Real-Name Registration Breach"
RESOURCE = "/api/resource/Complaint Penalty"


class TestComplaintPenalty(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.east = demo_delivery(0)
		cls.south = demo_delivery(4)
		cls.users = {
			user: Desk(user) for user in (COORDINATOR, DIRECTOR, GM, ACCOUNTS, FINANCE, CLERK, SOUTH)
		}

	def setUp(self):
		self.addCleanup(self.clean)
		self.clean()
		# charged to the receivable unless a test says the rule deducts from the deposit
		frappe.db.set_value("Penalty Rule", REAL_NAME, "deduct_from_deposit", 0)
		frappe.db.commit()

	def clean(self):
		frappe.set_user("Administrator")
		frappe.db.rollback()
		for name in frappe.get_all(
			"Complaint Penalty",
			filters={"party": ["in", [self.east.customer, self.south.customer]]},
			order_by="creation desc",
			pluck="name",
		):
			penalty = frappe.get_doc("Complaint Penalty", name)
			if penalty.docstatus == 1:
				penalty.cancel()
			if penalty.journal_entry:
				frappe.delete_doc("Journal Entry", penalty.journal_entry, force=True, ignore_permissions=True)
			frappe.delete_doc("Complaint Penalty", name, force=True, ignore_permissions=True)
		frappe.db.commit()

	def ok(self, response, status: int = 200):
		self.assertEqual(response.status_code, status, response.get_data(as_text=True)[-1200:])
		frappe.db.commit()
		return response

	def propose(self, party: str, complaint: str | None = None, **fields) -> str:
		body = {
			"rule": REAL_NAME,
			"party": party,
			"reason": "Registered without checking the ID card",
			**fields,
		}
		if complaint:
			body["complaint"] = complaint
		response = self.ok(self.users[COORDINATOR].post(RESOURCE, {"data": json.dumps(body)}))
		return response.json["data"]["name"]

	def act(self, user: str, name: str, action: str, status: int = 200):
		return self.ok(self.users[user].act_on("Complaint Penalty", name, action), status)

	def penalty(self, name: str):
		return frappe.get_doc("Complaint Penalty", name)

	def test_escalation_the_approval_limit_posting_and_reversal(self):
		customer = self.east.customer
		first = self.propose(customer, amount=1, occurrence=7, approver_party="General Manager")
		stored = self.penalty(first)
		# what a client sends for the server's fields never sticks
		self.assertEqual(
			(stored.amount, stored.occurrence, stored.approver_party), (10_000, 1, "Marketing Director")
		)
		self.assertEqual((stored.party_type, stored.status), ("Customer", "Proposed"))
		self.act(DIRECTOR, first, "Approve")
		stored = self.penalty(first)
		self.assertEqual((stored.status, stored.approved_by, stored.occurrence), ("Approved", DIRECTOR, 1))
		# approved: what was decided on is not rewritten, over REST or set_value
		refused = self.users[COORDINATOR].put_resource("Complaint Penalty", first, {"base_amount": 5})
		self.assertEqual(refused.status_code, 403, refused.get_data(as_text=True)[:300])
		refused = self.users[DIRECTOR].post(
			"/api/method/frappe.client.set_value",
			{
				"doctype": "Complaint Penalty",
				"name": first,
				"fieldname": "party",
				"value": self.south.customer,
			},
		)
		self.assertIn(refused.status_code, (403, 417), refused.get_data(as_text=True)[:300])

		self.assertEqual(
			self.penalty(first).party_email,
			frappe.db.get_value("Customer", customer, "email_id")
			or frappe.db.get_value(
				"Contact", {"name": ["like", f"Buyer {customer}-%"]}, "email_id"
			),  # its buyer
		)
		# the notice prints in the party's language, Chinese or English
		for lang, title in (("zh", "罚款通知书"), ("en", "Penalty Notice")):
			printed = self.ok(
				self.users[DIRECTOR].get(
					"/printview", doctype="Complaint Penalty", name=first, format="Penalty Notice", _lang=lang
				)
			).get_data(as_text=True)
			self.assertIn(title, printed, lang)
			self.assertIn("10,000", printed)

		second = self.propose(customer)
		self.assertEqual(
			(self.penalty(second).amount, self.penalty(second).approver_party), (50_000, "General Manager")
		)
		self.act(DIRECTOR, second, "Approve", 417)  # above the limit: not the director's
		self.act(GM, second, "Approve")
		self.assertEqual((self.penalty(second).amount, self.penalty(second).occurrence), (50_000, 2))

		# accounts posts it: the customer is charged, penalty income credited
		self.assertEqual(self.users[CLERK].act_on("Complaint Penalty", first, "Post").status_code, 403)
		self.act(ACCOUNTS, first, "Post")
		stored = self.penalty(first)
		self.assertEqual((stored.docstatus, stored.status), (1, "Posted"))
		income = frappe.db.get_single_value("Complaint Settings", "penalty_income_account")
		ledger = frappe.get_all(
			"GL Entry",
			filters={"voucher_type": "Journal Entry", "voucher_no": stored.journal_entry, "is_cancelled": 0},
			fields=["account", "party_type", "party", "debit", "credit"],
			order_by="debit desc",
		)
		receivable = frappe.get_cached_value(
			"Company", frappe.db.get_value("Account", income, "company"), "default_receivable_account"
		)
		self.assertEqual(
			[(g.account, g.party_type, g.party, g.debit, g.credit) for g in ledger],
			[(receivable, "Customer", customer, 10_000, 0), (income, None, None, 0, 10_000)],
		)
		# the accounts manager cancels it: the entry is reversed
		self.act(FINANCE, first, "Cancel")
		self.assertEqual(self.penalty(first).docstatus, 2)
		self.assertEqual(frappe.db.get_value("Journal Entry", stored.journal_entry, "docstatus"), 2)
		self.assertFalse(
			frappe.get_all("GL Entry", filters={"voucher_no": stored.journal_entry, "is_cancelled": 0})
		)

	def deposit_account(self) -> str:
		income = frappe.db.get_single_value("Complaint Settings", "penalty_income_account")
		company = frappe.db.get_value("Account", income, "company")
		name = frappe.db.get_value("Account", {"company": company, "account_name": "Dealer Deposits"})
		if not name:
			parent = frappe.db.get_value(
				"Account", {"company": company, "root_type": "Liability", "is_group": 1}, order_by="lft desc"
			)
			name = (
				frappe.get_doc(
					{
						"doctype": "Account",
						"account_name": "Dealer Deposits",
						"company": company,
						"parent_account": parent,
						"root_type": "Liability",
					}
				)
				.insert(ignore_permissions=True)
				.name
			)
		return name

	def test_a_dealer_penalty_comes_out_of_the_deposit_and_its_notice_is_emailed(self):
		customer = self.east.customer
		deposit = self.deposit_account()
		before = frappe.db.get_single_value("Complaint Settings", "penalty_deposit_account")
		frappe.db.set_value("Penalty Rule", REAL_NAME, "deduct_from_deposit", 1)
		frappe.db.set_single_value("Complaint Settings", "penalty_deposit_account", None)
		frappe.db.commit()
		self.addCleanup(
			lambda: (
				frappe.db.set_single_value("Complaint Settings", "penalty_deposit_account", before),
				frappe.db.commit(),
			)
		)
		name = self.propose(customer)
		self.act(DIRECTOR, name, "Approve")
		refused = self.act(ACCOUNTS, name, "Post", 417)  # no deposit account set: told, nothing posted
		self.assertIn("Penalty Deposit Account", refused.get_data(as_text=True))
		self.assertEqual(self.penalty(name).docstatus, 0)
		frappe.db.set_single_value("Complaint Settings", "penalty_deposit_account", deposit)
		frappe.db.commit()
		self.act(ACCOUNTS, name, "Post")
		stored = self.penalty(name)
		ledger = frappe.get_all(
			"GL Entry",
			filters={"voucher_type": "Journal Entry", "voucher_no": stored.journal_entry, "is_cancelled": 0},
			fields=["account", "party_type", "party", "debit", "credit"],
			order_by="debit desc",
		)
		income = frappe.db.get_single_value("Complaint Settings", "penalty_income_account")
		self.assertEqual(
			[(g.account, g.party_type, g.party, g.debit, g.credit) for g in ledger],
			[(deposit, "Customer", customer, 10_000, 0), (income, None, None, 0, 10_000)],
		)
		# the desk's Email with the notice attached, as the composer sends it (through the site's outgoing account)
		make_email_account()
		self.assertTrue(stored.party_email)
		frappe.db.delete("Email Queue", {"reference_name": name})
		frappe.db.commit()
		sent = self.ok(
			self.users[DIRECTOR].post(
				"/api/method/frappe.core.doctype.communication.email.make",
				{
					"recipients": stored.party_email,
					"subject": f"Penalty Notice {name}",
					"content": "Please find the penalty notice attached.",
					"doctype": "Complaint Penalty",
					"name": name,
					"send_email": 1,
					"print_format": "Penalty Notice",
					"attach_document_print": 1,
					"print_language": "zh",
				},
			)
		)
		self.assertTrue(sent.json["message"]["name"])
		queued = frappe.get_all(
			"Email Queue",
			filters={"reference_doctype": "Complaint Penalty", "reference_name": name},
			fields=["name", "attachments"],
		)
		self.assertEqual(len(queued), 1)
		attachments = json.loads(queued[0].attachments or "[]")
		self.assertTrue(
			any(
				a.get("print_format") == "Penalty Notice" and a.get("print_format_attachment")
				for a in attachments
			),
			attachments,
		)
		recipients = frappe.get_all(
			"Email Queue Recipient", filters={"parent": queued[0].name}, pluck="recipient"
		)
		self.assertEqual(recipients, [stored.party_email])
		# the region manager of another territory may not e-mail it
		self.assertEqual(
			self.users[SOUTH]
			.post(
				"/api/method/frappe.core.doctype.communication.email.make",
				{
					"recipients": "x@example.com",
					"subject": "x",
					"content": "x",
					"doctype": "Complaint Penalty",
					"name": name,
					"send_email": 1,
				},
			)
			.status_code,
			403,
		)

	def test_nobody_posts_a_penalty_around_its_approval(self):
		body = {"rule": REAL_NAME, "party": self.east.customer, "reason": "x", "docstatus": 1}
		refused = self.users[FINANCE].post(RESOURCE, {"data": json.dumps(body)})
		self.assertIn(refused.status_code, (403, 417), refused.get_data(as_text=True)[:300])
		name = self.propose(self.east.customer)
		doc = json.dumps(self.penalty(name).as_dict(), default=str)
		refused = self.users[FINANCE].post(
			"/api/method/frappe.desk.form.save.savedocs", {"doc": doc, "action": "Submit"}
		)
		self.assertIn(refused.status_code, (403, 417), refused.get_data(as_text=True)[:300])
		frappe.db.commit()
		self.assertEqual((self.penalty(name).docstatus, self.penalty(name).journal_entry), (0, None))
		self.assertFalse(frappe.db.exists("Complaint Penalty", {"party": self.east.customer, "docstatus": 1}))

	def test_the_notice_downloads_as_a_pdf(self):
		"""Download PDF, as the desk's print view does (wkhtmltopdf loads the site's assets from the served site)."""
		from frappe.installer import update_site_config

		name = self.propose(self.east.customer)
		before = frappe.get_site_config().get("host_name")
		with served_site() as url:
			update_site_config("host_name", "http://127.0.0.1:" + url.rsplit(":", 1)[1])
			try:
				response = self.users[DIRECTOR].get(
					"/api/method/frappe.utils.print_format.download_pdf",
					doctype="Complaint Penalty",
					name=name,
					format="Penalty Notice",
				)
			finally:
				update_site_config("host_name", before or "None")  # "None" removes the key
		self.assertEqual(response.status_code, 200, response.get_data()[:500])
		self.assertEqual(response.headers["Content-Type"], "application/pdf")
		self.assertTrue(response.get_data().startswith(b"%PDF"))

	def test_a_pick_outside_the_band_and_a_rule_not_in_force_are_refused(self):
		frappe.db.set_value("Penalty Rule", "Canteen: Spoiled Food", "party_type", "Customer")
		frappe.db.commit()
		self.addCleanup(
			lambda: (
				frappe.db.set_value("Penalty Rule", "Canteen: Spoiled Food", "party_type", "Supplier"),
				frappe.db.commit(),
			)
		)
		body = {
			"rule": "Canteen: Spoiled Food",
			"party": self.east.customer,
			"reason": "Sour rice",
			"pick": 301,
		}
		refused = self.users[COORDINATOR].post(RESOURCE, {"data": json.dumps(body)})
		self.assertEqual(refused.status_code, 417, refused.get_data(as_text=True)[:300])
		self.assertIn("PenaltyError", refused.json["exc_type"])
		frappe.db.set_value("Penalty Rule", REAL_NAME, "enabled", 0)
		frappe.db.commit()
		self.addCleanup(
			lambda: (frappe.db.set_value("Penalty Rule", REAL_NAME, "enabled", 1), frappe.db.commit())
		)
		refused = self.users[COORDINATOR].post(
			RESOURCE, {"data": json.dumps({"rule": REAL_NAME, "party": self.east.customer, "reason": "x"})}
		)
		self.assertEqual(refused.status_code, 417, refused.get_data(as_text=True)[:300])

	def test_who_sees_a_penalty(self):
		complaint = make_complaint(customer=self.east.customer, subject="Dealer skipped the ID check")
		frappe.db.commit()
		self.addCleanup(
			lambda: (
				frappe.delete_doc("Customer Complaint", complaint.name, force=True, ignore_permissions=True),
				frappe.db.commit(),
			)
		)
		name = self.propose(self.east.customer, complaint=complaint.name)
		self.assertEqual(self.users[ACCOUNTS].get(f"{RESOURCE}/{name}").status_code, 200)
		self.assertEqual(self.users[CLERK].get(f"{RESOURCE}/{name}").status_code, 403)
		self.assertEqual(self.users[SOUTH].get(f"{RESOURCE}/{name}").status_code, 403)  # not his region
		listed = self.users[SOUTH].get(RESOURCE, filters=json.dumps([["name", "=", name]]))
		self.assertEqual(listed.json["data"], [])
		self.assertEqual(Desk(EAST).get(f"{RESOURCE}/{name}").status_code, 200)  # the party's region manager

	def test_two_approvals_at_the_same_moment_count_one_first_and_one_second(self):
		customer = self.south.customer
		names = [self.propose(customer), self.propose(customer)]
		self.assertEqual({self.penalty(n).amount for n in names}, {10_000})  # each would be the first alone
		with served_site() as url:
			host = url.split("//", 1)[1]
			base = "http://127.0.0.1:" + host.rsplit(":", 1)[1]
			sessions = []
			for _ in names:
				session = requests.Session()
				session.headers["Host"] = host
				login = session.post(f"{base}/api/method/login", data={"usr": GM, "pwd": demo.DEMO_PASSWORD})
				self.assertEqual(login.status_code, 200, login.text[:300])
				sessions.append(session)
			docs = [json.dumps(self.penalty(n).as_dict(), default=str) for n in names]
			barrier, results = threading.Barrier(2), [None, None]

			def approve(i: int) -> None:
				barrier.wait()
				results[i] = sessions[i].post(
					f"{base}/api/method/frappe.model.workflow.apply_workflow",
					data={"doc": docs[i], "action": "Approve"},
				)

			threads = [threading.Thread(target=approve, args=(i,)) for i in range(2)]
			for thread in threads:
				thread.start()
			for thread in threads:
				thread.join(60)
		self.assertEqual([r.status_code for r in results], [200, 200], [r.text[:300] for r in results])
		frappe.db.commit()
		approved = sorted((self.penalty(n).occurrence, self.penalty(n).amount) for n in names)
		self.assertEqual(approved, [(1, 10_000), (2, 50_000)])
