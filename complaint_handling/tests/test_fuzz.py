"""Tier 2, fuzz: no input to any of the app's endpoints yields a server error (5xx).

Hypothesis generates hostile values (unicode, SQL and HTML fragments, huge and negative numbers, lists,
empty strings) for every argument of every whitelisted method and for REST inserts and updates, sent over
HTTP by a staff user, a portal user and a guest. A 4xx with a message is the right answer to nonsense.
"""

import io
import json

import frappe
from frappe.tests.test_api import make_request
from frappe.tests.utils import FrappeTestCase
from frappe.utils import get_test_client
from frappe.utils.password import update_password
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from complaint_handling.setup import demo
from complaint_handling.tests.factories import demo_delivery, make_complaint, make_portal_user
from complaint_handling.tests.test_desk_buttons import HttpUser

CHART = "complaint_handling.complaint_handling.dashboard_chart_source.complaints_by_category.complaints_by_category.get"
hostile_text = st.one_of(
	st.text(max_size=60),
	st.sampled_from(
		[
			"' or 1=1 --",
			'<img src=x onerror="alert(1)">',
			"1e400",
			"-1",
			"NaN",
			"null",
			"[]",
			"{}",
			"\x00",
			"x" * 5000,
		]
	),
)
hostile = st.one_of(
	hostile_text,
	st.integers(min_value=-(10**30), max_value=10**30),
	st.floats(allow_nan=True, allow_infinity=True),
	st.booleans(),
	st.none(),
	st.lists(hostile_text, max_size=3),
)
FIELDS = [
	"customer",
	"contact",
	"category",
	"severity",
	"subject",
	"description",
	"channel",
	"amount_at_stake",
	"serial_no",
	"batch_no",
	"item",
	"delivery_note",
	"received_on",
	"order_date",
	"complained_employee",
	"status",
	"docstatus",
	"approvals",
	"is_vip",
	"complainant_email",
]
INSPECTION_FIELDS = [
	"complaint",
	"determination",
	"misuse_handling",
	"fixed_on_site",
	"arrived_at",
	"visit_scheduled_at",
	"delivery_note",
	"return_qty",
	"distance_travelled",
	"qa_determination",
	"remedy",
	"freight",
	"photos",
	"costs",
	"workflow_state",
	"status",
]
PENALTY_FIELDS = [
	"rule",
	"party",
	"party_type",
	"base_amount",
	"units",
	"pick",
	"penalty_date",
	"complaint",
	"inspection",
	"reason",
	"docstatus",
	"amount",
	"workflow_state",
]
RULE_FIELDS = ["rule_name", "party_type", "kind", "amount", "percent_low", "percent_high", "cap", "active_to"]
FUZZ = settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)


def encode(value):
	return value if isinstance(value, str) else json.dumps(value)


class TestFuzz(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		delivery = demo_delivery(0)
		cls.complaint = make_complaint(customer=delivery.customer, subject="Fuzz target")
		portal = make_portal_user("fuzz.buyer@customers.example.com", delivery.customer)
		update_password(portal, demo.DEMO_PASSWORD)
		frappe.cache.delete_keys("complaint_handling:")
		frappe.db.set_single_value("Complaint Settings", "submissions_per_hour", 0)  # fuzz, not flood control
		frappe.db.set_single_value("Complaint Settings", "link_attempts_per_hour", 0)
		frappe.db.commit()
		cls.inspection_complaint = make_complaint(
			customer=delivery.customer, subject="Fuzz inspection target", category="Product Quality"
		)
		frappe.set_user(demo.TERRITORIES[0].manager_email)
		cls.inspection = frappe.get_doc(
			{"doctype": "Defect Inspection", "complaint": cls.inspection_complaint.name}
		).insert()
		frappe.set_user("Administrator")
		cls.penalty = frappe.get_doc(
			{
				"doctype": "Complaint Penalty",
				"rule": "Canteen: Complaint Not Properly Handled",
				"party_type": "Supplier",
				"party": frappe.db.get_value("Supplier", {}, "name")
				or frappe.get_doc(
					{
						"doctype": "Supplier",
						"supplier_name": "Fuzz Canteen",
						"supplier_group": demo.leaf_of("Supplier Group"),
					}
				)
				.insert()
				.name,
				"reason": "Fuzz target",
			}
		).insert()
		frappe.db.commit()
		cls.users = {
			"coordinator": HttpUser(f"coordinator@{demo.EMAIL_DOMAIN}"),
			"manager": HttpUser(demo.TERRITORIES[0].manager_email),
			"clerk": HttpUser(f"clerk@{demo.EMAIL_DOMAIN}"),
			"portal": HttpUser(portal),
			"guest": None,
		}

	@classmethod
	def tearDownClass(cls):
		frappe.db.set_single_value("Complaint Settings", "submissions_per_hour", 30)
		frappe.db.set_single_value("Complaint Settings", "link_attempts_per_hour", 20)
		frappe.db.sql(
			"delete from `tabCustomer Complaint` where subject like 'fuzz-%%' or name != %s and owner in (%s, %s) and creation > now() - interval 1 hour",
			(cls.complaint.name, f"clerk@{demo.EMAIL_DOMAIN}", "fuzz.buyer@customers.example.com"),
		)
		frappe.delete_doc("Customer Complaint", cls.complaint.name, force=True, ignore_permissions=True)
		frappe.db.delete("Defect Inspection", {"complaint": cls.inspection_complaint.name})
		frappe.db.delete("Complaint Penalty", {"reason": ["in", ["Fuzz target"]]})
		frappe.db.delete(
			"Complaint Penalty",
			{
				"owner": f"coordinator@{demo.EMAIL_DOMAIN}",
				"docstatus": 0,
				"creation": [">", frappe.utils.add_to_date(None, hours=-1)],
			},
		)
		frappe.db.delete("Penalty Rule", {"owner": f"coordinator@{demo.EMAIL_DOMAIN}"})
		frappe.delete_doc(
			"Customer Complaint", cls.inspection_complaint.name, force=True, ignore_permissions=True
		)
		frappe.db.commit()
		super().tearDownClass()

	def send(self, who: str, method: str, path: str, **kwargs):
		user = self.users[who]
		client = user.client if user else get_test_client()
		return make_request(target=getattr(client, method), args=(path,), kwargs=kwargs)

	def assert_no_server_error(self, response, what) -> None:
		self.assertLess(response.status_code, 500, (what, response.get_data(as_text=True)[:800]))

	@FUZZ
	@given(
		who=st.sampled_from(["clerk", "portal", "guest"]),
		args=st.dictionaries(st.sampled_from(FIELDS), hostile, max_size=5),
	)
	def test_submit_complaint(self, who, args):
		response = self.send(
			who,
			"post",
			"/api/method/complaint_handling.customer.confirmation.submit_complaint",
			data={k: encode(v) for k, v in args.items()},
		)
		self.assert_no_server_error(response, args)

	@FUZZ
	@given(
		who=st.sampled_from(["clerk", "portal"]),
		fields=st.dictionaries(st.sampled_from(FIELDS), hostile, max_size=5),
	)
	def test_rest_insert(self, who, fields):
		response = self.send(who, "post", "/api/resource/Customer Complaint", json=fields)
		self.assert_no_server_error(response, fields)

	@FUZZ
	@given(
		who=st.sampled_from(["clerk", "portal"]),
		fields=st.dictionaries(st.sampled_from(FIELDS), hostile, max_size=4),
	)
	def test_rest_update(self, who, fields):
		response = self.send(
			who, "put", f"/api/resource/Customer Complaint/{self.complaint.name}", json=fields
		)
		self.assert_no_server_error(response, fields)

	@FUZZ
	@given(who=st.sampled_from(["clerk", "portal", "guest"]), a=hostile, b=hostile, c=hostile, d=hostile)
	def test_confirmation_endpoints(self, who, a, b, c, d):
		for path, data in (
			(
				"complaint_handling.customer.confirmation.confirm_by_link",
				{"complaint": a, "expires": b, "signature": c, "corrections": d},
			),
			("complaint_handling.customer.confirmation.confirm_complaint", {"name": a, "corrections": d}),
			("complaint_handling.customer.confirmation.send_confirmation_link", {"name": a}),
		):
			response = self.send(
				who,
				"post",
				f"/api/method/{path}",
				data={k: encode(v) for k, v in data.items() if v is not None},
			)
			self.assert_no_server_error(response, (path, data))

	@FUZZ
	@given(
		who=st.sampled_from(["clerk", "portal", "guest"]),
		real=st.booleans(),
		a=hostile,
		b=hostile,
		c=hostile,
		d=hostile,
	)
	def test_customer_side_endpoints(self, who, real, a, b, c, d):
		"""The portal's moves and the survey: any input is a clear 4xx or a success, never a 500."""
		name = self.complaint.name if real else a
		for path, data in (
			("complaint_handling.customer.answers.answer_decision", {"name": name, "answer": b, "reason": c}),
			(
				"complaint_handling.customer.answers.record_outside_escalation",
				{"name": name, "authority": b, "reference": c, "escalated_on": d},
			),
			(
				"complaint_handling.customer.surveys.submit_survey",
				{"complaint": name, "ratings": b, "comment": c, "expires": d, "signature": a},
			),
			("complaint_handling.customer.answers.attach_photo", {"name": name}),
		):
			response = self.send(
				who,
				"post",
				f"/api/method/{path}",
				data={k: encode(v) for k, v in data.items() if v is not None},
			)
			self.assert_no_server_error(response, (path, data))
		for page, params in (
			("/complaint_survey", {"complaint": name, "expires": b, "_signature": c}),
			("/complaints/new", {}),
		):
			response = self.send(
				who, "get", page, query_string={k: encode(v) for k, v in params.items() if v is not None}
			)
			self.assert_no_server_error(response, (page, params))

	@FUZZ
	@given(a=hostile, b=hostile, c=hostile)
	def test_desk_methods(self, a, b, c):
		doc = json.dumps(frappe.get_doc("Customer Complaint", self.complaint.name).as_dict(), default=str)
		for data in (
			{
				"docs": doc,
				"method": "record_readback",
				"args": json.dumps({"readback_method": a, "corrections": b}),
			},
			{"method": "complaint_handling.handling.memos.make_memo", "source_name": a},
		):
			path = (
				"/api/method/run_doc_method"
				if "docs" in data
				else "/api/method/frappe.model.mapper.make_mapped_doc"
			)
			response = self.send("clerk", "post", path, data={k: encode(v) for k, v in data.items()})
			self.assert_no_server_error(response, data)
		response = self.send("clerk", "post", f"/api/method/{CHART}", data={"filters": encode({"weeks": c})})
		self.assert_no_server_error(response, c)

	@FUZZ
	@given(
		who=st.sampled_from(["manager", "clerk"]),
		changes=st.dictionaries(st.sampled_from(INSPECTION_FIELDS), hostile, max_size=4),
		key=hostile,
		a=hostile,
		b=hostile,
	)
	def test_field_page(self, who, changes, key, a, b):
		"""The inspection field page's endpoints, as its script sends them, with hostile keys, values and times."""
		api = "/api/method/complaint_handling.quality.field_inspection."
		for data in (
			{"name": self.inspection.name, "key": key, "changes": changes, "seen": a},
			{"name": self.inspection.name, "key": "fuzz-change-1", "changes": changes, "seen": changes},
		):
			response = self.send(
				who, "post", api + "apply_change", data={k: encode(v) for k, v in data.items()}
			)
			self.assert_no_server_error(response, data)
		data = {"name": self.inspection.name, "key": key, "taken_on_phone_at": a, "caption": b}
		response = self.send(
			who,
			"post",
			api + "add_photo",
			data={
				**{k: encode(v) for k, v in data.items()},
				"file": (io.BytesIO(b"\x89PNG"), encode(b) or "x.png"),
			},
		)
		self.assert_no_server_error(response, data)

	@FUZZ
	@given(
		who=st.sampled_from(["manager", "clerk"]),
		fields=st.dictionaries(st.sampled_from(INSPECTION_FIELDS), hostile, max_size=4),
		a=hostile,
	)
	def test_defect_inspection(self, who, fields, a):
		"""The inspection's REST insert and update, and its buttons, by the region manager and the clerk."""
		resource = "/api/resource/Defect Inspection"
		response = self.send(who, "post", resource, json=fields)
		self.assert_no_server_error(response, fields)
		response = self.send(who, "put", f"{resource}/{self.inspection.name}", json=fields)
		self.assert_no_server_error(response, fields)
		for path, data in (
			("complaint_handling.quality.goods_returns.make_goods_return", {"inspection": a}),
			(
				"frappe.model.mapper.make_mapped_doc",
				{"method": "complaint_handling.quality.inspections.make_defect_inspection", "source_name": a},
			),
		):
			response = self.send(
				who, "post", f"/api/method/{path}", data={k: encode(v) for k, v in data.items()}
			)
			self.assert_no_server_error(response, (path, data))
		frappe.db.rollback()
		frappe.db.delete(
			"Defect Inspection",
			{"complaint": self.inspection_complaint.name, "name": ["!=", self.inspection.name]},
		)
		frappe.db.commit()

	@FUZZ
	@given(
		fields=st.dictionaries(st.sampled_from(PENALTY_FIELDS), hostile, max_size=5),
		rule=st.dictionaries(st.sampled_from(RULE_FIELDS), hostile, max_size=5),
	)
	def test_penalties(self, fields, rule):
		"""Penalty and rule REST inserts and updates by the coordinator, who may write both."""
		resource = "/api/resource/Complaint Penalty"
		response = self.send("coordinator", "post", resource, json=fields)
		self.assert_no_server_error(response, fields)
		response = self.send("coordinator", "put", f"{resource}/{self.penalty.name}", json=fields)
		self.assert_no_server_error(response, fields)
		response = self.send("coordinator", "post", "/api/resource/Penalty Rule", json=rule)
		self.assert_no_server_error(response, rule)

	@FUZZ
	@given(
		filters=st.dictionaries(
			st.sampled_from(["from_date", "to_date", "territory", "inside_authority_only"]),
			hostile,
			max_size=4,
		)
	)
	def test_report(self, filters):
		response = self.send(
			"clerk",
			"post",
			"/api/method/frappe.desk.query_report.run",
			data={"report_name": "Regional Complaint Summary", "filters": json.dumps(filters, default=str)},
		)
		self.assert_no_server_error(response, filters)
