"""Tier 2: Frappe Helpdesk hands over (service_desk/helpdesk.py), through the doors its users use.

Runs on a site with Helpdesk (`scripts/test` makes one when the bench has the helpdesk app, like the payroll
tests with HRMS); skipped on a site without it. A Helpdesk agent escalates an HD Ticket over HTTP, as the
agent UI's action calls it; the complaint runs to closure through its workflow; the ticket waits Paused, is
told each public stage, keeps its time on hold, and ends Resolved with the outcome.
"""

import unittest

import frappe
from frappe.utils.password import update_password

from complaint_handling.service_desk import helpdesk
from complaint_handling.setup import demo
from complaint_handling.tests.browser import Desk, chromium_path, missing_browser, served_site
from complaint_handling.tests.factories import make_email_account, make_user, remove_complaint
from complaint_handling.tests.test_desk_buttons import HttpUser
from complaint_handling.tests.test_service_desk import make_put
from complaint_handling.tests.test_workflow import EAST_MANAGER, WorkflowTestCase, act

METHOD = "/api/method/complaint_handling.service_desk.helpdesk"
SENDER = "buyer.helpdesk@customers.example.com"
CATEGORY = "Policy / Customer Service"
TICKET = "HD Ticket"


class HelpdeskCase(WorkflowTestCase):
	@classmethod
	def setUpClass(cls):
		if not helpdesk.is_installed():
			raise unittest.SkipTest("Frappe Helpdesk is not installed on this site")
		super().setUpClass()
		cls.agent = make_user("hd.agent@example.com", ["Agent"])
		update_password(cls.agent, demo.DEMO_PASSWORD)
		if not frappe.db.exists("HD Agent", cls.agent):
			frappe.get_doc({"doctype": "HD Agent", "user": cls.agent, "agent_name": "HD Agent"}).insert(
				ignore_permissions=True
			)
		cls.contact = cls.customer_contact(cls.east.customer)
		make_email_account()  # the survey is e-mailed when the complaint closes
		frappe.db.commit()

	@staticmethod
	def customer_contact(customer: str) -> str:
		found = frappe.db.get_value("Contact Email", {"email_id": SENDER}, "parent")
		if found:
			return found
		contact = frappe.get_doc(
			{
				"doctype": "Contact",
				"first_name": "Helpdesk",
				"last_name": "Buyer",
				"email_ids": [{"email_id": SENDER, "is_primary": 1}],
				"links": [{"link_doctype": "Customer", "link_name": customer}],
			}
		).insert(ignore_permissions=True)
		return contact.name

	def make_ticket(self, subject: str = "The pump leaks") -> str:
		"""A ticket as a customer's mail makes it: the sender, a received mail and an attached photo."""
		ticket = frappe.get_doc(
			{
				"doctype": TICKET,
				"subject": subject,
				"raised_by": SENDER,
				"description": "<p>Water under the pump since Monday.</p>",
			}
		).insert(ignore_permissions=True)
		name = str(ticket.name)
		self.receive(name, "Water under the pump since Monday.")
		frappe.get_doc(
			{
				"doctype": "File",
				"file_name": f"leak-hd-{name}.txt",
				"content": b"photo of the leak",
				"is_private": 1,
				"attached_to_doctype": TICKET,
				"attached_to_name": name,
			}
		).insert(ignore_permissions=True)
		frappe.db.commit()
		self.addCleanup(self.remove_ticket, name)
		return name

	def receive(self, ticket: str, text: str):
		communication = frappe.get_doc(
			{
				"doctype": "Communication",
				"communication_type": "Communication",
				"communication_medium": "Email",
				"sent_or_received": "Received",
				"subject": "The pump leaks",
				"sender": SENDER,
				"content": text,
				"reference_doctype": TICKET,
				"reference_name": ticket,
			}
		).insert(ignore_permissions=True)
		frappe.db.commit()
		return communication

	def remove_ticket(self, name: str) -> None:
		frappe.set_user("Administrator")
		complaint = helpdesk.complaint_of_ticket(name)
		frappe.db.delete("File", {"attached_to_doctype": TICKET, "attached_to_name": name})
		frappe.db.delete("HD Ticket Comment", {"reference_ticket": name})
		for communication in frappe.get_all("Communication", {"reference_name": name}, pluck="name"):
			frappe.delete_doc("Communication", communication, force=True, ignore_permissions=True)
		frappe.delete_doc(TICKET, name, force=True, ignore_permissions=True)
		frappe.db.commit()
		if complaint:
			remove_complaint(complaint)

	def escalate(self, user: HttpUser, ticket: str, category: str | None = CATEGORY):
		response = user.post(f"{METHOD}.escalate_ticket", {"ticket": ticket, "category": category or ""})
		frappe.db.commit()
		return response

	def comments(self, ticket: str) -> list[str]:
		return frappe.get_all(
			"HD Ticket Comment",
			filters={"reference_ticket": ticket},
			pluck="content",
			order_by="creation asc",
		)


class TestHelpdeskHandOver(HelpdeskCase):
	def test_an_agent_escalates_a_ticket_and_it_learns_each_public_stage_until_resolved(self):
		ticket = self.make_ticket("Helpdesk: the pump leaks")
		agent = HttpUser(self.agent)
		options = agent.get(f"{METHOD}.escalation_options", ticket=ticket)
		self.assertEqual(options.status_code, 200, options.get_data(as_text=True)[:500])
		self.assertIsNone(options.json["message"]["complaint"])
		self.assertIn(CATEGORY, options.json["message"]["categories"])

		response = self.escalate(agent, ticket)
		self.assertEqual(response.status_code, 200, response.get_data(as_text=True)[:500])
		name = response.json["message"]["complaint"]
		self.addCleanup(remove_complaint, name)
		complaint = frappe.get_doc("Customer Complaint", name)
		self.assertEqual(
			(complaint.hd_ticket, complaint.customer, complaint.complainant_email, complaint.status),
			(ticket, self.east.customer, SENDER, "Registered"),
		)
		self.assertEqual(complaint.handler, EAST_MANAGER, "routed like any complaint")
		self.assertTrue(
			complaint.response_by and complaint.resolution_by, "deadlines computed at registration"
		)
		doc = frappe.get_doc(TICKET, ticket)
		self.assertEqual(
			(doc.status, doc.customer_complaint, doc.complaint_stage, doc.agreement_status),
			("Paused", name, "Registered", "Paused"),
		)
		self.assertTrue(doc.on_hold_since, "its SLA pauses while the complaint runs")
		self.assertEqual(len(self.comments(ticket)), 1)
		self.assertIn(name, self.comments(ticket)[0])
		self.assertTrue(
			frappe.db.exists(
				"File",
				{"attached_to_doctype": "Customer Complaint", "attached_to_name": name, "is_private": 1},
			)
		)
		self.assertTrue(
			frappe.db.exists("Communication Link", {"link_doctype": "Customer Complaint", "link_name": name})
		)
		# escalating again opens the same complaint; the agent sees of it what the visibility rule allows
		again = self.escalate(agent, ticket)
		self.assertEqual(again.json["message"], {"complaint": name, "created": False})
		self.assertEqual(agent.get(f"/api/resource/Customer Complaint/{name}").status_code, 403)

		# the customer writes again: Helpdesk reopens the ticket, it keeps waiting, the mail reaches the complaint
		held_since = doc.on_hold_since
		reply = self.receive(ticket, "Any news?")
		self.assertIn(
			("Customer Complaint", name), [(r.link_doctype, r.link_name) for r in reply.timeline_links]
		)
		doc = frappe.get_doc(TICKET, ticket)
		self.assertEqual((doc.status, str(doc.on_hold_since)), ("Paused", str(held_since)))

		complaint.record_readback("Read back by phone")
		complaint = act(self.clerk, complaint, "Dispatch")
		complaint = act(
			EAST_MANAGER, complaint, "Propose", proposal="<p>We replace the seal free of charge.</p>"
		)
		self.assertEqual(len(self.comments(ticket)), 1, "internal steps are not written on the ticket")
		complaint = act(self.coordinator, complaint, "Accept Proposal")
		complaint = act(self.clerk, complaint, "Reply to Customer")
		frappe.db.commit()
		self.assertEqual(len(self.comments(ticket)), 2)
		self.assertIn("replace the seal", self.comments(ticket)[1])
		self.assertEqual(frappe.db.get_value(TICKET, ticket, "complaint_stage"), "Decision sent")
		complaint = act(self.clerk, complaint, "Close")
		frappe.db.commit()
		doc = frappe.get_doc(TICKET, ticket)
		self.assertEqual((doc.status, doc.complaint_stage), ("Resolved", "Closed"))
		self.assertIn("replace the seal", doc.resolution_details)
		notes = self.comments(ticket)
		self.assertEqual(len(notes), 3)
		for note in notes:  # who handled and approved it stays inside
			for person in (EAST_MANAGER, self.coordinator, self.clerk):
				self.assertNotIn(person, note)

	def test_only_an_agent_escalates_and_bad_input_is_a_clear_refusal(self):
		ticket = self.make_ticket("Helpdesk: refusals")
		self.assertEqual(self.escalate(HttpUser(f"clerk@{demo.EMAIL_DOMAIN}"), ticket).status_code, 403)
		agent = HttpUser(self.agent)
		missing = self.escalate(agent, "999999999")
		self.assertEqual(missing.status_code, 404, missing.get_data(as_text=True)[:300])
		no_category = self.escalate(agent, ticket, category=None)
		self.assertEqual(no_category.status_code, 417, no_category.get_data(as_text=True)[:300])
		self.assertIn("category", no_category.get_data(as_text=True).lower())
		self.assertIsNone(helpdesk.complaint_of_ticket(ticket), "nothing half-saved")

	def test_the_links_are_written_only_by_the_escalation(self):
		ticket, other = self.make_ticket("Helpdesk: guarded one"), self.make_ticket("Helpdesk: guarded two")
		name = self.escalate(HttpUser(self.agent), ticket).json["message"]["complaint"]
		self.addCleanup(remove_complaint, name)
		clerk = HttpUser(f"clerk@{demo.EMAIL_DOMAIN}")
		response = make_put(clerk, f"/api/resource/Customer Complaint/{name}", {"hd_ticket": other})
		self.assertIn(response.status_code, (403, 404), response.get_data(as_text=True)[:300])
		self.assertEqual(frappe.db.get_value("Customer Complaint", name, "hd_ticket"), ticket)
		# the agent's client cannot point another ticket at the complaint: the stored value is kept
		make_put(HttpUser(self.agent), f"/api/resource/{TICKET}/{other}", {"customer_complaint": name})
		frappe.db.commit()
		self.assertIsNone(frappe.db.get_value(TICKET, other, "customer_complaint"))

	def test_setup_is_idempotent(self):
		helpdesk.setup()
		helpdesk.setup()
		self.assertEqual(frappe.db.count("HD Form Script", {"name": helpdesk.FORM_SCRIPT}), 1)
		options = frappe.get_meta(TICKET).get_field("status").options.split("\n")
		self.assertEqual(options.count("Paused"), 1)
		for field in helpdesk.TICKET_SERVER_KEPT:
			self.assertEqual(
				frappe.db.count("HD Ticket Template Field", {"parent": "Default", "fieldname": field}), 1
			)


# Helpdesk v1.14's agent UI runs an HD Form Script this way (desk/src/composables/formCustomisation.ts):
# `new Function(script + "\nreturn setupForm")()`, awaited with {doc, call, toast, …}, its `actions` shown as
# buttons (grouped into a dropdown by `group`); frappe-ui's `call` POSTs to /api/method and returns `message`.
# The UI itself is not built here (its npm dependencies are not all on this machine's registry), so the page
# below renders the actions the same way, from the ticket Helpdesk's own API returns, against the real site.
AGENT_UI = """async ([ticket]) => {
	const get = await fetch(`/api/method/helpdesk.helpdesk.doctype.hd_ticket.api.get_one?name=${ticket}`);
	const data = (await get.json()).message;
	const call = async (method, args) => {
		const response = await fetch(`/api/method/${method}`, {
			method: "POST",
			headers: { "Content-Type": "application/json", "X-Frappe-CSRF-Token": frappe.csrf_token },
			body: JSON.stringify(args),
		});
		const body = await response.json();
		if (!response.ok) {
			const error = new Error(body.exception || response.statusText);
			error.messages = (JSON.parse(body._server_messages || "[]")).map((m) => JSON.parse(m).message);
			throw error;
		}
		return body.message;
	};
	const box = document.createElement("div");
	box.id = "agent-ui";
	box.style = "position:fixed;top:60px;left:20px;z-index:2000;background:#fff;padding:16px;border:1px solid #888";
	document.body.appendChild(box);
	const say = (kind) => (text) => { const p = document.createElement("p"); p.className = `toast-${kind}`; p.textContent = text; box.appendChild(p); };
	const toast = { success: say("success"), error: say("error") };
	let actions = [];
	for (const script of [].concat(data._form_script || [])) {
		const setupForm = new Function(script + "\\nreturn setupForm")();
		actions = actions.concat((await setupForm({ doc: data, call, toast }))?.actions || []);
	}
	for (const action of actions) {
		const button = document.createElement("button");
		button.textContent = action.group ? `${action.group} ▸ ${action.label}` : action.label;
		button.onclick = action.onClick;
		box.appendChild(button);
	}
	return actions.map((a) => [a.group || null, a.label]);
}"""


@unittest.skipIf(missing_browser(), missing_browser() or "")
class TestHelpdeskAgentInTheBrowser(HelpdeskCase):
	def test_the_agent_action_escalates_from_the_ticket(self):
		from playwright.sync_api import sync_playwright

		ticket = self.make_ticket("Helpdesk browser: the pump leaks")
		with served_site() as base, sync_playwright() as playwright:
			browser = playwright.chromium.launch(executable_path=chromium_path(), args=["--no-sandbox"])
			try:
				agent = Desk(browser, base, self.agent, demo.DEMO_PASSWORD)
				actions = agent.page.evaluate(AGENT_UI, [ticket])
				self.assertIn(["Escalate to complaint", CATEGORY], actions)
				label = f"Escalate to complaint ▸ {CATEGORY}"
				agent.see(label, within="#agent-ui")
				agent.page.locator("#agent-ui button", has_text=CATEGORY).click()
				agent.page.wait_for_selector("#agent-ui .toast-success, #agent-ui .toast-error")
				frappe.db.commit()
				name = helpdesk.complaint_of_ticket(ticket)
				self.assertTrue(name, agent.page.inner_text("#agent-ui"))
				self.addCleanup(remove_complaint, name)
				agent.see(f"Complaint {name} registered", within="#agent-ui")
				agent.shot("helpdesk-agent-escalated")
				self.assertEqual(frappe.db.get_value(TICKET, ticket, "status"), "Paused")
				# the ticket opened again: the action now names the complaint
				agent.page.evaluate("() => document.getElementById('agent-ui').remove()")
				self.assertEqual(agent.page.evaluate(AGENT_UI, [ticket]), [[None, f"Complaint {name}"]])
				agent.see(f"Complaint {name}", within="#agent-ui")
				self.assertEqual(agent.problems, [])
			finally:
				browser.close()
