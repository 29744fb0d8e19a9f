"""Tier 2: what a registration over REST writes besides the complaint — the Workflow Action Frappe would
open (written in bulk by `handling/workflow_actions.open_first_actions`, P3) and the earlier complaints it repeats.

Everything is created by the clerk over HTTP (`POST /api/resource/Customer Complaint`), as an integration
or the desk's quick entry does it.
"""

import json

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.workflow.doctype.workflow_action.workflow_action import (
	get_next_possible_transitions,
	is_workflow_action_already_created,
	process_workflow_actions,
)

from complaint_handling.setup import demo
from complaint_handling.tests.factories import demo_delivery, remove_complaint
from complaint_handling.tests.test_adversary import Attacker

CLERK = f"clerk@{demo.EMAIL_DOMAIN}"
GM = f"gm@{demo.EMAIL_DOMAIN}"
WORKFLOW = "Customer Complaint Handling"


def actions_of(name: str) -> list[dict]:
	"""The complaint's Workflow Actions with their roles, as comparable values."""
	frappe.db.commit()
	rows = frappe.get_all(
		"Workflow Action",
		filters={"reference_doctype": "Customer Complaint", "reference_name": name},
		fields=["name", "status", "workflow_state", "user", "docstatus", "completed_by"],
		order_by="creation asc",
	)
	for row in rows:
		row["roles"] = sorted(
			frappe.get_all("Workflow Action Permitted Role", {"parent": row.pop("name")}, pluck="role")
		)
	return rows


class TestRegistrationOverRest(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.delivery = demo_delivery(0)
		cls.other = demo_delivery(1)
		cls.created: list[str] = []
		frappe.cache.delete_keys("complaint_handling:")  # throttle counters of earlier runs
		frappe.db.commit()
		cls.clerk = Attacker(CLERK)

	@classmethod
	def tearDownClass(cls):
		frappe.set_user("Administrator")
		frappe.db.commit()
		for name in reversed(cls.created):
			remove_complaint(name)
		frappe.db.commit()
		super().tearDownClass()

	def register(self, **fields) -> dict:
		body = {
			"customer": self.delivery.customer,
			"category": "Policy / Customer Service",
			"channel": "Phone",
			"complainant_name": "Rest Buyer",
			"complainant_email": "rest.buyer@customers.example.com",
			"description": "Registered over REST.",
			**fields,
		}
		response = self.clerk.insert(body)
		self.assertEqual(response.status_code, 200, response.get_data(as_text=True))
		data = response.json["data"]
		self.created.append(data["name"])
		return data

	def test_a_registration_opens_the_workflow_action_frappe_would(self):
		name = self.register(subject="Workflow action of a new registration")["name"]
		ours = actions_of(name)
		doc = frappe.get_doc("Customer Complaint", name)
		expected_roles = sorted(
			{t.allowed for t in get_next_possible_transitions(WORKFLOW, doc.workflow_state, doc)}
		)
		self.assertTrue(expected_roles)
		self.assertEqual(
			ours,
			[
				{
					"status": "Open",
					"workflow_state": doc.workflow_state,
					"user": None,
					"docstatus": 0,
					"completed_by": None,
					"roles": expected_roles,
				}
			],
		)
		# The shortcut relies on Frappe's hook, which runs after it in the same save, finding the row and
		# stopping (`is_workflow_action_already_created`): were that to change, there would be two rows above,
		# or Frappe's hook would write a second one here
		self.assertTrue(is_workflow_action_already_created(doc))
		doc.flags.in_insert = True
		process_workflow_actions(doc, "on_update")
		self.assertEqual(actions_of(name), ours)
		# Frappe's own code, run on the same document, opens exactly the same
		frappe.db.delete("Workflow Action", {"reference_name": name})
		doc.flags.in_insert = False
		process_workflow_actions(doc, "on_update")
		self.assertEqual(actions_of(name), ours)

	def test_the_clerk_finds_it_in_the_workflow_action_list_and_dispatching_completes_it(self):
		name = self.register(subject="Dispatched from the Workflow Action list")["name"]
		listed = self.clerk.get(
			"/api/resource/Workflow Action",
			filters=json.dumps([["reference_name", "=", name], ["status", "=", "Open"]]),
		)
		self.assertEqual(listed.status_code, 200, listed.get_data(as_text=True))
		self.assertEqual(len(listed.json["data"]), 1)
		# a role the registration's transitions do not name does not see it
		gm = Attacker(GM)
		hidden = gm.get("/api/resource/Workflow Action", filters=json.dumps([["reference_name", "=", name]]))
		self.assertEqual(hidden.json["data"], [])
		saved = self.clerk.put(name, {"unconfirmed_reason": "Customer not reachable"})
		self.assertEqual(saved.status_code, 200, saved.get_data(as_text=True))
		frappe.db.commit()
		response = self.clerk.workflow(frappe.get_doc("Customer Complaint", name), "Dispatch")
		self.assertEqual(response.status_code, 200, response.get_data(as_text=True))
		first, *later = actions_of(name)
		self.assertEqual((first["status"], first["completed_by"]), ("Completed", CLERK))
		self.assertTrue(later and later[-1]["status"] == "Open")
		self.assertNotEqual(later[-1]["workflow_state"], first["workflow_state"])

	def test_a_repeat_lists_the_open_complaint_it_repeats_but_not_an_old_closed_one(self):
		window = frappe.get_cached_doc("Complaint Settings").repeat_window_days or 30
		first = self.register(subject="Pump seal leaks after two weeks", severity="General")
		old = self.register(subject="Pump seal leaks after two weeks")
		elsewhere = self.register(customer=self.other.customer, subject="Pump seal leaks after two weeks")
		self.assertNotIn(first["name"], {row["complaint"] for row in elsewhere["related_complaints"]})
		# an earlier complaint, closed long before the window
		frappe.db.set_value(
			"Customer Complaint",
			old["name"],
			{
				"status": "Closed",
				"received_on": frappe.utils.add_days(frappe.utils.now_datetime(), -(int(window) + 5)),
			},
			update_modified=False,
		)
		frappe.db.commit()
		repeat = self.register(subject="pump seal LEAKS after two weeks!!", severity="General")
		self.assertEqual(repeat["is_repeat"], 1)
		related = {row["complaint"]: row for row in repeat["related_complaints"]}
		self.assertIn(first["name"], related)
		self.assertNotIn(old["name"], related)
		self.assertNotIn(elsewhere["name"], related)
		self.assertIn("Subject", related[first["name"]]["matched_on"])
		floor = frappe.get_cached_doc("Complaint Settings").repeat_severity_floor or "Major"
		self.assertEqual(repeat["severity"], floor)  # a repeat is raised to the floor
		self.assertEqual(first["severity"], "General")

	def test_with_the_workflows_e_mail_alerts_on_frappe_opens_it_itself(self):
		frappe.db.set_value("Workflow", WORKFLOW, "send_email_alert", 1)
		frappe.db.commit()
		frappe.clear_document_cache("Workflow", WORKFLOW)
		try:
			name = self.register(subject="Workflow action with e-mail alerts on")["name"]
			(action,) = actions_of(name)
			doc = frappe.get_doc("Customer Complaint", name)
			roles = {t.allowed for t in get_next_possible_transitions(WORKFLOW, doc.workflow_state, doc)}
			self.assertEqual((action["status"], action["roles"]), ("Open", sorted(roles)))
		finally:
			frappe.db.set_value("Workflow", WORKFLOW, "send_email_alert", 0)
			frappe.db.commit()
			frappe.clear_document_cache("Workflow", WORKFLOW)
