"""Issue 27: two companies of a group side by side on one site — intake, returns, penalties, limits, SLA
policies and reports — each with a user restricted to it by ERPNext's User Permission on Company, over HTTP."""

import json

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import getdate, today
from frappe.utils.password import update_password

from complaint_handling.access.permissions import complaint_conditions
from complaint_handling.setup import demo
from complaint_handling.tests.factories import demo_delivery, make_company, make_user, remove_complaint
from complaint_handling.tests.test_quality_path import DIRECTOR, EAST, WAREHOUSE, Desk, QualityPathDriver

OTHER = "Complaint Test Other Co"
PASSWORD = "Group#Companies#2026"
CLERK_A, CLERK_B = (f"{name}@companies.example.com" for name in ("clerk.a", "clerk.b"))
COORDINATOR, ACCOUNTS = (f"{login}@{demo.EMAIL_DOMAIN}" for login in ("coordinator", "accounts"))
RESOURCE = "/api/resource/Customer Complaint"
QUERY_REPORT = "/api/method/frappe.desk.query_report.run"
CHART = "/api/method/complaint_handling.complaint_handling.dashboard_chart_source.complaints_by_category.complaints_by_category.get"
SUBJECT = "Group companies: the pump is noisy"


class TestCompanies(QualityPathDriver, FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.main = frappe.db.get_single_value("Complaint Settings", "company")
		for stale in frappe.get_all("Customer Complaint", {"subject": SUBJECT}, pluck="name"):
			remove_complaint(stale)  # an interrupted run's
		cls.other = make_company(OTHER, "CTOC")
		settings = frappe.get_doc("Complaint Settings")
		if not any(row.company == cls.other for row in settings.company_policies):
			settings.append("company_policies", {"company": cls.other})
		# the other company's region managers decide far less alone (authority limits per company)
		settings.authority_limits = [row for row in settings.authority_limits if row.company != cls.other]
		settings.append(
			"authority_limits",
			{
				"party": "Region Manager",
				"handling_path": "Policy / Customer Service",
				"max_amount": 50,
				"company": cls.other,
			},
		)
		settings.save()
		cls.other_policy = next(row for row in settings.company_policies if row.company == cls.other)
		for user, company in ((CLERK_A, cls.main), (CLERK_B, cls.other)):
			make_user(user, ["Complaint Clerk", "Complaint Coordinator"])  # a group company's complaint desk
			update_password(user, PASSWORD)
			if not frappe.db.exists("User Permission", {"user": user, "allow": "Company"}):
				frappe.get_doc(
					{"doctype": "User Permission", "user": user, "allow": "Company", "for_value": company}
				).insert(ignore_permissions=True)
		# ERPNext restricts an employee's user to the employee's company; the staff who serve both companies
		# (the region manager, the director, the warehouse, accounts) are given the other one too
		cls.widened = []
		for user in (EAST, DIRECTOR, WAREHOUSE, ACCOUNTS, COORDINATOR):
			restricted = frappe.db.exists("User Permission", {"user": user, "allow": "Company"})
			if restricted and not frappe.db.exists(
				"User Permission", {"user": user, "allow": "Company", "for_value": cls.other}
			):
				cls.widened.append(
					frappe.get_doc(
						{
							"doctype": "User Permission",
							"user": user,
							"allow": "Company",
							"for_value": cls.other,
						}
					)
					.insert(ignore_permissions=True)
					.name
				)
		frappe.db.commit()
		cls.users.update({user: Desk(user, PASSWORD) for user in (CLERK_A, CLERK_B)})
		cls.users.update({user: Desk(user) for user in (COORDINATOR, ACCOUNTS)})
		cls.batch_delivery = demo_delivery(2)  # a customer of the east region

	@classmethod
	def tearDownClass(cls):
		frappe.set_user("Administrator")
		settings = frappe.get_doc("Complaint Settings")
		settings.authority_limits = [row for row in settings.authority_limits if row.company != cls.other]
		settings.company_policies = [row for row in settings.company_policies if row.company != cls.other]
		settings.save()
		for user in (CLERK_A, CLERK_B):  # out of the roles' lists for the tests that run after
			frappe.get_doc("User", user).remove_roles("Complaint Clerk", "Complaint Coordinator")
		for name in cls.widened:
			frappe.delete_doc("User Permission", name, ignore_permissions=True)
		frappe.db.commit()
		super().tearDownClass()

	def register(self, user: str, status: int = 200, **fields):
		body = {
			"customer": self.batch_delivery.customer,
			"category": "Policy / Customer Service",
			"subject": SUBJECT,
			"channel": "Phone",
			**fields,
		}
		response = self.users[user].post(RESOURCE, {"data": json.dumps(body, default=str)})
		self.assertEqual(response.status_code, status, response.get_data(as_text=True)[-800:])
		frappe.db.commit()
		if status != 200:
			return None
		name = response.json["data"]["name"]
		self.made.append(("Customer Complaint", name))
		return frappe.get_doc("Customer Complaint", name)

	def report(self, user: str, name: str, filters: dict, status: int = 200):
		response = self.users[user].post(
			QUERY_REPORT, {"report_name": name, "filters": json.dumps(filters), "ignore_prepared_report": 1}
		)
		self.assertEqual(response.status_code, status, response.get_data(as_text=True)[-600:])
		return response.json["message"] if status == 200 else None

	def test_each_company_registers_sees_and_reports_its_own_complaints(self):
		a = self.register(CLERK_A, amount_at_stake=100)
		b = self.register(CLERK_B, amount_at_stake=100)
		# each clerk's complaint is their company's (their default company, from the User Permission)
		self.assertEqual((a.company, b.company), (self.main, self.other))
		# the other company's limits: its region manager may not decide 100 alone; the settings' company's may
		self.assertNotIn("Marketing Director", a.approval_chain or "")
		self.assertIn("Marketing Director", b.approval_chain or "")
		# a clerk of the other company may not register one for the settings' company, explicitly or through a
		# delivery of that company
		# the settings' company sent by the other company's clerk is what a new form holds: their own replaces it
		self.assertEqual(self.register(CLERK_B, company=self.main).company, self.other)
		# repeat detection stays inside a company: the other company's complaints are not listed to its clerk
		self.assertNotIn(
			a.name,
			[
				row.complaint
				for row in frappe.get_doc("Customer Complaint", self.made[-1][1]).related_complaints
			],
		)
		before = frappe.db.count("Customer Complaint", {"subject": SUBJECT})
		self.register(CLERK_B, 403, delivery_note=self.batch_delivery.delivery_note)
		self.assertEqual(frappe.db.count("Customer Complaint", {"subject": SUBJECT}), before)
		# a document of another company than the complaint's is refused, naming it
		refused = self.users[COORDINATOR].post(
			RESOURCE,
			{
				"data": json.dumps(
					{
						"customer": self.batch_delivery.customer,
						"category": "Policy / Customer Service",
						"subject": SUBJECT,
						"channel": "Phone",
						"company": self.other,
						"delivery_note": self.batch_delivery.delivery_note,
					}
				)
			},
		)
		self.assertEqual(refused.status_code, 417, refused.get_data(as_text=True)[:400])
		self.assertIn("Delivery Note", refused.json["exception"])

		# nobody sees the other company's complaint: the form, the list, the count
		self.assertEqual(self.users[CLERK_A].get(f"{RESOURCE}/{b.name}").status_code, 403)
		self.assertEqual(self.users[CLERK_B].get(f"{RESOURCE}/{a.name}").status_code, 403)
		for user, mine in ((CLERK_A, a), (CLERK_B, b)):
			listed = self.users[user].get(
				RESOURCE, filters=json.dumps([["subject", "=", SUBJECT]]), limit_page_length=0
			)
			names = [row["name"] for row in listed.json["data"]]
			self.assertEqual([n for n in names if n in (a.name, b.name)], [mine.name], user)
			count = self.users[user].get(
				"/api/method/frappe.client.get_count",
				doctype="Customer Complaint",
				filters=json.dumps([["name", "in", [a.name, b.name]]]),
			)
			self.assertEqual(count.json["message"], 1, user)
		# an unrestricted coordinator sees both
		count = self.users[COORDINATOR].get(
			"/api/method/frappe.client.get_count",
			doctype="Customer Complaint",
			filters=json.dumps([["name", "in", [a.name, b.name]]]),
		)
		self.assertEqual(count.json["message"], 2)

		# reports per company: grouped by company, a clerk sees only theirs; the coordinator both, or one
		filters = {"group_by": "Company", "period": "Monthly", "from_date": today(), "to_date": today()}
		rows = self.report(CLERK_A, "Complaint Analysis", filters)["result"]
		self.assertEqual(
			{row["grp"] for row in rows if isinstance(row, dict) and row.get("grp")}, {self.main}
		)
		rows = self.report(COORDINATOR, "Complaint Analysis", filters)["result"]
		self.assertTrue({self.main, self.other} <= {row["grp"] for row in rows if isinstance(row, dict)})
		rows = self.report(COORDINATOR, "Complaint Analysis", {**filters, "company": self.other})["result"]
		self.assertEqual(
			{row["grp"] for row in rows if isinstance(row, dict) and row.get("grp")}, {self.other}
		)
		self.report(CLERK_A, "Complaint Analysis", {**filters, "company": self.other}, 403)
		self.report(CLERK_A, "Complaint Analysis", {**filters, "company": "No Such Co"}, 417)

		# the workspace's weekly chart of a clerk counts their company's complaints only
		from complaint_handling.intake import received_weeks

		received_weeks.rebuild()
		frappe.db.commit()
		answer = self.users[CLERK_B].post(CHART, {"filters": json.dumps({"weeks": 1}), "to_date": today()})
		self.assertEqual(answer.status_code, 200, answer.get_data(as_text=True)[:300])
		charted = sum(sum(d["values"]) for d in answer.json["message"]["datasets"])
		monday = getdate(today()) - frappe.utils.datetime.timedelta(days=getdate(today()).weekday())
		expected = frappe.db.count(
			"Customer Complaint",
			{"company": self.other, "received_on": [">=", monday], "registration_followup": 0},
		)
		self.assertEqual(charted, expected)
		self.assertIn(f"`company` in ('{self.other}')", complaint_conditions(CLERK_B))

	def test_returns_penalties_and_sla_policies_follow_the_complaints_company(self):
		# an SLA policy of the other company's own (its calendar or targets may differ)
		policy_name = "Other Company Service Levels"
		frappe.delete_doc_if_exists("Complaint SLA Policy", policy_name, force=True)
		quality = {"enabled": 1, "category": "Product Quality", "applies_to_company": ["is", "not set"]}
		policy = frappe.copy_doc(
			frappe.get_doc(
				"Complaint SLA Policy",
				frappe.get_all("Complaint SLA Policy", filters=quality, pluck="name")[0],
			)
		)
		policy.policy_name = policy_name
		policy.applies_to_company = self.other
		policy.insert()
		self.made.insert(0, ("Complaint SLA Policy", policy.name))
		frappe.db.commit()
		d = self.batch_delivery
		complaint = self.register(
			CLERK_B, category="Product Quality", item=demo.BATCH_ITEM, batch_no=d.filter_batch
		)
		self.assertEqual((complaint.company, complaint.sla_policy), (self.other, policy_name))
		# the region manager's inspection, the return of the goods: into the other company's QA hold
		name = self.inspected(complaint, "Cannot Be Determined", delivery_note=None)
		self.assertEqual(frappe.db.get_value("Defect Inspection", name, "company"), self.other)
		for user, action in ((EAST, "Submit for Approval"), (DIRECTOR, "Approve"), (EAST, "Return Goods")):
			self.act(user, name, action)
		made = self.goods_return(name)
		entry = frappe.get_doc(made["doctype"], made["name"])
		hold = self.other_policy.qa_hold_warehouse
		self.assertEqual((entry.doctype, entry.company), ("Stock Entry", self.other))
		self.assertEqual(frappe.db.get_value("Warehouse", hold, "company"), self.other)
		self.ok(self.users[WAREHOUSE].submit("Stock Entry", made["name"]))
		self.assertEqual(
			self.ledger("Stock Entry", made["name"]),
			[(demo.BATCH_ITEM, hold, 1.0, None, d.filter_batch, 1.0)],
		)

		# a penalty on its complaint is the other company's, posted to its own income account
		body = {
			"rule": "Dealer Real-Name Registration Breach",
			"party": d.customer,
			"reason": "Registered without checking the ID card",
			"complaint": complaint.name,
		}
		penalty = self.ok(
			self.users[COORDINATOR].post("/api/resource/Complaint Penalty", {"data": json.dumps(body)})
		).json["data"]["name"]
		self.made.append(("Complaint Penalty", penalty))
		self.assertEqual(frappe.db.get_value("Complaint Penalty", penalty, "company"), self.other)
		# the clerk of the settings' company does not see it
		self.assertEqual(
			self.users[CLERK_A].get(f"/api/resource/Complaint Penalty/{penalty}").status_code, 403
		)
		self.ok(self.users[DIRECTOR].act_on("Complaint Penalty", penalty, "Approve"))
		self.ok(self.users[ACCOUNTS].act_on("Complaint Penalty", penalty, "Post"))
		entry = frappe.db.get_value("Complaint Penalty", penalty, "journal_entry")
		self.made.insert(1, ("Journal Entry", entry))
		journal = frappe.get_doc("Journal Entry", entry)
		self.assertEqual(journal.company, self.other)
		self.assertIn(self.other_policy.penalty_income_account, [row.account for row in journal.accounts])
		self.assertEqual(
			frappe.db.get_value("Account", self.other_policy.penalty_income_account, "company"), self.other
		)
