"""Tier 2: stored deadlines, warnings, escalation levels, pauses and the sweep — with frozen time.

The test policy uses the Chinese office calendar (Mon-Fri 08:30-12:00, 13:30-17:30, Asia/Shanghai, National
Day 2026-10-01..07 off, Saturday 2026-10-10 worked); instants below are Shanghai wall times.
"""

from datetime import datetime
from zoneinfo import ZoneInfo

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import get_datetime, get_system_timezone

from complaint_handling.complaint_handling.doctype.complaint_sla_policy.complaint_sla_policy import (
	PolicyError,
)
from complaint_handling.service_levels import clocks, sweep
from complaint_handling.tests.factories import (
	demo_delivery,
	make_complaint,
	make_user,
	office_windows,
	policy_category,
	stop_earlier_clocks,
)
from complaint_handling.tests.test_workflow import act

SHANGHAI = ZoneInfo("Asia/Shanghai")
CATEGORY, POLICY = "SLA Test", "SLA Test Policy"


def sh(*args) -> datetime:
	"""A Shanghai wall time as the naive system-time-zone datetime Frappe stores."""
	return datetime(*args, tzinfo=SHANGHAI).astimezone(ZoneInfo(get_system_timezone())).replace(tzinfo=None)


def as_shanghai(value) -> datetime:
	"""A stored instant as Shanghai wall time, to the minute (frozen clocks tick: see `frozen`)."""
	local = get_datetime(value).replace(tzinfo=ZoneInfo(get_system_timezone())).astimezone(SHANGHAI)
	return local.replace(tzinfo=None, second=0, microsecond=0)


def make_policy() -> None:
	policy_category(CATEGORY)
	if not frappe.db.exists("Holiday List", "SLA Test Holidays"):
		frappe.get_doc(
			{
				"doctype": "Holiday List",
				"holiday_list_name": "SLA Test Holidays",
				"from_date": "2026-01-01",
				"to_date": "2026-12-31",
				"holidays": [
					{"holiday_date": f"2026-10-0{d}", "description": "National Day"} for d in range(1, 8)
				],
			}
		).insert()
	frappe.delete_doc("Complaint SLA Policy", POLICY, force=True, ignore_missing=True)
	chain = "Complaint Coordinator, Marketing Director"
	frappe.get_doc(
		{
			"doctype": "Complaint SLA Policy",
			"policy_name": POLICY,
			"category": CATEGORY,
			"priority": 10,
			"time_zone": "Asia/Shanghai",
			"holiday_list": "SLA Test Holidays",
			"working_windows": office_windows(),
			"make_up_days": [{"date": "2026-10-10", "description": "调休"}],
			"targets": [
				{"severity": "General", "first_response_hours": 2, "resolution_hours": 360},
				{"severity": "Major", "first_response_hours": 2, "resolution_hours": 360},
				{"severity": "Urgent", "first_response_hours": 1, "resolution_hours": 48},
			],
			"timers": [
				{
					"document_type": "Customer Complaint",
					"workflow_state": "Registered",
					"timer": "memo_dispatch",
					"allowed_hours": 2,
					"working_time": 1,
					"warn_at": 80,
					"escalation": chain,
				},
				{
					"document_type": "Customer Complaint",
					"workflow_state": "In Handling",
					"timer": "handling",
					"allowed_hours": 7.5,
					"working_time": 1,
					"warn_at": 80,
					"escalation": "Handler, Marketing Director",
				},
				{
					"document_type": "Customer Complaint",
					"workflow_state": "Approved",
					"timer": "reply_after_approval",
					"allowed_hours": 1,
					"working_time": 1,
					"warn_at": 80,
					"escalation": "Complaint Clerk",
				},
				{
					"document_type": "Customer Complaint",
					"workflow_state": "Replied to Customer",
					"timer": "customer_decision",
					"working_time": 1,
					"pauses": 1,
				},
				{
					"document_type": "Complaint Memo",
					"workflow_state": "Dispatched",
					"timer": "memo_reply",
					"due_field": "reply_by",
					"warn_at": 50,
					"escalation": "Addressee, Department Head",
				},
			],
		}
	).insert()


# A scheduler's process running the sweep: one line "go" on stdin sweeps once at the instant given, one JSON
# line on stdout tells how it ended.
SWEEP_RUNNER = """
import json, sys, traceback
import frappe
from complaint_handling.service_levels.sweep import sweep
frappe.init(site=sys.argv[1])
frappe.connect()
print("ready", flush=True)
sys.stdin.readline()
try:
	result = sweep(now=sys.argv[2])
	frappe.db.commit()
except Exception:
	result = {"error": traceback.format_exc()}
finally:
	frappe.destroy()
print(json.dumps(result), flush=True)
"""


class TestServiceLevel(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.delivery = demo_delivery(0)
		cls.coordinator = make_user("sla.coordinator@example.com", ["Complaint Coordinator"])
		cls.director = make_user("sla.director@example.com", ["Marketing Director"])
		cls.clerk = make_user("sla.clerk@example.com", ["Complaint Clerk"])
		make_policy()
		frappe.db.commit()
		stop_earlier_clocks()

	def tearDown(self):
		frappe.set_user("Administrator")
		frappe.db.rollback()

	def frozen(self, when: datetime):
		"""Frozen, but ticking: a whole-second clock trips Frappe's modified-timestamp check."""
		return self.freeze_time(when, tick=True)

	def complaint_at(self, when: datetime, **fields):
		"""Cross-department unless told otherwise: HQ dispatches it, so the memo-dispatch timer runs."""
		fields.setdefault("cross_department", 1)
		with self.frozen(when):
			complaint = make_complaint(
				customer=self.delivery.customer, category=CATEGORY, received_on=when, **fields
			)
		return complaint

	def test_memo_dispatch_counts_working_hours_across_the_weekend(self):
		complaint = self.complaint_at(sh(2026, 11, 27, 17, 0))  # Friday 17:00
		self.assertEqual(complaint.sla_policy, POLICY)
		self.assertEqual(complaint.sla_timer, "memo_dispatch")
		self.assertEqual(as_shanghai(complaint.timer_due_at), datetime(2026, 11, 30, 10, 0))  # Monday 10:00
		self.assertEqual(as_shanghai(complaint.timer_warn_at), datetime(2026, 11, 30, 9, 36))  # 80 %
		self.assertEqual(
			as_shanghai(complaint.response_by), datetime(2026, 11, 27, 19, 0)
		)  # 2 h, clock (7x24)
		self.assertEqual(as_shanghai(complaint.resolution_by), datetime(2026, 12, 12, 17, 0))  # 15 days
		self.assertEqual(complaint.sla_status, "On Track")

	def test_holidays_and_the_make_up_saturday(self):
		before_holiday = self.complaint_at(sh(2026, 9, 30, 17, 0))
		self.assertEqual(as_shanghai(before_holiday.timer_due_at), datetime(2026, 10, 8, 10, 0))
		before_make_up = self.complaint_at(sh(2026, 10, 9, 17, 0))
		self.assertEqual(
			as_shanghai(before_make_up.timer_due_at), datetime(2026, 10, 10, 10, 0)
		)  # 调休 Saturday

	def test_received_outside_working_time_starts_at_the_next_working_instant(self):
		complaint = self.complaint_at(sh(2026, 11, 28, 11, 0))  # Saturday
		self.assertEqual(as_shanghai(complaint.timer_started), datetime(2026, 11, 30, 8, 30))
		self.assertEqual(as_shanghai(complaint.timer_due_at), datetime(2026, 11, 30, 10, 30))

	def test_severity_change_moves_the_targets(self):
		complaint = self.complaint_at(sh(2026, 11, 24, 9, 0))
		complaint.severity = "Urgent"
		with self.frozen(sh(2026, 11, 24, 9, 10)):
			complaint.save()
		self.assertEqual(as_shanghai(complaint.response_by), datetime(2026, 11, 24, 10, 0))
		self.assertEqual(as_shanghai(complaint.resolution_by), datetime(2026, 11, 26, 9, 0))

	def test_memo_dispatch_runs_only_when_hq_dispatches(self):
		inside = self.complaint_at(sh(2026, 11, 24, 9, 0), amount_at_stake=100, cross_department=0)
		self.assertEqual(inside.route_timers, "first_response, resolution")
		self.assertIsNone(inside.sla_timer, "inside the region manager's authority no memo goes to HQ")
		across = self.complaint_at(sh(2026, 11, 24, 9, 0))
		self.assertIn("memo_dispatch", across.route_timers)
		self.assertEqual(across.sla_timer, "memo_dispatch")

	def test_sweep_warns_escalates_level_by_level_and_is_idempotent(self):
		complaint = self.complaint_at(sh(2026, 11, 24, 9, 0))  # due 11:00, warn 10:36
		frappe.db.commit()
		try:
			with self.frozen(sh(2026, 11, 24, 10, 40)):
				first = sweep.sweep()
				self.assertGreaterEqual(first["warned"], 1)
				self.assertEqual(
					frappe.db.get_value("Customer Complaint", complaint.name, "sla_status"), "Warning"
				)
				self.assertEqual(
					sweep.sweep(), {"warned": 0, "escalations": 0}, "a second sweep does nothing"
				)
			with self.frozen(sh(2026, 11, 24, 11, 5)):
				sweep.sweep()
				self.assertEqual(self.breaches(complaint), [(1, "Complaint Coordinator")])
				self.assertEqual(sweep.sweep(), {"warned": 0, "escalations": 0})
			with self.frozen(sh(2026, 11, 24, 14, 35)):  # 2 more working hours (lunch excluded)
				sweep.sweep()
				self.assertEqual(
					self.breaches(complaint), [(1, "Complaint Coordinator"), (2, "Marketing Director")]
				)
				row = frappe.db.get_value(
					"Customer Complaint",
					complaint.name,
					["sla_status", "timer_level", "timer_next_escalation"],
					as_dict=True,
				)
				self.assertEqual(
					(row.sla_status, row.timer_level, row.timer_next_escalation), ("Breached", 2, None)
				)
				breach = frappe.get_last_doc("Complaint SLA Breach", {"reference_name": complaint.name})
				self.assertEqual(breach.overdue_minutes, 125)  # 11:00-12:00 and 13:30-14:35, working time
				self.assertIn(self.director, breach.notified)
			with self.frozen(sh(2026, 11, 27, 9, 0)):
				sweep.sweep()
				self.assertEqual(len(self.breaches(complaint)), 2, "the chain is exhausted")
		finally:
			frappe.delete_doc("Customer Complaint", complaint.name, force=True)
			frappe.db.delete("Complaint SLA Breach", {"reference_name": complaint.name})
			frappe.db.commit()

	def test_three_sweeps_at_once_record_each_level_once(self):
		"""Three real processes sweep the same instant together (the scheduler, a manual run, a second host's
		scheduler): each timer level gets exactly one breach record, and no process errs or waits out a lock."""
		import json
		import subprocess
		import sys
		from pathlib import Path

		complaints = [self.complaint_at(sh(2026, 11, 24, 9, 0)) for _ in range(4)]
		frappe.db.commit()
		names = [c.name for c in complaints]
		runners = []
		try:
			for _ in range(3):
				runners.append(
					subprocess.Popen(
						[
							sys.executable,
							"-c",
							SWEEP_RUNNER,
							frappe.local.site,
							str(sh(2026, 11, 24, 14, 35)),
						],
						cwd=Path(frappe.utils.get_bench_path()) / "sites",
						stdin=subprocess.PIPE,
						stdout=subprocess.PIPE,
						text=True,
					)
				)
			for runner in runners:
				self.assertEqual(runner.stdout.readline().strip(), "ready")
			for runner in runners:  # as near the same moment as three processes get
				runner.stdin.write("go\n")
				runner.stdin.flush()
			outcomes = [json.loads(runner.communicate(timeout=300)[0]) for runner in runners]
			self.assertTrue(all("error" not in o for o in outcomes), outcomes)
			frappe.db.rollback()
			rows = frappe.db.sql(
				"""select reference_name, timer, level, count(*) from `tabComplaint SLA Breach`
				where reference_name in %(names)s group by reference_name, timer, level""",
				{"names": names},
			)
			self.assertEqual({r[3] for r in rows}, {1}, rows)
			for name in names:  # the memo-dispatch timer's two levels, the first-response clock's level
				self.assertEqual(
					sorted((r[1], r[2]) for r in rows if r[0] == name),
					[("first_response", 1), ("memo_dispatch", 1), ("memo_dispatch", 2)],
				)
			self.assertEqual(sum(o["escalations"] for o in outcomes), len(rows), outcomes)
			self.assertEqual(sum(1 for o in outcomes if o["escalations"]), 1, outcomes)
		finally:
			for runner in runners:
				if runner.poll() is None:
					runner.kill()
			for name in names:
				frappe.delete_doc("Customer Complaint", name, force=True)
			frappe.db.delete("Complaint SLA Breach", {"reference_name": ["in", names]})
			frappe.db.commit()

	def breaches(self, complaint, timer: str = "memo_dispatch") -> list[tuple[int, str]]:
		rows = frappe.get_all(
			"Complaint SLA Breach",
			filters={"reference_name": complaint.name, "timer": timer},
			fields=["level", "party"],
			order_by="level asc",
		)
		return [(row.level, row.party) for row in rows]

	def test_each_state_starts_its_own_timer_and_a_waiting_state_pauses_resolution(self):
		complaint = self.complaint_at(sh(2026, 11, 24, 9, 0), amount_at_stake=100, cross_department=0)
		complaint.record_readback("Read back by phone")
		with self.frozen(sh(2026, 11, 24, 9, 30)):
			complaint = act(self.clerk, complaint, "Dispatch")
			self.assertEqual(complaint.sla_timer, "handling")
			self.assertEqual(
				as_shanghai(complaint.timer_due_at), datetime(2026, 11, 25, 9, 30)
			)  # 7.5 working h
			self.assertFalse(complaint.first_responded_on, "dispatching is not a reply to the customer")
			complaint = act("Administrator", complaint, "Propose", proposal="Refund the freight.")
			complaint = act(self.coordinator, complaint, "Accept Proposal")
			self.assertEqual(complaint.sla_timer, "reply_after_approval")
			resolution_before = get_datetime(complaint.resolution_by)
		with self.frozen(sh(2026, 11, 27, 17, 0)):  # Friday 17:00: wait for the customer
			complaint = act(self.clerk, complaint, "Reply to Customer")
			self.assertEqual((complaint.sla_status, complaint.sla_timer), ("Paused", None))
			self.assertEqual(as_shanghai(complaint.first_responded_on), datetime(2026, 11, 27, 17, 0))
		with self.frozen(sh(2026, 11, 30, 9, 0)):  # Monday 09:00: the customer disputes
			complaint = act(self.clerk, complaint, "Record Dispute", dispute_reason="Not enough.")
		self.assertIsNone(complaint.paused_since)
		self.assertAlmostEqual(complaint.paused_seconds, 3600, delta=5)  # Fri 17:00-17:30 + Mon 08:30-09:00
		shift = (get_datetime(complaint.resolution_by) - resolution_before).total_seconds()
		self.assertAlmostEqual(shift, 3600, delta=5, msg="paused working time pushes the resolution back")

	def test_memo_reply_timer_follows_the_requested_reply_time(self):
		complaint = self.complaint_at(sh(2026, 11, 24, 9, 0))
		department = frappe.db.get_value("Department", {"is_group": 0}, "name")
		head = make_user("sla.head@example.com", ["Employee"])
		with self.frozen(sh(2026, 11, 24, 10, 0)):
			memo = frappe.get_doc(
				{
					"doctype": "Complaint Memo",
					"complaint": complaint.name,
					"subject": "Please explain",
					"to_department": department,
					"department_head": head,
					"description": "Explain the delay.",
					"reply_by": sh(2026, 11, 25, 10, 0),
				}
			).insert()
			memo = act(self.coordinator, memo, "Dispatch")
		self.assertEqual(memo.sla_timer, "memo_reply")
		self.assertEqual(as_shanghai(memo.timer_due_at), datetime(2026, 11, 25, 10, 0))
		self.assertEqual(as_shanghai(memo.timer_warn_at), datetime(2026, 11, 24, 22, 0))  # 50 % of the way
		memo.reply_by = sh(2026, 11, 26, 10, 0)
		with self.frozen(sh(2026, 11, 24, 11, 0)):
			memo.save()
		self.assertEqual(as_shanghai(memo.timer_due_at), datetime(2026, 11, 26, 10, 0))

	def test_policy_validation(self):
		policy = frappe.get_doc("Complaint SLA Policy", POLICY)
		policy.time_zone = "Mars/Olympus"
		with self.assertRaisesRegex(PolicyError, "not a time zone"):
			policy.save()
		policy.reload()
		policy.append("targets", {"severity": "General", "first_response_hours": 1, "resolution_hours": 2})
		with self.assertRaisesRegex(PolicyError, "repeats"):
			policy.save()
		policy.reload()
		policy.append("route_timers", {"timer": "customer_reply", "allowed_hours": 0})
		with self.assertRaises((frappe.MandatoryError, PolicyError)):  # Allowed (Hours) > 0
			policy.save()
		policy.reload()
		policy.append("route_timers", {"timer": "customer_reply", "allowed_hours": 1})
		policy.append("route_timers", {"timer": "customer_reply", "allowed_hours": 2})
		with self.assertRaisesRegex(PolicyError, "repeats"):
			policy.save()

	def test_load_public_holidays(self):
		policy = frappe.get_doc("Complaint SLA Policy", POLICY)
		result = policy.load_public_holidays(2026, "CN")
		policy.reload()
		self.assertGreater(result["holidays"], 20)
		self.assertIn("2026-10-10", {str(row.date) for row in policy.make_up_days})
		days = set(frappe.get_all("Holiday", filters={"parent": policy.holiday_list}, pluck="holiday_date"))
		self.assertIn(frappe.utils.getdate("2026-10-01"), days)

	def test_policy_edit_retimes_open_complaints(self):
		complaint = self.complaint_at(sh(2026, 11, 27, 17, 0))  # memo dispatch due Monday 10:00
		policy = frappe.get_doc("Complaint SLA Policy", POLICY)
		next(row for row in policy.timers if row.timer == "memo_dispatch").allowed_hours = 4
		policy.save()
		complaint.reload()
		self.assertEqual(as_shanghai(complaint.timer_due_at), datetime(2026, 11, 30, 12, 0))
		self.assertEqual(as_shanghai(complaint.timer_started), datetime(2026, 11, 27, 17, 0))


class TestDefaultPolicies(FrappeTestCase):
	"""The deadlines of docs/procedure.md §8 are the installed defaults, and they run on real complaints."""

	def tearDown(self):
		frappe.set_user("Administrator")
		frappe.db.rollback()

	def timers(self, policy: str) -> dict:
		rows = frappe.get_doc("Complaint SLA Policy", policy).timers
		return {
			(r.document_type, r.workflow_state): (
				r.timer,
				r.allowed_hours,
				r.working_time,
				r.due_field,
				r.pauses,
			)
			for r in rows
		}

	def test_seed_numbers_are_installed(self):
		default = self.timers("Default")
		self.assertEqual(default[("Customer Complaint", "Registered")][:3], ("memo_dispatch", 2, 1))
		self.assertNotIn(
			("Customer Complaint", "In Handling"), default, "the director report is a route timer"
		)
		self.assertEqual(default[("Customer Complaint", "Approved")][:3], ("reply_after_approval", 1, 1))
		self.assertEqual(default[("Customer Complaint", "Replied to Customer")][4], 1)  # waiting: paused
		self.assertEqual(default[("Complaint Memo", "Draft")][:3], ("memo_dispatch", 2, 1))
		self.assertEqual(default[("Complaint Memo", "Dispatched")][3], "reply_by")
		for name in ("Default", "Policy / Customer Service", "Product Quality"):
			routed = {
				row.timer: (row.allowed_hours, row.working_time)
				for row in frappe.get_doc("Complaint SLA Policy", name).route_timers
			}
			self.assertEqual(routed, {"director_report": (7.5, 1), "customer_reply": (24, 0)}, name)
		self.assertEqual(
			self.timers("Product Quality")[("Customer Complaint", "In Handling")][:3], ("on_site", 3, 1)
		)
		target = frappe.get_doc("Complaint SLA Policy", "Default").targets[0]
		self.assertEqual(
			(target.first_response_hours, target.resolution_hours, target.resolution_working), (2, 360, 0)
		)
		self.assertTrue(target.first_response_escalation and target.resolution_escalation)
		field = frappe.get_doc("Complaint SLA Policy", "Field Service (in warranty)")
		self.assertEqual(
			(field.enabled, field.targets[0].first_response_hours, field.targets[0].resolution_hours),
			(0, 24, 48),
		)

	def test_product_quality_on_site_timer_on_the_policy_calendar(self):
		from complaint_handling.domain.calendar import add_working_time

		delivery = demo_delivery(0)
		clerk = make_user("sla.pq.clerk@example.com", ["Complaint Clerk"])
		policy = frappe.get_doc("Complaint SLA Policy", "Product Quality")
		cal = clocks.calendar_of(policy)
		complaint = make_complaint(
			customer=delivery.customer, category="Product Quality", serial_no=delivery.serial_no
		)
		self.assertEqual(complaint.sla_policy, "Product Quality")
		complaint.record_readback("Read back by phone")
		complaint = act(clerk, complaint, "Dispatch")
		self.assertEqual(complaint.sla_timer, "on_site")
		started = clocks.aware(complaint.timer_started)
		expected = add_working_time(cal, started, frappe.utils.datetime.timedelta(hours=3))
		self.assertEqual(
			clocks.aware(complaint.timer_due_at), expected.replace(microsecond=expected.microsecond)
		)
