"""Tier 2: after closure — follow-up calls planned per level and sampled for audit, assigned, their outcome
recorded over REST by the caller and nothing else written; and the two reports (follow-up outcomes per level,
CSAT per territory / handler / category) over HTTP, with known totals and the viewer's permissions."""

import json

import frappe
from frappe.tests.test_api import make_request
from frappe.utils.password import update_password

from complaint_handling.setup import demo
from complaint_handling.tests.factories import remove_complaint
from complaint_handling.tests.test_desk_buttons import HttpUser
from complaint_handling.tests.test_workflow import EAST_MANAGER, WorkflowTestCase, act

CALL = "Complaint Follow-up Call"
CLERK = f"clerk@{demo.EMAIL_DOMAIN}"
COORDINATOR = f"coordinator@{demo.EMAIL_DOMAIN}"
SOUTH_MANAGER = demo.TERRITORIES[1].manager_email


class TestFollowUpCalls(WorkflowTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		settings = frappe.get_single("Complaint Settings")
		cls.share = settings.audit_call_share
		frappe.db.set_single_value("Complaint Settings", "audit_call_share", 100)  # every closure is audited
		frappe.db.commit()
		cls.users = {user: HttpUser(user) for user in (CLERK, COORDINATOR, SOUTH_MANAGER)}

	@classmethod
	def tearDownClass(cls):
		frappe.db.set_single_value("Complaint Settings", "audit_call_share", cls.share)
		frappe.db.commit()
		super().tearDownClass()

	def closed_complaint(self) -> str:
		complaint = self.registered(amount_at_stake=100, subject="Follow-up target")
		complaint = act(self.clerk, complaint, "Dispatch")
		complaint = act(EAST_MANAGER, complaint, "Propose", proposal="Apologise and refund the freight.")
		complaint = act(self.coordinator, complaint, "Accept Proposal")
		self.reply_and_close(complaint)
		frappe.db.commit()
		return complaint.name

	def put(self, user: str, name: str, fields: dict):
		response = make_request(
			target=self.users[user].client.put,
			args=(f"/api/resource/{CALL}/{name}",),
			kwargs={"data": json.dumps(fields), "content_type": "application/json"},
		)
		frappe.db.commit()  # see what the request wrote
		return response

	def report(self, user: str, report: str, filters: dict) -> list[dict]:
		response = self.users[user].post(
			"/api/method/frappe.desk.query_report.run",
			{"report_name": report, "filters": json.dumps(filters)},
		)
		self.assertEqual(response.status_code, 200, response.get_data(as_text=True)[:400])
		return response.json["message"]["result"]

	def test_closure_plans_the_calls_and_the_caller_records_the_outcome(self):
		today = frappe.utils.getdate()
		before = {
			(r["level"], r["is_audit"]): r
			for r in self.report(
				COORDINATOR,
				"Complaint Follow-up Calls",
				{"from_date": str(today), "to_date": str(frappe.utils.add_days(today, 30))},
			)
		}
		name = self.closed_complaint()
		self.addCleanup(remove_complaint, name)
		calls = frappe.get_all(
			CALL,
			{"complaint": name},
			["name", "level", "is_audit", "due_on", "assigned_role", "status"],
			order_by="level",
		)
		self.assertEqual(
			{(c.level, c.is_audit, c.assigned_role, (c.due_on - today).days) for c in calls},
			{
				("Customer Service Centre", 0, "Complaint Clerk", 1),
				("After-Sales Department", 0, "Complaint Coordinator", 3),
				("Audit", 1, "Complaint Coordinator", 7),
			},
		)
		csc = next(c.name for c in calls if c.level == "Customer Service Centre")
		self.assertTrue(
			frappe.db.exists("ToDo", {"reference_name": csc, "allocated_to": CLERK, "status": "Open"})
		)
		# nobody plans a call over REST, nor rewrites one
		made = make_request(
			target=self.users[CLERK].client.post,
			args=(f"/api/resource/{CALL}",),
			kwargs={
				"data": json.dumps({"complaint": name, "level": "Fake"}),
				"content_type": "application/json",
			},
		)
		self.assertEqual(made.status_code, 403, made.get_data(as_text=True)[:300])
		for fields in (
			{"due_on": "2030-01-01"},
			{"status": "Done"},
			{"complaint": "CC-OTHER"},
			{"called_by": CLERK},
		):
			self.assertIn(self.put(CLERK, csc, fields).status_code, (403, 417), fields)
		# a region manager of another territory does not even see it
		self.assertEqual(self.users[SOUTH_MANAGER].get(f"/api/resource/{CALL}/{csc}").status_code, 403)
		self.assertEqual(self.put(SOUTH_MANAGER, csc, {"outcome": "Satisfied"}).status_code, 403)
		# not reached: still open; then satisfied: done, stamped; then it stays
		response = self.put(CLERK, csc, {"outcome": "Not Reached", "notes": "No answer at 10:00"})
		self.assertEqual(response.status_code, 200, response.get_data(as_text=True)[:300])
		self.assertEqual(frappe.db.get_value(CALL, csc, ["status", "attempts"]), ("Open", 1))
		self.assertEqual(self.put(CLERK, csc, {"outcome": "Satisfied"}).status_code, 200)
		stored = frappe.db.get_value(CALL, csc, ["status", "attempts", "called_by"], as_dict=True)
		self.assertEqual((stored.status, stored.attempts, stored.called_by), ("Done", 2, CLERK))
		self.assertEqual(self.put(CLERK, csc, {"outcome": "Not Satisfied"}).status_code, 417)
		self.assertEqual(self.put(CLERK, csc, {"outcome": "Delighted"}).status_code, 417)
		# the report counts it
		after = {
			(r["level"], r["is_audit"]): r
			for r in self.report(
				COORDINATOR,
				"Complaint Follow-up Calls",
				{"from_date": str(today), "to_date": str(frappe.utils.add_days(today, 30))},
			)
		}
		key = ("Customer Service Centre", 0)
		was = before.get(key, {"calls": 0, "done": 0, "satisfied": 0})
		self.assertEqual(
			(
				after[key]["calls"] - was["calls"],
				after[key]["done"] - (was["done"] or 0),
				after[key]["satisfied"] - (was["satisfied"] or 0),
			),
			(1, 1, 1),
		)
		self.assertIn(("Audit", 1), after)
		# another territory's region manager does not see this complaint's calls in the report
		south = self.report(
			SOUTH_MANAGER,
			"Complaint Follow-up Calls",
			{"from_date": str(today), "to_date": str(frappe.utils.add_days(today, 30))},
		)
		self.assertFalse(any(r["level"] == "Customer Service Centre" and r["calls"] for r in south))

	def test_satisfaction_report_by_territory_handler_and_category(self):
		today = str(frappe.utils.getdate())
		filters = {"from_date": today, "to_date": today}
		before = {
			group: {
				r["grp"]: r
				for r in self.report(COORDINATOR, "Complaint Satisfaction", {**filters, "group_by": group})
			}
			for group in ("Territory", "Handler", "Category")
		}
		names = [self.closed_complaint(), self.closed_complaint()]
		for name in names:
			self.addCleanup(remove_complaint, name)
		for name, score in zip(names, (40.0, 100.0), strict=True):
			frappe.get_doc(
				{
					"doctype": "Quality Feedback",
					"template": "Customer Complaint Satisfaction",
					"document_type": "Customer",
					"document_name": self.east.customer,
					"customer_complaint": name,
					"satisfaction_score": score,
				}
			).insert(ignore_permissions=True)
		frappe.db.commit()
		complaint = frappe.db.get_value(
			"Customer Complaint", names[0], ["territory", "handler", "category"], as_dict=True
		)
		for group, key in (
			("Territory", complaint.territory),
			("Handler", complaint.handler),
			("Category", complaint.category),
		):
			rows = {
				r["grp"]: r
				for r in self.report(COORDINATOR, "Complaint Satisfaction", {**filters, "group_by": group})
			}
			was = before[group].get(key, {"surveys": 0, "low": 0, "mean_score": 0})
			self.assertEqual(rows[key]["surveys"] - was["surveys"], 2, group)
			self.assertEqual(rows[key]["low"] - (was["low"] or 0), 1, group)
			if not was["surveys"]:
				self.assertEqual(rows[key]["mean_score"], 70.0)
		refused = self.users[COORDINATOR].post(
			"/api/method/frappe.desk.query_report.run",
			{
				"report_name": "Complaint Satisfaction",
				"filters": json.dumps({**filters, "group_by": "Password"}),
			},
		)
		self.assertEqual(refused.status_code, 417)
