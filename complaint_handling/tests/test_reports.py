"""Tier 2: the management reports over HTTP (`frappe.desk.query_report.run`, what the report view calls), each
on a known data set — complaints of a category of their own on fixed dates, deadlines met, missed and running
late, an inspection's costs, a penalty, a confirmed defect of a batch — and each restricted to what the viewer
may see (another territory's region manager does not count these complaints). Bad filters answer 4xx."""

import json

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_days, add_to_date, now_datetime

from complaint_handling.service_levels import clocks
from complaint_handling.setup import demo
from complaint_handling.tests.factories import demo_delivery, make_complaint
from complaint_handling.tests.test_desk_buttons import HttpUser

COORDINATOR = f"coordinator@{demo.EMAIL_DOMAIN}"
QUALITY = f"quality@{demo.EMAIL_DOMAIN}"
SOUTH = demo.TERRITORIES[1].manager_email
EAST = demo.TERRITORIES[0].manager_email
CATEGORY = "Report Test Category"
TIMER = "Report Test Timer"


class TestReports(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.east = demo_delivery(0)
		if not frappe.db.exists("Complaint Category", CATEGORY):
			frappe.get_doc(
				{
					"doctype": "Complaint Category",
					"category_name": CATEGORY,
					"handling_path": "Policy / Customer Service",
				}
			).insert(ignore_permissions=True)
		cls.complaints = [
			make_complaint(
				customer=cls.east.customer, category=CATEGORY, subject=f"Report {n}", received_on=when
			).name
			for n, when in enumerate(
				("2025-01-10 09:00:00", "2025-02-05 10:00:00", "2025-02-20 11:00:00", "2024-12-01 08:00:00")
			)
		]
		frappe.db.commit()
		cls.users = {u: HttpUser(u) for u in (COORDINATOR, QUALITY, SOUTH, EAST)}

	@classmethod
	def tearDownClass(cls):
		frappe.db.delete("Complaint SLA Clock", {"timer": TIMER})
		for name in cls.complaints:
			frappe.delete_doc("Customer Complaint", name, force=True, ignore_permissions=True)
		frappe.db.commit()
		super().tearDownClass()

	def run_report(self, user: str, report: str, filters: dict, status: int = 200):
		response = self.users[user].post(
			"/api/method/frappe.desk.query_report.run",
			{"report_name": report, "filters": json.dumps(filters)},
		)
		self.assertEqual(response.status_code, status, response.get_data(as_text=True)[:500])
		return response.json["message"] if status == 200 else None

	def test_complaints_over_time_by_category(self):
		result = self.run_report(
			COORDINATOR,
			"Complaint Analysis",
			{"group_by": "Category", "period": "Monthly", "from_date": "2025-01-01", "to_date": "2025-03-31"},
		)
		labels = [c["label"] for c in result["columns"]]
		self.assertEqual(labels[1:4], ["2025-01", "2025-02", "2025-03"])
		row = next(r for r in result["result"] if r.get("grp") == CATEGORY)
		self.assertEqual((row["p0"], row["p1"], row["p2"], row["total"]), (1, 2, 0, 3))
		self.assertTrue(result["chart"]["data"]["datasets"])
		quarterly = self.run_report(
			COORDINATOR,
			"Complaint Analysis",
			{
				"group_by": "Category",
				"period": "Quarterly",
				"from_date": "2025-01-01",
				"to_date": "2025-03-31",
			},
		)
		row = next(r for r in quarterly["result"] if r.get("grp") == CATEGORY)
		self.assertEqual((row["p0"], row["total"]), (3, 3))
		# another territory's region manager does not count them
		south = self.run_report(
			SOUTH,
			"Complaint Analysis",
			{"group_by": "Category", "period": "Monthly", "from_date": "2025-01-01", "to_date": "2025-03-31"},
		)
		self.assertFalse([r for r in south["result"] if r.get("grp") == CATEGORY])
		for bad in (
			{"group_by": "password"},
			{"period": "Hourly"},
			{"from_date": "yesterday-ish"},
			{"from_date": "2025-03-01", "to_date": "2025-01-01"},
		):
			self.run_report(COORDINATOR, "Complaint Analysis", bad, 417)

	def test_open_complaints_by_age(self):
		result = self.run_report(
			COORDINATOR, "Open Complaints by Age", {"group_by": "Category", "age_buckets": "1,3,7,15"}
		)
		row = next(r for r in result["result"] if r.get("grp") == CATEGORY)
		self.assertEqual((row["total"], row["b0"], row["b4"]), (4, 0, 4))  # all received long ago: > 15 days
		self.assertEqual(
			[c["label"] for c in result["columns"]][1:6], ["≤ 1 d", "1–3 d", "3–7 d", "7–15 d", "> 15 d"]
		)
		self.run_report(COORDINATOR, "Open Complaints by Age", {"age_buckets": "7,3"}, 417)

	def test_sla_compliance_per_timer(self):
		now = now_datetime()
		for n, (stopped, due, running) in enumerate(
			(
				(add_to_date(now, hours=-5), add_to_date(now, hours=-4), 0),  # met
				(add_to_date(now, hours=-1), add_to_date(now, hours=-3), 0),  # missed
				(None, add_to_date(now, hours=-2), 1),  # running past due
				(None, add_to_date(now, hours=5), 1),  # running, in time
			)
		):
			frappe.get_doc(
				{
					"doctype": "Complaint SLA Clock",
					"complaint": self.complaints[n],  # one clock per timer and complaint
					"timer": TIMER,
					"status": "Registered",
					"started_at": add_to_date(now, hours=-6),
					"due_at": due,
					"warn_at": due,
					"stopped_at": stopped,
					"running": running,
				}
			).db_insert()
			# as the app writes a clock: with its complaint's columns of the visibility rule
			clocks.carry_visibility(frappe.get_doc("Customer Complaint", self.complaints[n]))
		frappe.db.commit()
		today = str(now.date())
		result = self.run_report(
			COORDINATOR,
			"Complaint SLA Compliance",
			{"group_by": "Timer", "from_date": str(add_days(today, -1)), "to_date": today},
		)
		row = next(r for r in result["result"] if r.get("grp") == TIMER)
		self.assertEqual(
			(row["on_time"], row["late"], row["overdue"], row["running"], row["clocks"], row["compliance"]),
			(1, 1, 1, 1, 4, 33.3),
		)
		south = self.run_report(
			SOUTH,
			"Complaint SLA Compliance",
			{"group_by": "Timer", "from_date": str(add_days(today, -1)), "to_date": today},
		)
		self.assertFalse([r for r in south["result"] if r.get("grp") == TIMER])
		east = self.run_report(
			EAST,
			"Complaint SLA Compliance",
			{"group_by": "Territory", "from_date": str(add_days(today, -1)), "to_date": today},
		)
		self.assertIn(demo.TERRITORIES[0].name, [r["grp"] for r in east["result"]])
		self.assertNotIn(
			demo.TERRITORIES[1].name, [r["grp"] for r in east["result"]], "his own territory only"
		)

	def test_each_clock_carries_its_complaints_rule_columns_and_follows_them(self):
		"""What the compliance report applies the visibility rule to: the clocks the app writes carry their
		complaint's territory, region manager, handler, pending approver and person complained about, and
		follow a change of them."""
		complaint = make_complaint(customer=self.east.customer, subject="Clocks carry the rule")

		def carried() -> list[tuple]:
			return frappe.get_all(
				"Complaint SLA Clock", {"complaint": complaint.name}, list(clocks.CARRIED), as_list=True
			)

		doc = frappe.get_doc("Customer Complaint", complaint.name)
		self.assertTrue(carried(), "a registered complaint has its clocks")
		self.assertEqual(set(carried()), {tuple(doc.get(c) or None for c in clocks.CARRIED)})
		self.assertEqual(carried()[0][0], self.east.territory)
		employee, accused = frappe.db.get_value(
			"Employee", {"user_id": ("like", "%@demo.example.com"), "status": "Active"}, ["name", "user_id"]
		)
		doc.complained_employee = employee  # the person complained about: a column of the rule changes
		doc.save(ignore_permissions=True)
		self.assertEqual(doc.complained_user, accused)
		self.assertEqual(set(carried()), {tuple(doc.get(c) or None for c in clocks.CARRIED)})
		frappe.db.rollback()

	def test_the_weekly_chart_counts_what_each_user_may_see_and_follows_each_change(self):
		"""The workspace's chart reads the weekly intake summary: over HTTP, each user's chart equals a grouping
		of exactly the complaints that user may see; a complaint whose category changes, or that is deleted,
		moves in the summary as a recount finds it."""
		from complaint_handling.access.permissions import complaint_conditions
		from complaint_handling.domain.reporting import week_starts, weekly_series
		from complaint_handling.intake import received_weeks

		chart_url = "/api/method/complaint_handling.complaint_handling.dashboard_chart_source.complaints_by_category.complaints_by_category.get"
		to_date, weeks = "2025-02-20", 13  # from 25 November 2024

		def chart(user: str) -> dict:
			answer = self.users[user].post(
				chart_url, {"filters": json.dumps({"weeks": weeks}), "to_date": to_date}
			)
			self.assertEqual(answer.status_code, 200, (user, answer.get_data(as_text=True)[:300]))
			return answer.json["message"]

		def expected(user: str) -> dict:
			starts = week_starts(frappe.utils.getdate(to_date), weeks)
			rule = complaint_conditions(user)
			rows = frappe.db.sql(
				f"""select category, date_sub(date(received_on), interval weekday(received_on) day), count(*)
				from `tabCustomer Complaint`
				where received_on >= %s and received_on < date_add(%s, interval 7 day)
					and registration_followup = 0 {"and " + rule if rule else ""}
				group by 1, 2""",
				(starts[0], starts[-1]),
			)
			labels, series = weekly_series(starts, [(c, frappe.utils.getdate(w), n) for c, w, n in rows])
			return {
				"labels": [frappe.format(start, "Date") for start in labels],
				"datasets": [{"name": c or "No Category", "values": v} for c, v in series],
			}

		def summary() -> list:
			summary = received_weeks.SUMMARY
			columns = ", ".join(("name", *summary.key_columns, *summary.value_columns))
			return frappe.db.sql(f"select {columns} from {summary.table} where complaints != 0 order by name")

		received_weeks.rebuild()
		frappe.db.commit()
		for user in (COORDINATOR, EAST, SOUTH):
			self.assertEqual(chart(user), expected(user), user)
		ours = {d["name"]: d["values"] for d in chart(EAST)["datasets"]}[CATEGORY]
		self.assertEqual(sum(ours), 4, "the east region's manager sees the four complaints of the category")
		self.assertNotIn(CATEGORY, [d["name"] for d in chart(SOUTH)["datasets"]], "not the other region's")

		moved = make_complaint(
			customer=self.east.customer, category=CATEGORY, subject="Moves", received_on="2025-02-18 10:00:00"
		)
		self.assertEqual(frappe.db.get_value("Customer Complaint", moved.name, "registration_followup"), 0)
		frappe.db.commit()
		self.assertEqual(sum({d["name"]: d["values"] for d in chart(EAST)["datasets"]}[CATEGORY]), 5)
		doc = frappe.get_doc("Customer Complaint", moved.name)
		doc.category = "Policy / Customer Service"  # the clerk corrects the category: it moves
		doc.save(ignore_permissions=True)
		frappe.db.commit()
		for user in (COORDINATOR, EAST, SOUTH):
			self.assertEqual(chart(user), expected(user), user)
		counted = summary()
		received_weeks.rebuild()
		self.assertEqual(summary(), counted, "what registering and moving added is what a recount finds")
		frappe.delete_doc("Customer Complaint", moved.name, force=True, ignore_permissions=True)
		left = summary()
		received_weeks.rebuild()
		self.assertEqual(summary(), left, "a deleted complaint takes its count away")
		frappe.db.commit()
		self.assertEqual(self.users[EAST].post(chart_url, {"filters": "{}"}).status_code, 200)

	def test_cost_of_poor_quality_and_penalties_by_party(self):
		complaint = make_complaint(
			customer=self.east.customer, category="Product Quality", serial_no=self.east.serial_no
		)
		frappe.set_user(EAST)
		inspection = frappe.get_doc({"doctype": "Defect Inspection", "complaint": complaint.name}).insert()
		frappe.set_user("Administrator")
		frappe.db.set_value("Defect Inspection", inspection.name, {"labour_days": 2, "labour_rate": 500})
		for leg, amount in (("Freight to the Company", 120), ("Freight to the Customer", 80)):
			row = frappe.get_doc(
				{
					"doctype": "Defect Inspection Freight",
					"parent": inspection.name,
					"parenttype": "Defect Inspection",
					"parentfield": "freight",
					"leg": leg,
					"amount": amount,
				}
			)
			row.db_insert()
		supplier = (
			frappe.db.get_value("Supplier", {"supplier_name": "Report Test Canteen"})
			or frappe.get_doc(
				{
					"doctype": "Supplier",
					"supplier_name": "Report Test Canteen",
					"supplier_group": demo.leaf_of("Supplier Group"),
				}
			)
			.insert(ignore_permissions=True)
			.name
		)
		day = str(now_datetime().date())
		self.before_penalties = next(
			(
				r
				for r in self.run_report(
					COORDINATOR, "Complaint Penalties by Party", {"from_date": day, "to_date": day}
				)["result"]
				if r.get("party") == supplier
			),
			None,
		)
		penalty = frappe.get_doc(
			{
				"doctype": "Complaint Penalty",
				"rule": "Canteen: Complaint Not Properly Handled",
				"party_type": "Supplier",
				"party": supplier,
				"complaint": complaint.name,
				"reason": "Report test",
			}
		).insert(ignore_permissions=True)
		frappe.db.commit()

		def cleanup():
			frappe.db.delete("Complaint Penalty", {"name": penalty.name})
			frappe.db.delete("Defect Inspection Freight", {"parent": inspection.name})
			frappe.delete_doc("Defect Inspection", inspection.name, force=True, ignore_permissions=True)
			frappe.delete_doc("Customer Complaint", complaint.name, force=True, ignore_permissions=True)
			frappe.db.commit()

		self.addCleanup(cleanup)
		today = str(now_datetime().date())
		result = self.run_report(
			QUALITY, "Cost of Poor Quality", {"group_by": "Month", "from_date": today, "to_date": today}
		)
		month = today[:7]
		row = next(r for r in result["result"] if r.get("grp") == month)
		self.assertGreaterEqual(row["freight"], 200)
		self.assertGreaterEqual(row["repairs"], 1000)
		self.assertEqual(
			row["total"], sum(row[k] for k in ("freight", "replacements", "credits", "repairs", "penalties"))
		)
		south = self.run_report(SOUTH, "Complaint Penalties by Party", {"from_date": today, "to_date": today})
		self.assertFalse([r for r in south["result"] if r.get("party") == supplier])
		result = self.run_report(
			COORDINATOR, "Complaint Penalties by Party", {"from_date": today, "to_date": today}
		)
		row = next(r for r in result["result"] if r.get("party") == supplier)
		was = self.before_penalties or {
			"penalties": 0,
			"posted": 0,
			"pending_amount": 0,
		}  # other tests' of today
		self.assertEqual(
			(
				row["penalties"] - was["penalties"],
				row["posted"] - (was["posted"] or 0),
				row["pending_amount"] - (was["pending_amount"] or 0),
			),
			(1, 0, 100),
		)

	def test_batch_failure_rate_counts_a_confirmed_defect(self):
		batch = self.east.filter_batch

		def rate_row():
			result = self.run_report(QUALITY, "Batch Failure Rate", {})
			return next((r for r in result["result"] if r.get("batch") == batch), None)

		before = rate_row()
		complaint = make_complaint(customer=self.east.customer, category="Product Quality")
		frappe.set_user(EAST)
		inspection = frappe.get_doc({"doctype": "Defect Inspection", "complaint": complaint.name}).insert()
		frappe.set_user("Administrator")
		frappe.db.set_value(
			"Defect Inspection",
			inspection.name,
			{"batch_no": batch, "final_determination": "Obvious Quality Defect", "status": "Closed"},
		)
		frappe.db.commit()
		self.addCleanup(
			lambda: (
				frappe.delete_doc("Defect Inspection", inspection.name, force=True, ignore_permissions=True),
				frappe.delete_doc("Customer Complaint", complaint.name, force=True, ignore_permissions=True),
				frappe.db.commit(),
			)
		)
		after = rate_row()
		self.assertIsNotNone(after)
		self.assertEqual(after["defects"], (before["defects"] if before else 0) + 1)
		self.assertAlmostEqual(after["per_mille"], round(1000 * after["defects"] / after["delivered"], 3))
		self.assertEqual(after["over"], int(after["per_mille"] > after["promised"]))
