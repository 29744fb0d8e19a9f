"""Tier 2, adversary (issue 20): Frappe's generic doors, each tried over HTTP the way the review found it
open — refused or scoped now, the database unchanged, never a 5xx. The door census (test_door_census.py)
tries every whitelisted method; these are the review's table, door by door, with what must still work."""

import json

import frappe
from frappe.tests.test_api import make_request
from frappe.utils.password import update_password

from complaint_handling.setup import demo
from complaint_handling.tests.factories import (
	demo_delivery,
	make_complaint,
	make_portal_user,
	remove_complaint,
)
from complaint_handling.tests.test_adversary import CLERK, COORDINATOR, GM, Attacker
from complaint_handling.tests.test_workflow import EAST_MANAGER, WorkflowTestCase

SOUTH = demo.TERRITORIES[1].manager_email
COMPLAINT = "Customer Complaint"


class SideDoorCase(WorkflowTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		east, other = demo_delivery(0), demo_delivery(1)
		cls.secret = f"SIDEDOOR{frappe.generate_hash(length=6).upper()}"
		cls.about_east = make_complaint(
			customer=east.customer,
			category="Staff Conduct",
			subject=f"{cls.secret} complaint about the east manager",
			description=f"{cls.secret} he shouted at the customer",
			complained_employee=frappe.db.get_value("Employee", {"user_id": EAST_MANAGER}, "name"),
		)
		cls.own = make_portal_user("side.own@customers.example.com", east.customer)
		cls.foreign = make_portal_user("side.foreign@customers.example.com", other.customer)
		for user in (cls.own, cls.foreign):
			update_password(user, demo.DEMO_PASSWORD)
		frappe.db.commit()

	@classmethod
	def tearDownClass(cls):
		frappe.set_user("Administrator")
		remove_complaint(cls.about_east.name)
		frappe.db.commit()
		super().tearDownClass()

	def rows(self, doctype: str, **filters) -> list:
		frappe.db.rollback()
		return frappe.get_all(doctype, filters=filters, fields=["*"], order_by="name")

	def put(self, attacker, path: str, body: dict):
		return make_request(target=attacker.client.put, args=(path,), kwargs={"json": body})

	def delete(self, attacker, path: str):
		return make_request(target=attacker.client.delete, args=(path,))

	def assertRefused(self, response, status: int = 403):
		self.assertEqual(response.status_code, status, response.get_data(as_text=True)[:500])


class TestShares(SideDoorCase):
	def test_never_to_everyone_another_customer_the_accused_or_someone_the_rule_does_not_let_see(self):
		name = self.about_east.name
		before = self.rows("DocShare", share_doctype=COMPLAINT, share_name=name)
		clerk = Attacker(CLERK)
		for share in (
			{"everyone": 1, "read": 1},
			{"user": self.foreign, "read": 1},
			{"user": EAST_MANAGER, "read": 1},
			{"user": SOUTH, "read": 1},
			{"user": SOUTH, "read": 1, "flags": json.dumps({"ignore_share_permission": 1})},
		):
			response = clerk.post(
				"/api/method/frappe.share.add", {"doctype": COMPLAINT, "name": name, **share}
			)
			self.assertRefused(response)
		self.assertEqual(self.rows("DocShare", share_doctype=COMPLAINT, share_name=name), before)
		for user in (EAST_MANAGER, SOUTH, self.foreign):
			self.assertRefused(Attacker(user).get(f"/api/resource/{COMPLAINT}/{name}"))

	def test_to_someone_who_already_sees_it(self):
		response = Attacker(CLERK).post(
			"/api/method/frappe.share.add",
			{"doctype": COMPLAINT, "name": self.about_east.name, "user": GM, "read": 1},
		)
		self.assertEqual(response.status_code, 200, response.get_data(as_text=True)[:300])


class TestChildRows(SideDoorCase):
	def test_an_approval_or_confirmation_row_is_never_written_on_its_own(self):
		doc = frappe.get_doc(COMPLAINT, self.about_east.name)
		doc.append("approvals", {"party": "Marketing Director", "approver": COORDINATOR})
		doc.append(
			"confirmations",
			{
				"method": "Read back by phone",
				"confirmed_by": CLERK,
				"confirmed_on": frappe.utils.now_datetime(),
			},
		)
		doc.flags.owner_writes = {"approvals", "confirmations"}
		doc.save(ignore_permissions=True)
		frappe.db.commit()
		approval, confirmation = doc.approvals[-1].name, doc.confirmations[-1].name
		before = (
			self.rows("Complaint Approval", parent=doc.name),
			self.rows("Complaint Confirmation", parent=doc.name),
		)
		for user in (GM, COORDINATOR, CLERK):
			attacker = Attacker(user)
			self.assertRefused(
				self.put(
					attacker,
					f"/api/resource/Complaint Approval/{approval}",
					{"party": "General Manager", "approver": GM},
				)
			)
			self.assertRefused(
				self.put(
					attacker,
					f"/api/resource/Complaint Confirmation/{confirmation}",
					{"by_customer": 1, "method": "E-mail link"},
				)
			)
			self.assertRefused(self.delete(attacker, f"/api/resource/Complaint Approval/{approval}"))
		after = (
			self.rows("Complaint Approval", parent=doc.name),
			self.rows("Complaint Confirmation", parent=doc.name),
		)
		self.assertEqual(after, before)

	def test_child_lists_show_only_rows_of_complaints_one_may_see(self):
		for user in (EAST_MANAGER, SOUTH):
			listed = Attacker(user).get(
				"/api/method/frappe.client.get_list",
				doctype="Complaint Approval",
				parent=COMPLAINT,
				fields=json.dumps(["parent", "approver"]),
				filters=json.dumps({"parent": self.about_east.name}),
			)
			self.assertEqual(listed.json.get("message", []), [], listed.get_data(as_text=True)[:300])


class TestCountsSearchesReports(SideDoorCase):
	def test_counts_and_searches_find_nothing_hidden(self):
		for user in (EAST_MANAGER, SOUTH):
			attacker = Attacker(user)
			count = attacker.post(
				"/api/method/frappe.client.get_count",
				{"doctype": COMPLAINT, "filters": json.dumps({"description": ["like", f"%{self.secret}%"]})},
			)
			self.assertEqual((count.status_code, count.json.get("message")), (200, 0))
			for method in ("frappe.desk.search.search_widget", "frappe.desk.search.search_link"):
				found = attacker.post(
					f"/api/method/{method}",
					{"doctype": COMPLAINT, "txt": self.about_east.name, "ignore_user_permissions": 1},
				)
				self.assertNotIn(self.about_east.name, found.get_data(as_text=True), method)
			grouped = attacker.post(
				"/api/method/frappe.desk.listview.get_group_by_count",
				{
					"doctype": COMPLAINT,
					"current_filters": json.dumps({"name": self.about_east.name}),
					"field": "assigned_to",
				},
			)
			self.assertEqual(grouped.json.get("message"), [], grouped.get_data(as_text=True)[:300])
			link = attacker.post(
				"/api/method/frappe.client.validate_link",
				{"doctype": COMPLAINT, "docname": self.about_east.name},
			)
			self.assertFalse((link.json or {}).get("message"), link.get_data(as_text=True)[:300])

	def test_the_regional_summary_counts_only_what_the_viewer_sees(self):
		month = frappe.utils.getdate(self.about_east.received_on)
		filters = json.dumps(
			{
				"from_date": str(frappe.utils.get_first_day(month)),
				"to_date": str(frappe.utils.get_last_day(month)),
				"territory": "East Region",
				"inside_authority_only": 0,
			}
		)

		def received(user: str) -> int:
			report = Attacker(user).post(
				"/api/method/frappe.desk.query_report.run",
				{"report_name": "Regional Complaint Summary", "filters": filters},
			)
			self.assertEqual(report.status_code, 200, report.get_data(as_text=True)[:300])
			rows = report.json["message"]["result"]
			return sum(
				r.get("received", 0)
				for r in rows
				if isinstance(r, dict) and r.get("category") == "Staff Conduct"
			)

		frappe.db.rollback()
		about_him = frappe.db.sql(
			"""select count(*) from `tabCustomer Complaint` where territory = 'East Region'
			and category = 'Staff Conduct' and complained_user = %s and docstatus < 2
			and received_on between %s and %s""",
			(
				EAST_MANAGER,
				frappe.utils.get_first_day(month),
				frappe.utils.add_days(frappe.utils.get_last_day(month), 1),
			),
		)[0][0]
		self.assertGreaterEqual(about_him, 1)
		self.assertEqual(received(SOUTH), 0)  # another region's figures
		self.assertEqual(
			received(EAST_MANAGER), received(COORDINATOR) - about_him
		)  # never the ones about him


class TestTheAccusedFindsNoTrace(SideDoorCase):
	def test_no_workflow_action_file_follow_like_or_tag(self):
		name = self.about_east.name
		frappe.get_doc(
			{
				"doctype": "File",
				"file_name": f"witness-statement-{self.secret}.txt",
				"content": "statement",
				"attached_to_doctype": COMPLAINT,
				"attached_to_name": name,
				"is_private": 1,
			}
		).insert(ignore_permissions=True)
		frappe.db.commit()
		accused = Attacker(EAST_MANAGER)
		for doctype, field in (
			("Workflow Action", "reference_name"),
			("File", "attached_to_name"),
			("ToDo", "reference_name"),
		):
			listed = accused.get(
				f"/api/resource/{doctype}", filters=json.dumps({field: name}), fields=json.dumps(["*"])
			)
			self.assertNotIn(name, listed.get_data(as_text=True), doctype)
			self.assertNotIn(self.secret, listed.get_data(as_text=True), doctype)
		frappe.db.set_value("User", EAST_MANAGER, "document_follow_notify", 1)  # he would get the digest
		frappe.db.commit()
		self.addCleanup(frappe.db.commit)
		self.addCleanup(frappe.db.set_value, "User", EAST_MANAGER, "document_follow_notify", 0)
		before = (
			self.rows("Document Follow", ref_docname=name),
			frappe.db.get_value(COMPLAINT, name, "_liked_by"),
		)
		self.assertRefused(
			accused.post(
				"/api/method/frappe.desk.form.document_follow.follow_document",
				{"doctype": COMPLAINT, "doc_name": name, "following": 1},
			)
		)
		self.assertRefused(
			accused.post(
				"/api/method/frappe.desk.like.toggle_like", {"doctype": COMPLAINT, "name": name, "add": "Yes"}
			)
		)
		self.assertGreaterEqual(
			accused.post(
				"/api/method/frappe.desk.doctype.tag.tag.add_tag", {"tag": "x", "dt": COMPLAINT, "dn": name}
			).status_code,
			400,
		)
		# nor may anyone make him follow it
		self.assertRefused(
			Attacker(COORDINATOR).post(
				"/api/method/frappe.desk.form.document_follow.follow_document",
				{"doctype": COMPLAINT, "doc_name": name, "user": EAST_MANAGER},
			)
		)
		frappe.db.rollback()
		self.assertEqual(
			(
				self.rows("Document Follow", ref_docname=name),
				frappe.db.get_value(COMPLAINT, name, "_liked_by"),
			),
			before,
		)


class TestFiles(SideDoorCase):
	def test_a_complaints_file_is_never_detached_or_made_public(self):
		clerk = Attacker(CLERK)
		file = frappe.get_doc(
			{
				"doctype": "File",
				"file_name": "evidence.txt",
				"content": "evidence",
				"attached_to_doctype": COMPLAINT,
				"attached_to_name": self.about_east.name,
				"is_private": 1,
			}
		)
		frappe.set_user(CLERK)
		file.insert()
		frappe.set_user("Administrator")
		frappe.db.commit()
		for change in (
			{"attached_to_doctype": None, "attached_to_name": None},
			{"is_private": 0},
			{"attached_to_name": "X"},
		):
			self.assertRefused(self.put(clerk, f"/api/resource/File/{file.name}", change))
		frappe.db.rollback()
		stored = frappe.db.get_value("File", file.name, ["attached_to_name", "is_private"])
		self.assertEqual(tuple(stored), (self.about_east.name, 1))


class TestPortalUsers(SideDoorCase):
	def test_desk_apis_are_closed_to_the_customer_on_their_own_complaint(self):
		customer = Attacker(self.own)
		name = self.about_east.name
		for path, args in (
			("/api/method/frappe.desk.form.load.getdoc", {"doctype": COMPLAINT, "name": name}),
			("/api/method/frappe.desk.form.load.get_docinfo", {"doctype": COMPLAINT, "name": name}),
			("/api/method/frappe.client.get_list", {"doctype": COMPLAINT}),
			("/api/method/frappe.desk.reportview.get", {"doctype": COMPLAINT, "fields": json.dumps(["*"])}),
		):
			self.assertRefused(customer.post(path, args))
		self.assertRefused(
			customer.get(f"/api/resource/{COMPLAINT}", fields=json.dumps(["_comments", "_assign"]))
		)
		self.assertRefused(
			customer.get(f"/api/resource/{COMPLAINT}", filters=json.dumps({"proposal": ["like", "%a%"]}))
		)
		self.assertRefused(
			customer.get("/printview", doctype=COMPLAINT, name=name, format="Defect Inspection Form")
		)
		self.assertRefused(customer.get("/printview", doctype=COMPLAINT, name=name, format="Complaint File"))
		self.assertRefused(
			customer.get("/api/method/complaint_handling.records.archive.export_file", name=name)
		)
		# what the portal offers still works
		own = customer.get(f"/api/resource/{COMPLAINT}/{name}")
		self.assertEqual(own.status_code, 200, own.get_data(as_text=True)[:300])
		self.assertEqual(
			customer.get(
				"/printview", doctype=COMPLAINT, name=name, format="Complaint Registration Form"
			).status_code,
			200,
		)

	def test_another_customer_learns_nothing(self):
		foreign = Attacker(self.foreign)
		for path, args in (
			(
				"/api/method/frappe.client.validate_link",
				{"doctype": COMPLAINT, "docname": self.about_east.name},
			),
			("/api/method/frappe.client.get_count", {"doctype": COMPLAINT}),
		):
			response = foreign.post(path, args)
			self.assertRefused(response)


class TestBadShapesAnswer4xx(SideDoorCase):
	def test_no_500(self):
		clerk = Attacker(CLERK)
		for path, args in (
			("/api/method/frappe.www.list.get", {"doctype": COMPLAINT, "limit": "ten"}),
			(
				"/api/method/frappe.utils.print_format.download_multi_pdf",
				{"doctype": json.dumps({"x": "y"}), "name": "[]"},
			),
			(
				"/api/method/frappe.desk.doctype.number_card.number_card.get_result",
				{"doc": json.dumps({"document_type": "Nope", "function": "Count"}), "filters": "[]"},
			),
			(
				"/api/method/frappe.desk.doctype.number_card.number_card.get_result",
				{"doc": json.dumps({"document_type": COMPLAINT, "function": "Drop"}), "filters": "[]"},
			),
		):
			response = clerk.post(path, args)
			self.assertTrue(
				400 <= response.status_code < 500,
				(path, response.status_code, response.get_data(as_text=True)[:300]),
			)
		self.assertRefused(
			Attacker(SOUTH).post(
				"/api/method/frappe.desk.doctype.tag.tag.add_tag",
				{"tag": "x", "dt": COMPLAINT, "dn": self.about_east.name},
			)
		)


class TestClosedComplaintTables(SideDoorCase):
	def test_a_closed_complaint_only_gains_escalations(self):
		name = self.closed_through(EAST_MANAGER, "Apologise.")
		frappe.set_user("Administrator")
		doc = frappe.get_doc(COMPLAINT, name)
		doc.append(
			"escalations",
			{"authority": "Market regulator", "reference": "MR-1", "escalated_on": frappe.utils.today()},
		)
		doc.flags.ignore_permissions = True
		doc.save()
		frappe.db.commit()
		row = doc.escalations[0].name
		before = self.rows("Complaint Escalation", parent=name)
		for user in (CLERK, COORDINATOR):
			attacker = Attacker(user)
			self.assertRefused(attacker.put(name, {"escalations": []}))
			self.assertRefused(
				attacker.post(
					"/api/method/frappe.client.delete", {"doctype": "Complaint Escalation", "name": row}
				)
			)
		self.assertEqual(self.rows("Complaint Escalation", parent=name), before)
		# a new outside escalation is still recorded
		frappe.db.rollback()
		doc = frappe.get_doc(COMPLAINT, name)
		doc.append(
			"escalations",
			{"authority": "Consumer association", "reference": "CA-2", "escalated_on": frappe.utils.today()},
		)
		doc.flags.ignore_permissions = True
		frappe.set_user(COORDINATOR)
		try:
			doc.save()
		finally:
			frappe.set_user("Administrator")
		self.assertEqual(len(frappe.get_doc(COMPLAINT, name).escalations), 2)
