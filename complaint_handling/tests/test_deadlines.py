"""Tier 2: every deadline is watched (docs/procedure.md §8) — with frozen time, through the doors the users use.

First response and resolution are warned, breached and escalated by the sweep with the complaint's SLA
Status kept true in the database (the list filter over REST agrees without anyone saving); the director
report and the 24 h customer reply run only on escalated routes; a staff e-mail or a logged call to the
customer stops them, the automatic acknowledgement does not unless the setting says so.
"""

import json
from datetime import datetime

import frappe
from frappe.tests.utils import FrappeTestCase

from complaint_handling.service_levels import clocks, sweep
from complaint_handling.setup import demo
from complaint_handling.tests.factories import (
	demo_delivery,
	make_complaint,
	make_user,
	office_windows,
	policy_category,
	stop_earlier_clocks,
)
from complaint_handling.tests.test_desk_buttons import HttpUser
from complaint_handling.tests.test_service_level import as_shanghai, sh
from complaint_handling.tests.test_workflow import act

CATEGORY, POLICY = "Deadline Test", "Deadline Test Policy"
EMAIL = "buyer.deadlines@customers.example.com"


def make_policy() -> None:
	policy_category(CATEGORY)
	frappe.delete_doc("Complaint SLA Policy", POLICY, force=True, ignore_missing=True)
	frappe.get_doc(
		{
			"doctype": "Complaint SLA Policy",
			"policy_name": POLICY,
			"category": CATEGORY,
			"priority": 10,
			"time_zone": "Asia/Shanghai",
			"working_windows": office_windows(),
			"targets": [
				{
					"severity": severity,
					"first_response_hours": 2,
					"first_response_escalation": "Complaint Clerk, Marketing Director",
					"first_response_escalate_every": 1,
					"resolution_hours": 360,
					"resolution_escalation": "Handler, Marketing Director",
					"resolution_escalate_every": 24,
				}
				for severity in ("General", "Major", "Urgent")
			],
			"route_timers": [
				{
					"timer": "director_report",
					"allowed_hours": 7.5,
					"working_time": 1,
					"escalation": "Marketing Director",
				},
				{
					"timer": "customer_reply",
					"allowed_hours": 24,
					"working_time": 0,
					"escalation": "Handler, Marketing Director",
					"escalate_every": 2,
				},
			],
		}
	).insert()


class TestDeadlines(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.delivery = demo_delivery(0)
		make_policy()
		frappe.db.commit()
		stop_earlier_clocks()
		cls.clerk_user = f"clerk@{demo.EMAIL_DOMAIN}"
		cls.coordinator_user = f"coordinator@{demo.EMAIL_DOMAIN}"
		cls.clerk = HttpUser(cls.clerk_user)
		cls.coordinator = HttpUser(cls.coordinator_user)
		cls.made: list[str] = []

	@classmethod
	def tearDownClass(cls):
		frappe.set_user("Administrator")
		for name in cls.made:
			frappe.db.delete("Complaint SLA Clock", {"complaint": name})
			frappe.db.delete("Complaint SLA Breach", {"reference_name": name})
			frappe.db.delete("Communication", {"reference_name": name})
			frappe.delete_doc("Customer Complaint", name, force=True, ignore_permissions=True)
		frappe.db.set_single_value("Complaint Settings", "acknowledgement_counts_as_response", 0)
		frappe.db.commit()
		super().tearDownClass()

	def frozen(self, when: datetime):
		return self.freeze_time(when, tick=True)

	def complaint_at(self, when: datetime, **fields):
		with self.frozen(when):
			complaint = make_complaint(
				customer=self.delivery.customer, category=CATEGORY, received_on=when, **fields
			)
		frappe.db.commit()
		self.made.append(complaint.name)
		return complaint

	def clocks(self, complaint) -> dict[str, frappe._dict]:
		rows = frappe.get_all(
			"Complaint SLA Clock",
			filters={"complaint": complaint.name},
			fields=["timer", "status", "running", "level", "due_at", "stopped_at", "warned"],
		)
		return {row.timer: row for row in rows}

	def breaches(self, complaint, timer: str) -> list[tuple[int, str]]:
		rows = frappe.get_all(
			"Complaint SLA Breach",
			filters={"reference_name": complaint.name, "timer": timer},
			fields=["level", "party"],
			order_by="level asc",
		)
		return [(row.level, row.party) for row in rows]

	def stored_status(self, complaint) -> str:
		return frappe.db.get_value("Customer Complaint", complaint.name, "sla_status")

	def listed_as(self, user: HttpUser, sla_status: str) -> list[str]:
		"""What the desk list view filtered on SLA Status shows (REST, as the list does)."""
		response = user.get(
			"/api/resource/Customer Complaint",
			filters=json.dumps([["sla_status", "=", sla_status]]),
			limit_page_length=0,
		)
		self.assertEqual(response.status_code, 200, response.get_data(as_text=True))
		return [row["name"] for row in response.json["data"]]

	def email_customer(self, complaint, recipients: str = EMAIL, medium: str = "Email"):
		"""The desk's e-mail composer (or its call log: medium Phone), as the clerk, over HTTP."""
		response = self.clerk.post(
			"/api/method/frappe.core.doctype.communication.email.make",
			{
				"doctype": "Customer Complaint",
				"name": complaint.name,
				"recipients": recipients,
				"subject": f"Re: {complaint.name}",
				"content": "We are on it and will call you today.",
				"communication_medium": medium,
				"send_email": 0,
			},
		)
		self.assertEqual(response.status_code, 200, response.get_data(as_text=True))
		frappe.db.commit()  # end this connection's snapshot: the request committed on its own

	# --- first response ------------------------------------------------------------------------------

	def test_first_response_is_warned_breached_and_escalated_without_a_save(self):
		complaint = self.complaint_at(sh(2026, 11, 24, 9, 0), complainant_email=EMAIL)  # due 11:00
		modified = frappe.db.get_value("Customer Complaint", complaint.name, "modified")
		with self.frozen(sh(2026, 11, 24, 10, 40)):
			sweep.sweep()
			self.assertEqual(self.clocks(complaint)["first_response"].status, "Warning")
			self.assertEqual(self.stored_status(complaint), "Warning")
			self.assertTrue(
				frappe.db.exists(
					"Notification Log", {"for_user": self.clerk_user, "document_name": complaint.name}
				),
				"the first party of the chain is warned",
			)
		with self.frozen(sh(2026, 11, 24, 11, 5)):
			sweep.sweep()
			self.assertEqual(self.breaches(complaint, "first_response"), [(1, "Complaint Clerk")])
			self.assertEqual(self.stored_status(complaint), "Breached")
			self.assertIn(complaint.name, self.listed_as(self.coordinator, "Breached"))
			self.assertNotIn(complaint.name, self.listed_as(self.coordinator, "On Track"))
		with self.frozen(sh(2026, 11, 24, 12, 5)):  # the policy's interval: one level per hour
			sweep.sweep()
			self.assertEqual(
				self.breaches(complaint, "first_response"),
				[(1, "Complaint Clerk"), (2, "Marketing Director")],
			)
			self.assertEqual(sweep.sweep(), {"warned": 0, "escalations": 0}, "idempotent")
		self.assertEqual(
			frappe.db.get_value("Customer Complaint", complaint.name, "modified"),
			modified,
			"the sweep keeps the status true without saving the complaint",
		)
		with self.frozen(sh(2026, 11, 24, 13, 0)):
			self.email_customer(complaint)
		clock = self.clocks(complaint)["first_response"]
		self.assertEqual((clock.running, clock.status), (0, "Missed"))
		responded = frappe.db.get_value("Customer Complaint", complaint.name, "first_responded_on")
		self.assertEqual(as_shanghai(responded), datetime(2026, 11, 24, 13, 0))
		self.assertEqual(self.stored_status(complaint), "On Track", "nothing is overdue any more")
		self.assertNotIn(complaint.name, self.listed_as(self.coordinator, "Breached"))

	def test_the_acknowledgement_is_not_a_first_response_unless_the_setting_says_so(self):
		complaint = self.complaint_at(sh(2026, 11, 24, 9, 0), complainant_email=EMAIL)
		acknowledgements = frappe.get_all(
			"Communication",
			filters={"reference_name": complaint.name, "communication_type": "Automated Message"},
		)
		self.assertTrue(acknowledgements, "the acknowledgement went out")
		self.assertTrue(self.clocks(complaint)["first_response"].running)
		self.assertIsNone(frappe.db.get_value("Customer Complaint", complaint.name, "first_responded_on"))
		with self.frozen(sh(2026, 11, 24, 9, 30)):
			self.email_customer(complaint, recipients="colleague@example.com")  # not the customer
		self.assertTrue(self.clocks(complaint)["first_response"].running)

		frappe.db.set_single_value("Complaint Settings", "acknowledgement_counts_as_response", 1)
		frappe.db.commit()
		second = self.complaint_at(sh(2026, 11, 24, 9, 0), complainant_email=EMAIL)
		clock = self.clocks(second)["first_response"]
		self.assertEqual((clock.running, clock.status), (0, "Met"))
		frappe.db.set_single_value("Complaint Settings", "acknowledgement_counts_as_response", 0)
		frappe.db.commit()

	def test_a_logged_call_is_a_first_response(self):
		complaint = self.complaint_at(sh(2026, 11, 24, 9, 0))  # no e-mail address: the clerk phones
		with self.frozen(sh(2026, 11, 24, 9, 45)):
			self.email_customer(complaint, recipients="", medium="Phone")
		clock = self.clocks(complaint)["first_response"]
		self.assertEqual((clock.running, clock.status), (0, "Met"))

	# --- resolution ----------------------------------------------------------------------------------

	def test_resolution_is_breached_and_the_breached_list_is_right(self):
		late = self.complaint_at(sh(2026, 11, 2, 9, 0))  # 15 days: due 17 Nov 09:00
		recent = self.complaint_at(sh(2026, 11, 16, 9, 0))
		for complaint in (late, recent):
			with self.frozen(sh(2026, 11, 16, 9, 30)):
				self.email_customer(complaint, recipients="", medium="Phone")
		with self.frozen(sh(2026, 11, 17, 9, 5)):
			sweep.sweep()
			self.assertEqual(self.breaches(late, "resolution"), [(1, "Handler")])
			self.assertEqual(self.clocks(late)["resolution"].status, "Breached")
			breached = self.listed_as(self.coordinator, "Breached")
			self.assertIn(late.name, breached)
			self.assertNotIn(recent.name, breached)
		with self.frozen(sh(2026, 11, 18, 9, 10)):  # one level per 24 h after due
			sweep.sweep()
			self.assertEqual(self.breaches(late, "resolution"), [(1, "Handler"), (2, "Marketing Director")])

	# --- timers of escalated routes ------------------------------------------------------------------

	def test_director_report_and_customer_reply_run_only_on_escalated_routes(self):
		inside = self.complaint_at(sh(2026, 11, 24, 9, 0), amount_at_stake=100)
		across = self.complaint_at(sh(2026, 11, 24, 9, 0), amount_at_stake=100, cross_department=1)
		self.assertEqual(set(self.clocks(inside)), {"first_response", "resolution"})
		self.assertEqual(
			set(self.clocks(across)),
			{"first_response", "resolution", "director_report", "customer_reply"},
		)
		report = self.clocks(across)["director_report"]
		self.assertEqual(as_shanghai(report.due_at), datetime(2026, 11, 25, 9, 0))  # 1 working day
		with self.frozen(sh(2026, 11, 25, 9, 10)):
			sweep.sweep()
			self.assertEqual(self.breaches(across, "director_report"), [(1, "Marketing Director")])
			self.assertEqual(self.breaches(inside, "director_report"), [])

	def test_director_report_stops_when_the_proposal_reaches_the_director(self):
		complaint = self.complaint_at(sh(2026, 11, 24, 9, 0), amount_at_stake=100, cross_department=1)
		clerk = self.clerk_user  # not a new clerk: more than ten holders of a role get no ToDos
		complaint.record_readback("Read back by phone")
		frappe.db.commit()
		with self.frozen(sh(2026, 11, 24, 10, 0)):
			complaint = act(clerk, complaint, "Dispatch")
			complaint = act("Administrator", complaint, "Propose", proposal="Refund the freight.")
		frappe.db.commit()
		report = self.clocks(complaint)["director_report"]
		self.assertEqual((report.running, report.status), (0, "Met"))
		self.assertTrue(self.clocks(complaint)["customer_reply"].running, "the customer is not answered yet")

	def test_customer_reply_stops_when_the_customer_is_answered(self):
		complaint = self.complaint_at(
			sh(2026, 11, 24, 9, 0), amount_at_stake=100, cross_department=1, complainant_email=EMAIL
		)
		self.assertTrue(
			self.clocks(complaint)["customer_reply"].running, "the acknowledgement does not count"
		)
		with self.frozen(sh(2026, 11, 25, 9, 5)):  # 24 h are up at 09:00
			sweep.sweep()
			self.assertEqual(self.breaches(complaint, "customer_reply"), [(1, "Handler")])
		with self.frozen(sh(2026, 11, 25, 10, 0)):
			self.email_customer(complaint)
		reply = self.clocks(complaint)["customer_reply"]
		self.assertEqual((reply.running, reply.status, reply.level), (0, "Missed", 1))
		with self.frozen(sh(2026, 11, 25, 13, 0)):
			sweep.sweep()
		self.assertEqual(
			self.breaches(complaint, "customer_reply"),
			[(1, "Handler")],
			"a stopped clock escalates no further",
		)

	# --- integrity -----------------------------------------------------------------------------------

	def test_clocks_are_written_by_the_server_only(self):
		complaint = self.complaint_at(sh(2026, 11, 24, 9, 0))
		name = frappe.db.get_value("Complaint SLA Clock", {"complaint": complaint.name}, "name")
		response = self.coordinator.post(
			"/api/resource/Complaint SLA Clock", {"data": json.dumps({"complaint": complaint.name})}
		)
		self.assertEqual(response.status_code, 403, response.get_data(as_text=True))
		response = self.coordinator.post(
			"/api/method/frappe.client.set_value",
			{"doctype": "Complaint SLA Clock", "name": name, "fieldname": "status", "value": "Met"},
		)
		self.assertEqual(response.status_code, 403, response.get_data(as_text=True))
		response = self.coordinator.get(f"/api/resource/Complaint SLA Clock/{name}")
		self.assertEqual(response.status_code, 200, "staff who see the complaint see its clocks")
		outsider = make_user("deadline.outsider@example.com", ["Region Manager"])
		self.assertFalse(frappe.has_permission("Complaint SLA Clock", doc=name, user=outsider))
