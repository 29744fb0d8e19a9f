"""Tier 2: first-line answers from Frappe's help articles — offered over HTTP to the clerk and to a customer's
portal user as a complaint is told, and counted when a complaint closes answered with one."""

import json

import frappe

from complaint_handling.setup import demo
from complaint_handling.tests.factories import make_portal_user
from complaint_handling.tests.test_desk_buttons import HttpUser
from complaint_handling.tests.test_workflow import EAST_MANAGER, WorkflowTestCase, act

SUGGEST = "/api/method/complaint_handling.customer.knowledge_base.suggest_articles"


class TestKnowledgeBase(WorkflowTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		frappe.set_user("Administrator")
		if not frappe.db.exists("Help Category", "Pumps"):
			frappe.get_doc({"doctype": "Help Category", "category_name": "Pumps", "published": 1}).insert()
		cls.articles = []
		for title, item in (
			("Pump hums but does not start", demo.SERIAL_ITEM),
			("Changing a filter cartridge", None),
		):
			name = frappe.db.get_value("Help Article", {"title": title})
			if not name:
				name = (
					frappe.get_doc(
						{
							"doctype": "Help Article",
							"title": title,
							"category": frappe.db.get_value("Help Category", {"category_name": "Pumps"}),
							"published": 1,
							"content": "<p>Check the valve.</p>",
							"complaint_category": "Product Quality",
							"complaint_item": item,
						}
					)
					.insert()
					.name
				)
			cls.articles.append(name)
		portal = make_portal_user("kb.buyer@customers.example.com", cls.east.customer)
		from frappe.utils.password import update_password

		update_password(portal, demo.DEMO_PASSWORD)
		frappe.db.commit()
		cls.clerk_http = HttpUser(f"clerk@{demo.EMAIL_DOMAIN}")
		cls.portal_http = HttpUser(portal)

	def suggested(self, user, **args):
		response = user.get(SUGGEST, **args)
		self.assertEqual(response.status_code, 200, response.get_data(as_text=True)[:300])
		return [a["name"] for a in response.json["message"]]

	def test_the_best_fitting_articles_are_offered_first_in_desk_and_portal(self):
		pump, filters = self.articles
		for user in (self.clerk_http, self.portal_http):
			found = self.suggested(
				user, category="Product Quality", item=demo.SERIAL_ITEM, subject="pump hums"
			)
			self.assertEqual(found[:2], [pump, filters])
		self.assertEqual(self.suggested(self.clerk_http, subject="filter cartridge"), [filters])
		self.assertEqual(self.suggested(self.clerk_http, subject="zz"), [])
		refused = self.clerk_http.get(SUGGEST, subject=json.dumps(["x"]))
		self.assertLess(refused.status_code, 500)

	def test_a_complaint_closed_with_an_article_counts_for_it(self):
		pump = self.articles[0]
		before = frappe.db.get_value("Help Article", pump, "complaints_answered") or 0
		complaint = self.registered(amount_at_stake=100)
		complaint = act(self.clerk, complaint, "Dispatch")
		complaint = act(
			EAST_MANAGER, complaint, "Propose", proposal="Explained the valve.", help_article=pump
		)
		complaint = act(self.coordinator, complaint, "Accept Proposal")
		self.reply_and_close(complaint)
		self.assertEqual(frappe.db.get_value("Help Article", pump, "complaints_answered"), before + 1)
		# a customer does not write the company's answer
		self.assertNotIn(
			"help_article", frappe.get_meta("Customer Complaint").get_field("help_article").permlevel * [""]
		)
