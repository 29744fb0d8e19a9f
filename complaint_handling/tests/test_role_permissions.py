"""Tier 2: each role reaches the ERPNext records its work needs; region managers see their territories;
memos and the workspace follow the complaint's visibility. Checked through HTTP where the desk uses it."""

import frappe
from frappe.tests.utils import FrappeTestCase

from complaint_handling.integrations.erpnext.permissions import ERPNEXT_PERMISSIONS, missing_permissions
from complaint_handling.setup import demo
from complaint_handling.tests.factories import demo_delivery, make_complaint
from complaint_handling.tests.test_desk_buttons import HttpUser

EAST, SOUTH = (t.manager_email for t in demo.TERRITORIES)
DEMO_USERS = {
	"Complaint Clerk": f"clerk@{demo.EMAIL_DOMAIN}",
	"Complaint Coordinator": f"coordinator@{demo.EMAIL_DOMAIN}",
	"Marketing Director": f"director@{demo.EMAIL_DOMAIN}",
	"General Manager": f"gm@{demo.EMAIL_DOMAIN}",
	"Management Representative": f"mr@{demo.EMAIL_DOMAIN}",
	"Quality Manager": f"quality@{demo.EMAIL_DOMAIN}",
	"Region Manager": EAST,
}


class TestErpnextPermissions(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		demo_delivery(0)

	def tearDown(self):
		frappe.set_user("Administrator")

	def test_installed_with_nothing_missing(self):
		self.assertEqual(missing_permissions(), [])

	def test_every_role_gets_what_the_table_grants_and_no_more_on_employees(self):
		for doctype, roles in ERPNEXT_PERMISSIONS.items():
			for role, rights in roles.items():
				user = DEMO_USERS[role]
				for right in rights:
					self.assertTrue(frappe.has_permission(doctype, right, user=user), (doctype, role, right))
		for user in DEMO_USERS.values():
			if "Employee" not in frappe.get_roles(user):  # ERPNext's Employee role reads its own record
				self.assertFalse(frappe.has_permission("Employee", "read", user=user), user)
			self.assertFalse(frappe.has_permission("Customer", "write", user=user), user)

	def test_the_clerk_picks_customer_contact_item_serial_and_employee_over_http(self):
		clerk = HttpUser(DEMO_USERS["Complaint Clerk"])
		delivery = demo_delivery(0)
		for doctype, text in (
			("Customer", delivery.customer[:12]),
			("Contact", "Buyer"),
			("Item", delivery.item),
			("Serial No", delivery.serial_no),
			("Delivery Note", ""),
			("Employee", "Demo"),
			("Territory", ""),
		):
			response = clerk.post(
				"/api/method/frappe.desk.search.search_link",
				{"doctype": doctype, "txt": text, "reference_doctype": "Customer Complaint"},
			)
			self.assertEqual(response.status_code, 200, (doctype, response.get_data(as_text=True)[:300]))
			self.assertTrue(response.json["message"], f"the clerk finds no {doctype}")
		fetched = clerk.post(
			"/api/method/frappe.client.validate_link",
			{"doctype": "Customer", "docname": delivery.customer, "fields": '["territory"]'},
		)
		self.assertEqual(fetched.status_code, 200)
		self.assertEqual(fetched.json["message"]["territory"], delivery.territory)


class TestRegionManagerVisibility(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.east = demo_delivery(0)
		cls.south = demo_delivery(3)
		assert cls.east.territory != cls.south.territory
		cls.east_complaint = make_complaint(customer=cls.east.customer, subject="East visibility")
		cls.south_complaint = make_complaint(customer=cls.south.customer, subject="South visibility")
		driver = frappe.db.get_value("Employee", {"first_name": "Demo", "last_name": "Driver"}, "name")
		cls.staff_complaint = make_complaint(
			customer=cls.east.customer,
			category="Staff Conduct",
			subject="Driver rude",
			complained_employee=driver,
		)
		frappe.db.commit()
		cls.names = [cls.east_complaint.name, cls.south_complaint.name, cls.staff_complaint.name]

	@classmethod
	def tearDownClass(cls):
		frappe.set_user("Administrator")
		for name in cls.names:
			frappe.delete_doc("Customer Complaint", name, force=True, ignore_permissions=True)
		frappe.db.commit()
		super().tearDownClass()

	def tearDown(self):
		frappe.set_user("Administrator")

	def visible(self, user: str) -> set[str]:
		frappe.set_user(user)
		try:
			return set(
				frappe.get_list("Customer Complaint", filters={"name": ("in", self.names)}, pluck="name")
			)
		finally:
			frappe.set_user("Administrator")

	def test_each_region_manager_lists_his_own_territory(self):
		self.assertEqual(self.visible(EAST), {self.east_complaint.name, self.staff_complaint.name})
		self.assertEqual(self.visible(SOUTH), {self.south_complaint.name})
		self.assertEqual(self.visible(DEMO_USERS["Complaint Coordinator"]), set(self.names))
		self.assertEqual(self.visible(DEMO_USERS["Management Representative"]), set(self.names))

	def test_the_rule_is_served_by_the_visibility_indexes(self):
		"""Every index of the rule is on the table, its columns in order, and a region manager's condition
		names his territories as values (a subquery there made every count a full scan at 1.1 M rows)."""
		from complaint_handling.access.permissions import (
			VISIBILITY_COLUMNS,
			VISIBILITY_INDEXES,
			complaint_conditions,
		)

		rows = frappe.db.sql("show index from `tabCustomer Complaint`", as_dict=True)
		for name, leading in {**VISIBILITY_INDEXES, "customer_creation": ("customer",)}.items():
			columns = [
				r.Column_name for r in sorted(rows, key=lambda r: r.Seq_in_index) if r.Key_name == name
			]
			expected = (
				[*leading, *VISIBILITY_COLUMNS] if name in VISIBILITY_INDEXES else [*leading, "creation"]
			)
			self.assertEqual(columns, expected, name)
		condition = complaint_conditions(EAST)
		self.assertNotIn("select", condition.lower())
		self.assertIn(f"`territory` in ({frappe.db.escape(self.east.territory)}", condition)

	def test_opening_another_region_is_refused_over_http(self):
		south = HttpUser(SOUTH)
		refused = south.get(f"/api/resource/Customer Complaint/{self.east_complaint.name}")
		self.assertEqual(refused.status_code, 403)
		own = south.get(f"/api/resource/Customer Complaint/{self.south_complaint.name}")
		self.assertEqual(own.status_code, 200)

	def test_region_manager_opens_a_staff_conduct_complaint_of_his_region(self):
		"""His own Employee user permission must not hide a complaint about another employee."""
		east = HttpUser(EAST)
		response = east.get(f"/api/resource/Customer Complaint/{self.staff_complaint.name}")
		self.assertEqual(response.status_code, 200, response.get_data(as_text=True)[:500])

	def test_memos_follow_their_complaint(self):
		memo = frappe.get_doc(
			{
				"doctype": "Complaint Memo",
				"complaint": self.east_complaint.name,
				"subject": "Visibility memo",
				"to_department": frappe.db.get_value("Department", {"complaint_head": ("is", "set")}, "name"),
			}
		).insert(ignore_permissions=True)
		frappe.db.commit()
		try:
			for user, expected in ((EAST, True), (SOUTH, False), (DEMO_USERS["Marketing Director"], True)):
				self.assertEqual(
					frappe.has_permission("Complaint Memo", "read", memo.name, user=user), expected, user
				)
				frappe.set_user(user)
				listed = frappe.get_list("Complaint Memo", filters={"name": memo.name}, pluck="name")
				frappe.set_user("Administrator")
				self.assertEqual(bool(listed), expected, user)
		finally:
			frappe.delete_doc("Complaint Memo", memo.name, force=True, ignore_permissions=True)
			frappe.db.commit()


class TestWorkspace(FrappeTestCase):
	def test_number_cards_and_chart_answer_every_role(self):
		demo_delivery(0)
		for user in (*DEMO_USERS.values(), SOUTH):
			http = HttpUser(user)
			workspace = http.post(
				"/api/method/frappe.desk.desktop.get_desktop_page",
				{"page": '{"name": "Complaint Handling", "title": "Complaint Handling", "public": 1}'},
			)
			self.assertEqual(workspace.status_code, 200, (user, workspace.get_data(as_text=True)[:300]))
			page = workspace.json["message"]
			self.assertTrue(page["shortcuts"]["items"], f"{user} sees no shortcut")
			self.assertEqual(len(page["number_cards"]["items"]), 7, user)
			self.assertEqual(len(page["charts"]["items"]), 1, user)
			card = http.post(
				"/api/method/frappe.desk.doctype.number_card.number_card.get_result",
				{
					"doc": frappe.as_json(frappe.get_doc("Number Card", "Open Complaints").as_dict()),
					"filters": "[]",
				},
			)
			self.assertEqual(card.status_code, 200, (user, card.get_data(as_text=True)[:300]))
			change = http.post(  # the card's "% since" (access/replica.py: read where the replica may answer)
				"/api/method/frappe.desk.doctype.number_card.number_card.get_percentage_difference",
				{
					"doc": frappe.as_json(frappe.get_doc("Number Card", "Open Complaints").as_dict()),
					"filters": "[]",
					"result": card.json["message"],
				},
			)
			self.assertEqual(change.status_code, 200, (user, change.get_data(as_text=True)[:300]))
			csat = http.post(  # a custom card: the desk calls its method
				"/api/method/" + frappe.db.get_value("Number Card", "Customer Satisfaction", "method"),
				{"filters": "[]"},
			)
			self.assertEqual(csat.status_code, 200, (user, csat.get_data(as_text=True)[:300]))
			self.assertEqual(csat.json["message"]["fieldtype"], "Percent")
			cost = http.post(
				"/api/method/complaint_handling.records.reporting.cost_this_month", {"filters": "[]"}
			)
			self.assertEqual(cost.status_code, 200, (user, cost.get_data(as_text=True)[:300]))
			self.assertEqual(cost.json["message"]["fieldtype"], "Currency")
			chart = http.post(
				"/api/method/complaint_handling.complaint_handling.dashboard_chart_source.complaints_by_category.complaints_by_category.get",
				{"filters": '{"weeks": 4}'},
			)
			self.assertEqual(chart.status_code, 200, (user, chart.get_data(as_text=True)[:300]))
			self.assertEqual(len(chart.json["message"]["labels"]), 4)

	def test_my_open_complaints_counts_the_users_open_assignments_from_an_index(self):
		"""The shortcut counts the user's open ToDos on complaints (index on ToDo), as the desk asks it."""
		import json

		from complaint_handling.setup.install import ASSIGNMENT_INDEX, ASSIGNMENT_INDEX_NAME

		complaint = make_complaint(customer=demo_delivery(0).customer)
		frappe.db.commit()
		user = frappe.get_all(  # whoever's move it is now (a demo user: the clerk reads it back)
			"ToDo", {"reference_name": complaint.name, "status": "Open"}, pluck="allocated_to"
		)[0]
		shortcut = next(
			s
			for s in frappe.get_doc("Workspace", "Complaint Handling").shortcuts
			if s.label == "My Open Complaints"
		)
		filters = json.loads(shortcut.stats_filter.replace("frappe.session.user", json.dumps(user)))
		count = HttpUser(user).get(
			"/api/method/frappe.client.get_count", doctype=shortcut.link_to, filters=json.dumps(filters)
		)
		self.assertEqual(count.status_code, 200, count.get_data(as_text=True)[:300])
		mine = frappe.db.count(
			"ToDo", {"allocated_to": user, "status": "Open", "reference_type": "Customer Complaint"}
		)
		self.assertGreaterEqual(mine, 1)
		self.assertEqual(count.json["message"], mine)
		rows = frappe.db.sql("show index from `tabToDo`", as_dict=True)
		columns = [
			r.Column_name
			for r in sorted(rows, key=lambda r: r.Seq_in_index)
			if r.Key_name == ASSIGNMENT_INDEX_NAME
		]
		self.assertEqual(columns, list(ASSIGNMENT_INDEX))
