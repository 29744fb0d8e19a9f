"""The sweep (docs/procedure.md §8), every five minutes: what is due is found with range queries on indexed
columns, warned once and escalated level by level; set-based and safe when two sweeps run at once.
"""

from contextlib import contextmanager
from datetime import datetime

import frappe
from frappe import _
from frappe.utils import cint, get_datetime, now_datetime

from complaint_handling.domain.calendar import Calendar
from complaint_handling.domain.service_levels import (
	BREACHED,
	ON_TRACK,
	WARNING,
	Deadline,
	Timer,
	escalation_level,
	escalation_party,
	next_escalation_at,
	overdue_by,
)
from complaint_handling.intake.registration import retry_follow_ups
from complaint_handling.integrations.erpnext.companies import of_company
from complaint_handling.integrations.erpnext.people import users_with_role
from complaint_handling.service_levels.calendars import aware, calendar_of, naive
from complaint_handling.service_levels.clocks import CLOCK_FIELDS
from complaint_handling.service_levels.policies import (
	CLOCK,
	COMPLAINT,
	MEMO,
	clock_timers,
	timer_of,
	timer_row,
)

PARTY_FIELDS = {
	COMPLAINT: {
		"Handler": "handler",
		"Region Manager": "region_manager",
		"Superior": "pending_approver_user",
	},
	MEMO: {"Addressee": "addressee", "Department Head": "department_head", "Handler": "addressee"},
}


CLEAR_STATUSES = (None, "", ON_TRACK)  # a document in one of these may be raised to Warning


class Sweep:
	"""One run of the sweep: it decides per row, then writes breach records, notices and levels in bulk."""

	def __init__(self, now: datetime) -> None:
		self.now, self.at = now, aware(now)
		self.breaches: list[tuple] = []
		self.notices: list[dict] = []
		self.role_users: dict[str, list[str]] = {}
		self.configs: dict[tuple, dict[str, Timer]] = {}
		self.calendars: dict[str, Calendar] = {}

	def calendar(self, policy) -> Calendar:
		"""The policy's calendar, looked up once per run (calendar_of checks its holiday list each call)."""
		if policy.name not in self.calendars:
			self.calendars[policy.name] = calendar_of(policy)
		return self.calendars[policy.name]

	def users_for(self, doctype: str, row, party: str | None) -> list[str]:
		"""A party named on the document (its field), else everyone holding a role of that name."""
		if not party:
			return []
		field = PARTY_FIELDS[doctype].get(party)
		if field:
			return [row.get(field)] if row.get(field) else []
		if party not in self.role_users:
			self.role_users[party] = users_with_role(party)
		return of_company(self.role_users[party], row.get("company"))  # never another company's staff

	def clock_timer(self, policy: str | None, severity: str | None, key: str) -> Timer | None:
		if not policy:
			return None
		if (policy, severity) not in self.configs:
			exists = frappe.db.exists("Complaint SLA Policy", policy)
			doc = frappe.get_cached_doc("Complaint SLA Policy", policy) if exists else None
			self.configs[(policy, severity)] = clock_timers(doc, severity) if doc else {}
		return self.configs[(policy, severity)].get(key)

	def notice(self, users: list[str | None], doctype: str, name: str, subject: str) -> None:
		users = sorted({user for user in users if user})
		if users:
			self.notices.append({"users": users, "doctype": doctype, "name": name, "subject": subject})

	def escalate(self, doctype: str, row, timer: Timer, cal: Calendar, limits: Deadline, level_before: int):
		"""Breach records and notices for every level reached since the last run; the new level and the
		instant of the next one."""
		level = escalation_level(cal, timer, limits, self.at)
		overdue = int(overdue_by(cal, timer, limits, self.at).total_seconds() // 60)
		for reached in range(level_before + 1, level + 1):
			party = escalation_party(timer, reached)
			users = self.users_for(doctype, row, party)
			self.breaches.append(
				(
					doctype,
					row.reference,
					timer.key,
					reached,
					party,
					", ".join(users),
					naive(limits.due_at),
					overdue,
				)
			)
			self.notice(
				users,
				doctype,
				row.reference,
				_("{0} {1} is overdue: timer {2}, level {3}").format(
					_(doctype), row.reference, timer.key, reached
				),
			)
		return level, naive(next_escalation_at(cal, timer, limits, level))

	def flush(self) -> None:
		if self.breaches:
			now, user = frappe.utils.now(), frappe.session.user
			frappe.db.bulk_insert(
				"Complaint SLA Breach",
				[
					"name",
					"creation",
					"modified",
					"owner",
					"modified_by",
					"reference_doctype",
					"reference_name",
					"timer",
					"level",
					"party",
					"notified",
					"due_at",
					"overdue_minutes",
					"recorded_at",
				],
				[
					(frappe.generate_hash(length=10), now, now, user, user, *b, self.now)
					for b in self.breaches
				],
			)
		if self.notices:
			frappe.enqueue(
				"complaint_handling.service_levels.sweep.send_notices",
				notices=self.notices,
				enqueue_after_commit=True,
				now=bool(frappe.flags.in_test),
			)


def send_notices(notices: list[dict]) -> None:
	"""Background job: the sweep's notices as desk notifications (bell and e-mail per user settings)."""
	from frappe.desk.doctype.notification_log.notification_log import make_notification_logs

	for notice in notices:
		doc = frappe._dict(
			type="Alert",
			document_type=notice["doctype"],
			document_name=notice["name"],
			subject=notice["subject"],
			from_user="Administrator",
		)
		make_notification_logs(doc, notice["users"])


SWEEP_LOCK_WAIT_SECONDS = 120


@contextmanager
def one_sweep_at_a_time(wait_seconds: int = SWEEP_LOCK_WAIT_SECONDS):
	"""A database-wide named lock (MariaDB `GET_LOCK`), so that sweeps started together — the scheduler's and
	a manual run, or schedulers of several hosts on one database — run one after the other. Yields False when
	the lock could not be had in time (the running sweep does the work).

	The lock is the connection's, not the transaction's: it outlives the commit that follows, which ends a
	transaction that has written nothing yet, so that this sweep reads what the one before it committed
	(repeatable read keeps the view of a transaction's first read)."""
	name = f"{frappe.conf.db_name}:complaint_handling.sweep"[:64]
	got = frappe.db.sql("select get_lock(%s, %s)", (name, wait_seconds))[0][0]
	if not got:
		yield False
		return
	try:
		if not frappe.db.transaction_writes:
			frappe.db.commit()  # nosemgrep: ends a read-only transaction; nothing is written by it
		yield True
	finally:
		frappe.db.sql("select release_lock(%s)", name)


def sweep(now=None) -> dict:
	"""Scheduled every few minutes: warnings, then breaches level by level, for the state timers of
	complaints and memos and every complaint clock. Idempotent and set-based; one at a time per database."""
	with one_sweep_at_a_time() as mine:
		if not mine:
			return {"warned": 0, "escalations": 0, "skipped": 1}
		return sweep_now(now)


def sweep_now(now=None) -> dict:
	"""The sweep itself; callers hold `one_sweep_at_a_time`."""
	run = Sweep(get_datetime(now or now_datetime()))
	result = {"warned": 0, "escalations": 0}
	for doctype in (COMPLAINT, MEMO):
		result["warned"] += warn_state_timers(run, doctype)
		result["escalations"] += escalate_state_timers(run, doctype)
	result["warned"] += warn_clocks(run)
	result["escalations"] += escalate_clocks(run)
	run.flush()
	frappe.db.commit()

	retry_follow_ups()  # registrations whose background follow-up failed
	return result


def due_rows(doctype: str, fields, *conditions) -> list:
	"""Open, running state timers matching a range condition on an indexed column.

	Query builder, not get_all: get_all wraps nullable columns in ifnull(), which defeats the index.
	"""
	table = frappe.qb.DocType(doctype)
	query = frappe.qb.from_(table).select(table.name.as_("reference"), *(table[field] for field in fields))
	for condition in (table.docstatus == 0, table.paused_since.isnull(), *conditions):
		query = query.where(condition)
	return query.run(as_dict=True)


def raise_to_warning(doctype: str, names: list[str], *conditions) -> None:
	if not names:
		return
	table = frappe.qb.DocType(doctype)
	query = frappe.qb.update(table).set(table.sla_status, WARNING).where(table.name.isin(names))
	for condition in (table.sla_status.isnull() | table.sla_status.isin(CLEAR_STATUSES[1:]), *conditions):
		query = query.where(condition)
	query.run()


def mark_breached(doctype: str, names: list[str]) -> None:
	if names:
		table = frappe.qb.DocType(doctype)
		frappe.qb.update(table).set(table.sla_status, BREACHED).where(table.name.isin(names)).run()


def warn_state_timers(run: Sweep, doctype: str) -> int:
	table = frappe.qb.DocType(doctype)
	fields = dict.fromkeys(["sla_timer", "timer_due_at", "company", *PARTY_FIELDS[doctype].values()])
	rows = due_rows(doctype, fields, table.timer_warn_at <= run.now, table.timer_warned == 0)
	if not rows:
		return 0
	for row in rows:
		run.notice(
			[row.get(PARTY_FIELDS[doctype]["Handler"])],
			doctype,
			row.reference,
			_("{0} {1}: timer {2} is due at {3}").format(
				_(doctype), row.reference, row.sla_timer, row.timer_due_at
			),
		)
	names = [row.reference for row in rows]
	raise_to_warning(doctype, names, table.timer_due_at > run.now)
	frappe.qb.update(table).set(table.timer_warned, 1).where(table.name.isin(names)).run()
	return len(rows)


def escalate_state_timers(run: Sweep, doctype: str) -> int:
	table = frappe.qb.DocType(doctype)
	fields = ["sla_policy", "sla_timer", "workflow_state", "timer_started", "timer_warn_at", "timer_due_at"]
	fields = dict.fromkeys([*fields, "timer_level", "company", *PARTY_FIELDS[doctype].values()])
	rows = due_rows(doctype, fields, table.timer_next_escalation <= run.now)
	count, updates = 0, {}
	for row in rows:
		policy = frappe.get_cached_doc("Complaint SLA Policy", row.sla_policy) if row.sla_policy else None
		config = timer_row(policy, doctype, row.workflow_state) if policy else None
		if not config or config.timer != row.sla_timer:
			updates[row.reference] = {"timer_next_escalation": None}
			continue
		cal = run.calendar(policy)
		limits = Deadline(aware(row.timer_started), aware(row.timer_warn_at), aware(row.timer_due_at))
		level, next_at = run.escalate(doctype, row, timer_of(config), cal, limits, cint(row.timer_level))
		updates[row.reference] = {"timer_level": level, "timer_next_escalation": next_at}
		count += max(level - cint(row.timer_level), 0)
	frappe.db.bulk_update(doctype, updates, update_modified=False, chunk_size=500)
	mark_breached(doctype, [name for name, values in updates.items() if "timer_level" in values])
	return count


def clock_query(*conditions):
	clock, complaint = frappe.qb.DocType(CLOCK), frappe.qb.DocType(COMPLAINT)
	query = (
		frappe.qb.from_(clock)
		.join(complaint)
		.on(complaint.name == clock.complaint)
		.select(
			clock.name,
			clock.complaint.as_("reference"),
			clock.company,
			*(clock[field] for field in CLOCK_FIELDS if field != "name"),
			*(complaint[field] for field in PARTY_FIELDS[COMPLAINT].values()),
		)
		.where(clock.running == 1)
	)
	for condition in conditions:
		query = query.where(condition)
	return query.run(as_dict=True)


def warn_clocks(run: Sweep) -> int:
	"""Clocks past their warning: the first party of the chain (else the handler) is told once."""
	clock = frappe.qb.DocType(CLOCK)
	rows = clock_query(clock.warned == 0, clock.warn_at <= run.now)
	if not rows:
		return 0
	for row in rows:
		timer = run.clock_timer(row.policy, row.severity, row.timer)
		first = escalation_party(timer, 1) if timer else None
		run.notice(
			run.users_for(COMPLAINT, row, first) or [row.handler],
			COMPLAINT,
			row.reference,
			_("{0} {1}: timer {2} is due at {3}").format(_(COMPLAINT), row.reference, row.timer, row.due_at),
		)
	names = [row.name for row in rows]
	frappe.qb.update(clock).set(clock.status, WARNING).where(clock.name.isin(names)).where(
		clock.due_at > run.now
	).run()
	frappe.qb.update(clock).set(clock.warned, 1).where(clock.name.isin(names)).run()
	raise_to_warning(COMPLAINT, sorted({row.reference for row in rows if row.due_at > run.now}))
	return len(rows)


def escalate_clocks(run: Sweep) -> int:
	clock = frappe.qb.DocType(CLOCK)
	rows = clock_query(clock.next_escalation <= run.now)
	count, updates = 0, {}
	for row in rows:
		timer = run.clock_timer(row.policy, row.severity, row.timer)
		if not timer:
			updates[row.name] = {"next_escalation": None}
			continue
		cal = run.calendar(frappe.get_cached_doc("Complaint SLA Policy", row.policy))
		limits = Deadline(aware(row.started_at), aware(row.warn_at), aware(row.due_at))
		level, next_at = run.escalate(COMPLAINT, row, timer, cal, limits, cint(row.level))
		updates[row.name] = {"level": level, "next_escalation": next_at, "status": BREACHED}
		count += max(level - cint(row.level), 0)
	frappe.db.bulk_update(CLOCK, updates, update_modified=False, chunk_size=500)
	mark_breached(COMPLAINT, sorted({row.reference for row in rows if "level" in updates[row.name]}))
	return count
