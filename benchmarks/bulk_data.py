"""Bulk complaints for the benchmarks (P2): written in a few set-based INSERTs, named BENCH-… so that
`drop_bulk_complaints` removes exactly these. Test data only: never part of the app."""

from __future__ import annotations

import frappe


def make_bulk_complaints(
	open_count: int = 100_000, closed_count: int = 1_000_000, due_share: float = 0.005
) -> dict:
	"""Benchmark data: many complaints written with bulk inserts (no controllers), timers as the sweep sees them.

	`due_share` of the open complaints have a warning or escalation due now; the rest are due in the future.
	Names start with BENCH- so `drop_bulk_complaints` removes exactly these.
	"""
	from frappe.utils import add_to_date, now_datetime

	now = now_datetime()
	customer = frappe.db.get_value("Customer", {}, "name")
	category = frappe.db.get_value("Complaint Category", {}, "name")
	policy = frappe.db.get_value("Complaint SLA Policy", {"policy_name": "Default"}, "name")
	fields = [
		"name", "creation", "modified", "owner", "modified_by", "docstatus", "idx", "customer", "category",
		"subject", "channel", "severity", "received_on", "status", "workflow_state", "sla_policy", "sla_timer",
		"timer_started", "timer_warn_at", "timer_due_at", "timer_next_escalation", "timer_level", "timer_warned",
	]  # fmt: skip
	due_every = max(int(1 / due_share), 1) if due_share else 0

	def row(i: int, closed: bool) -> tuple:
		received = add_to_date(now, minutes=-(i % 50_000))
		if closed:
			timers = (None, None, None, None, None, 0, 1)
			state = ("Closed", "Closed", 1)
		else:
			late = due_every and i % due_every == 0
			due = add_to_date(now, minutes=-30 if late else 600 + i % 10_000)
			timers = (
				"memo_dispatch",
				add_to_date(due, hours=-2),
				add_to_date(due, minutes=-24),
				due,
				due,
				0,
				0,
			)
			state = ("Registered", "Registered", 0)
		return (
			f"BENCH-{'C' if closed else 'O'}-{i:07d}", received, received, "Administrator", "Administrator",
			state[2], 0, customer, category, f"Benchmark complaint {i}", "Phone", "General", received,
			state[0], state[1], policy, *timers,
		)  # fmt: skip

	for closed, count in ((False, open_count), (True, closed_count)):
		for start in range(0, count, 20_000):
			batch = range(start, min(start + 20_000, count))
			frappe.db.bulk_insert("Customer Complaint", fields, [row(i, closed) for i in batch])
			frappe.db.commit()
	make_bulk_clocks(open_count, closed_count, due_share)
	return {"open": open_count, "closed": closed_count}


def make_bulk_clocks(open_count: int, closed_count: int, due_share: float = 0.005) -> None:
	"""First-response and resolution clocks of the bulk complaints (see make_bulk_complaints).

	Open complaints: a `due_share` of them (not those whose state timer is due) has its first response
	warned and escalated now, the others were answered; every resolution falls due in the coming weeks.
	Closed complaints: both clocks stopped in time.
	"""
	from frappe.utils import add_to_date, now_datetime

	now = now_datetime()
	policy = frappe.db.get_value("Complaint SLA Policy", {"policy_name": "Default"}, "name")
	due_every = max(int(1 / due_share), 1) if due_share else 0
	fields = [
		"name", "creation", "modified", "owner", "modified_by", "complaint", "timer", "status", "policy",
		"severity", "started_at", "warn_at", "due_at", "stopped_at", "running", "warned", "level",
		"next_escalation",
	]  # fmt: skip

	def clocks(i: int, closed: bool) -> list[tuple]:
		name = f"BENCH-{'C' if closed else 'O'}-{i:07d}"
		received = add_to_date(now, minutes=-(i % 50_000))
		late = not closed and due_every and i % due_every == due_every // 2
		response_due = add_to_date(now, minutes=-30) if late else add_to_date(received, hours=2)
		resolution_due = (
			add_to_date(now, days=4, minutes=i % 10_000) if not closed else add_to_date(received, days=15)
		)
		rows = []
		for timer, due, allowed in (
			("first_response", response_due, {"hours": -2}),
			("resolution", resolution_due, {"days": -15}),
		):
			started = add_to_date(due, **allowed)
			warn = add_to_date(due, minutes=-24) if timer == "first_response" else add_to_date(due, days=-3)
			running = 0 if closed or (timer == "first_response" and not late) else 1
			stopped = None if running else min(add_to_date(started, minutes=30), now)
			rows.append(
				(
					f"{name}-{timer[:4]}", received, received, "Administrator", "Administrator", name, timer,
					"On Track" if running else "Met", policy, "General", started, warn, due, stopped, running,
					0, 0, due if running else None,
				)
			)  # fmt: skip
		return rows

	frappe.db.sql("delete from `tabComplaint SLA Clock` where complaint like 'BENCH-%%'")
	for closed, count in ((False, open_count), (True, closed_count)):
		for start in range(0, count, 20_000):
			batch = range(start, min(start + 20_000, count))
			frappe.db.bulk_insert(
				"Complaint SLA Clock", fields, [c for i in batch for c in clocks(i, closed)]
			)
			frappe.db.commit()


def drop_bulk_complaints() -> None:
	frappe.db.sql("delete from `tabComplaint SLA Clock` where complaint like 'BENCH-%%'")
	frappe.db.sql("delete from `tabCustomer Complaint` where name like 'BENCH-%%'")
	frappe.db.sql("delete from `tabComplaint SLA Breach` where reference_name like 'BENCH-%%'")
	frappe.db.commit()
