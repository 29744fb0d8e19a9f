"""Service levels (docs/procedure.md §8): the shell around domain/sla.py.

On every save a complaint or memo stores its current due instants (indexed columns); the sweep then finds
what is due with range queries only and escalates level by level. Timers belong to workflow states through
the SLA policy, so an administrator attaches a timer to a state they added without code.
"""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import frappe
from frappe import _
from frappe.utils import cint, flt, get_datetime, get_system_timezone, now_datetime, parse_addr, split_emails

from complaint_handling.domain.calendar import Calendar, WorkingWindow
from complaint_handling.domain.deadlines import (
	ROUTED_CLOCKS,
	answers_customer,
	clocks_wanted,
	progress_of,
	reaches_customer,
	stop_instant,
	stopped_status,
)
from complaint_handling.domain.inspection import on_site_due
from complaint_handling.domain.routing import FIRST_RESPONSE, ON_SITE, RESOLUTION, TIMERS
from complaint_handling.domain.sla import (
	BREACHED,
	ON_TRACK,
	PAUSED,
	WARNING,
	ComplaintScope,
	Deadline,
	PolicyScope,
	Timer,
	deadline,
	deadline_until,
	document_status,
	escalation_chain,
	escalation_level,
	escalation_party,
	next_escalation_at,
	overdue_by,
	pause_length,
	select_policy,
	timer_status,
	warn_fraction,
)
from complaint_handling.domain.statuses import REGISTERED, open_statuses
from complaint_handling.rows import insert_rows

COMPLAINT, MEMO, CLOCK = "Customer Complaint", "Complaint Memo", "Complaint SLA Clock"
CLOCK_FIELDS = (
	"name",
	"timer",
	"status",
	"policy",
	"severity",
	"started_at",
	"warn_at",
	"due_at",
	"stopped_at",
	"running",
	"warned",
	"level",
	"next_escalation",
)
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
TIMER_FIELDS = ("sla_timer", "timer_started", "timer_warn_at", "timer_due_at", "timer_next_escalation")


# Time zones: Frappe stores naive datetimes in the system time zone -------------------------------


def aware(value) -> datetime | None:
	if not value:
		return None
	return get_datetime(value).replace(tzinfo=ZoneInfo(get_system_timezone()))


def naive(value: datetime | None) -> datetime | None:
	return value.astimezone(ZoneInfo(get_system_timezone())).replace(tzinfo=None) if value else None


def now_aware(now=None) -> datetime:
	return aware(now or now_datetime())


# Policies and calendars ----------------------------------------------------------------------------

_calendars: dict[tuple, Calendar] = {}


def calendar_of(policy) -> Calendar:
	"""The policy's calendar; rebuilt only when the policy or its holiday list changes."""
	holiday_modified = (
		frappe.db.get_value("Holiday List", policy.holiday_list, "modified") if policy.holiday_list else None
	)
	key = (policy.name, str(policy.modified), str(holiday_modified))
	if key not in _calendars:
		holidays = (
			frappe.get_all("Holiday", filters={"parent": policy.holiday_list}, pluck="holiday_date")
			if policy.holiday_list
			else []
		)
		_calendars[key] = Calendar(
			windows=tuple(
				WorkingWindow(WEEKDAYS.index(row.weekday), get_time(row.start_time), get_time(row.end_time))
				for row in policy.working_windows
			),
			timezone=policy.time_zone or get_system_timezone(),
			holidays=frozenset(get_datetime(d).date() for d in holidays),
			extra_working_days=frozenset(get_datetime(row.date).date() for row in policy.make_up_days),
			make_up_weekday=WEEKDAYS.index(policy.make_up_weekday or "Monday"),
		)
	return _calendars[key]


def get_time(value):
	from frappe.utils import get_time as frappe_get_time

	return frappe_get_time(value).replace(microsecond=0)


POLICY_SCOPES = "complaint_handling:sla_policy_scopes"


def policy_scopes() -> list[PolicyScope]:
	"""The enabled policies' scopes; cached, cleared when any policy changes (ComplaintSLAPolicy)."""
	return frappe.cache.get_value(POLICY_SCOPES, load_policy_scopes)


def forget_policy_scopes() -> None:
	"""Cleared now, and again once the policy change is committed or undone."""
	frappe.cache.delete_value(POLICY_SCOPES)
	frappe.db.after_commit.add(lambda: frappe.cache.delete_value(POLICY_SCOPES))
	frappe.db.after_rollback.add(lambda: frappe.cache.delete_value(POLICY_SCOPES))


def load_policy_scopes() -> list[PolicyScope]:
	frappe.db.after_rollback.add(lambda: frappe.cache.delete_value(POLICY_SCOPES))
	rows = frappe.get_all(
		"Complaint SLA Policy",
		filters={"enabled": 1},
		fields=[
			"name",
			"category",
			"severity",
			"vip",
			"applies_to_customer_group as customer_group",
			"applies_to_territory as territory",
			"priority",
		],
	)
	return [
		PolicyScope(
			name=row.name,
			category=row.category,
			severity=row.severity,
			is_vip={"Yes": True, "No": False}.get(row.vip or ""),
			customer_group=row.customer_group,
			territory=row.territory,
			priority=cint(row.priority),
		)
		for row in rows
	]


def choose_policy(complaint) -> str | None:
	customer_group = (
		frappe.get_cached_value("Customer", complaint.customer, "customer_group")
		if complaint.customer
		else None
	)
	return select_policy(
		policy_scopes(),
		ComplaintScope(
			complaint.category,
			complaint.severity,
			bool(complaint.is_vip),
			customer_group,
			complaint.territory,
		),
	)


def timer_row(policy, doctype: str, state: str | None, doc=None):
	"""The policy's timer for the state; on a complaint, a timer the routing knows (memo dispatch, on
	site) runs only where the complaint's route lists it (domain/routing.py: Route.timers)."""
	row = next(
		(row for row in policy.timers if row.document_type == doctype and row.workflow_state == state), None
	)
	if row and doc is not None and doctype == COMPLAINT and row.timer in TIMERS:
		listed = route_timers(doc)
		if listed and row.timer not in listed:
			return None
		if row.timer == ON_SITE and doc.get("on_site_arrived_on"):
			return None  # the inspector arrived (Defect Inspection): the on-site timer has stopped
	return row


def state_of(doc) -> str | None:
	"""The document's workflow state; a new document is about to enter the workflow's first state."""
	if doc.get("workflow_state"):
		return doc.workflow_state
	from frappe.model.workflow import get_workflow_name

	name = get_workflow_name(doc.doctype)
	return frappe.get_cached_doc("Workflow", name).states[0].state if name else None


def hours(value) -> timedelta | None:
	"""A policy's hours as a duration; blank or zero = None (the caller's default applies)."""
	return timedelta(hours=flt(value)) if flt(value) > 0 else None


def timer_of(row) -> Timer:
	"""A state timer or route timer row of the policy as the domain's Timer."""
	return Timer(
		key=row.timer,
		allowed=hours(row.allowed_hours) or timedelta(hours=1),
		working_time=bool(row.working_time),
		warn_at=warn_fraction(flt(row.warn_at) or None),
		escalation=escalation_chain(row.escalation),
		escalate_every=hours(row.get("escalate_every")),
	)


def target_of(policy, severity: str | None):
	return next((row for row in policy.targets if row.severity == severity), None)


def clock_timers(policy, severity: str | None) -> dict[str, Timer]:
	"""Every complaint-wide deadline the policy configures: its targets for the severity and route timers."""
	timers = {}
	target = target_of(policy, severity)
	if target:
		for key, prefix in ((FIRST_RESPONSE, "first_response"), (RESOLUTION, "resolution")):
			timers[key] = Timer(
				key,
				hours(target.get(f"{prefix}_hours")) or timedelta(hours=1),
				bool(target.get(f"{prefix}_working")),
				warn_fraction(flt(target.warn_at) or None),
				escalation_chain(target.get(f"{prefix}_escalation")),
				hours(target.get(f"{prefix}_escalate_every")),
			)
	for row in policy.get("route_timers") or []:
		timers[row.timer] = timer_of(row)
	return timers


# On save -------------------------------------------------------------------------------------------


def apply(doc, now=None, complaint=None) -> None:
	"""Store the document's deadlines; called from validate of Customer Complaint and Complaint Memo
	(a memo passes the complaint it has already loaded). A complaint's clocks are written in on_update."""
	complaint = doc if doc.doctype == COMPLAINT else complaint or frappe.get_doc(COMPLAINT, doc.complaint)
	name = choose_policy(complaint)
	doc.sla_policy = name
	now = now_aware(now)
	if doc.doctype == COMPLAINT:
		record_formal_reply(doc, now)
	if not name:
		if doc.doctype == COMPLAINT:
			doc.flags.clock_plan = []
			doc.response_by = doc.resolution_by = None
		doc.sla_status = current_status(doc, now)
		return
	policy = frappe.get_cached_doc("Complaint SLA Policy", name)
	cal = calendar_of(policy)
	apply_state_timer(doc, policy, cal, now)
	if doc.doctype == COMPLAINT:
		plan_clocks(doc, policy, cal, now)
	doc.sla_status = current_status(doc, now)


def record_formal_reply(doc, now: datetime) -> None:
	"""Moving to Replied sends the approved decision to the customer: a reply that reaches them."""
	before = doc.get_doc_before_save()
	if answers_customer(before.status if before else None, doc.status):
		doc.last_replied_on = naive(now)
		doc.first_responded_on = doc.first_responded_on or naive(now)


def plan_clocks(doc, policy, cal: Calendar, now: datetime) -> None:
	"""The complaint's clocks as they should be now (docs/procedure.md §8); `sync_clocks` writes them.

	A clock keeps its start, warning and level while its deadline is unchanged; a changed deadline (new
	severity, pause ended, policy edited) warns and escalates afresh, never below a level already reached.
	"""
	existing = {} if doc.is_new() else {row.timer: row for row in stored_clocks(doc.name)}
	doc.flags.stored_clocks = existing  # sync_clocks writes against what was read here
	timers = clock_timers(policy, doc.severity)
	wanted = clocks_wanted(route_timers(doc), target_of(policy, doc.severity) is not None)
	progress = progress_of(doc.status, aware(doc.first_responded_on), aware(doc.last_replied_on), now)
	received = aware(doc.received_on) or now
	plan = []
	for key in (key for key in wanted if key in timers):
		timer, old = timers[key], existing.get(key)
		if key in ROUTED_CLOCKS:
			# a route escalated after registration starts its clocks then, not at receipt
			event = (
				aware(old.started_at) if old else received if doc.status in (None, "", REGISTERED) else now
			)
		else:
			event = received
		paused = timedelta(seconds=cint(doc.paused_seconds)) if key == RESOLUTION else timedelta(0)
		limits = deadline(cal, timer, event, paused)
		stopped = stop_instant(key, limits.started_at, progress, aware(old.stopped_at) if old else None)
		plan.append(clock_row(doc, key, timer, cal, limits, stopped, old, now))
	doc.flags.clock_plan = plan
	for key, field in ((FIRST_RESPONSE, "response_by"), (RESOLUTION, "resolution_by")):
		doc.set(field, next((row["due_at"] for row in plan if row["timer"] == key), None))


def clock_row(doc, key: str, timer: Timer, cal: Calendar, limits: Deadline, stopped, old, now) -> dict:
	due = naive(limits.due_at)
	row = {
		"timer": key,
		"policy": doc.sla_policy,
		"severity": doc.severity,
		"started_at": naive(limits.started_at),
		"warn_at": naive(limits.warn_at),
		"due_at": due,
		"stopped_at": naive(stopped),
		"level": cint(old.level) if old else 0,
		"warned": cint(old.warned) if old and old.due_at == due else 0,
	}
	if stopped:
		row.update(running=0, status=stopped_status(limits.due_at, stopped), next_escalation=None)
	elif key == RESOLUTION and doc.paused_since:
		row.update(running=0, status=PAUSED, next_escalation=None)
	else:
		level = row["level"]
		row.update(running=1, status=timer_status(limits.warn_at, limits.due_at, now))
		row["next_escalation"] = due if not level else naive(next_escalation_at(cal, timer, limits, level))
		if level and row["status"] != BREACHED:
			row["level"] = 0  # the deadline moved out: the chain starts again when it falls due
			row["next_escalation"] = due
	return row


def route_timers(doc) -> list[str]:
	"""The timer keys the routing chose for this complaint (stored by handling.apply_routing)."""
	return [key.strip() for key in (doc.route_timers or "").split(",") if key.strip()]


def stored_clocks(complaint: str) -> list:
	return frappe.get_all(CLOCK, filters={"complaint": complaint}, fields=list(CLOCK_FIELDS))


def sync_clocks(doc) -> None:
	"""on_update of the complaint: write the planned clocks, one statement per kind of change."""
	plan = doc.flags.pop("clock_plan", None)
	if plan is None:
		return
	existing = dict(doc.flags.pop("stored_clocks", None) or {})
	now, user = frappe.utils.now(), frappe.session.user
	inserts, updates = [], {}
	for row in plan:
		old = existing.pop(row["timer"], None)
		if old is None:
			inserts.append(row)
		elif any(str(old.get(field) or "") != str(value or "") for field, value in row.items()):
			updates[old.name] = row
	if inserts:
		fields = list(inserts[0])
		insert_rows(
			CLOCK,
			["name", "complaint", "creation", "modified", "owner", "modified_by", *fields],
			[
				(frappe.generate_hash(length=10), doc.name, now, now, user, user, *(row[f] for f in fields))
				for row in inserts
			],
		)
	if updates:
		frappe.db.bulk_update(CLOCK, updates, update_modified=False)
	if existing:
		frappe.db.delete(CLOCK, {"name": ("in", [row.name for row in existing.values()])})


def apply_state_timer(doc, policy, cal: Calendar, now: datetime) -> None:
	"""Entering a state starts its timer (if the policy attaches one) and pauses or resumes resolution."""
	before = doc.get_doc_before_save()
	state = state_of(doc)
	if before and before.workflow_state == state and doc.sla_timer:
		row = timer_row(policy, doc.doctype, state, doc)
		if row and row.due_field and doc.has_value_changed(row.due_field):
			start_timer(doc, row, cal, aware(doc.timer_started) or now)
		return
	if doc.paused_since:
		resolution = Timer("resolution", timedelta(hours=1), True)
		doc.paused_seconds = cint(doc.paused_seconds) + int(
			pause_length(cal, resolution, aware(doc.paused_since), now).total_seconds()
		)
		doc.paused_since = None
	row = timer_row(policy, doc.doctype, state, doc)
	# a complaint's first clock starts when it was received, not when it was typed in
	entered = aware(doc.received_on) if doc.is_new() and doc.get("received_on") else now
	if row and row.pauses:
		doc.paused_since = naive(entered)
	if row and (flt(row.allowed_hours) or (row.due_field and doc.get(row.due_field))):
		start_timer(doc, row, cal, entered)
	else:
		clear_timer(doc)


def clear_timer(doc) -> None:
	"""No state timer runs (a state without one, or the on-site visit made)."""
	for field in TIMER_FIELDS:
		doc.set(field, None)
	doc.timer_level = doc.timer_warned = 0


def start_timer(doc, row, cal: Calendar, now: datetime) -> None:
	if row.due_field:
		limits = deadline_until(now, aware(doc.get(row.due_field)), warn_fraction(flt(row.warn_at) or None))
	else:
		limits = deadline(cal, timer_of(row), now)
	if row.timer == ON_SITE:  # a visit time agreed with the customer replaces the default deadline
		due, agreed = on_site_due(limits.due_at, aware(doc.get("on_site_agreed_at")))
		if agreed:
			limits = deadline_until(limits.started_at, due, warn_fraction(flt(row.warn_at) or None))
	doc.sla_timer = row.timer
	doc.timer_started = naive(limits.started_at)
	doc.timer_warn_at = naive(limits.warn_at)
	doc.timer_due_at = naive(limits.due_at)
	doc.timer_next_escalation = naive(limits.due_at)
	doc.timer_level = 0
	doc.timer_warned = 0


def current_status(doc, now: datetime) -> str:
	"""The document's SLA status from its state timer and running clocks (domain/sla.py: document_status)."""
	running = []
	if doc.timer_due_at:
		running.append(timer_status(aware(doc.timer_warn_at), aware(doc.timer_due_at), now))
	plan = doc.flags.get("clock_plan")
	if plan is None and doc.doctype == COMPLAINT and not doc.is_new():
		plan = [  # not re-planned in this change: the stored clocks, as of now
			{"running": row.running, "status": timer_status(aware(row.warn_at), aware(row.due_at), now)}
			for row in stored_clocks(doc.name)
		]
	for row in plan or []:
		if row["running"]:
			running.append(row["status"])
	return document_status(running, paused=bool(doc.paused_since))


# The sweep -----------------------------------------------------------------------------------------

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
			from complaint_handling.integrations.erpnext.people import users_with_role

			self.role_users[party] = users_with_role(party)
		return self.role_users[party]

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
				"complaint_handling.service_level.send_notices",
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


def sweep(now=None) -> dict:
	"""Scheduled every few minutes: warnings, then breaches level by level, for the state timers of
	complaints and memos and every complaint clock. Idempotent and set-based."""
	run = Sweep(get_datetime(now or now_datetime()))
	result = {"warned": 0, "escalations": 0}
	for doctype in (COMPLAINT, MEMO):
		result["warned"] += warn_state_timers(run, doctype)
		result["escalations"] += escalate_state_timers(run, doctype)
	result["warned"] += warn_clocks(run)
	result["escalations"] += escalate_clocks(run)
	run.flush()
	frappe.db.commit()
	from complaint_handling.intake import retry_follow_ups

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
	fields = dict.fromkeys(["sla_timer", "timer_due_at", *PARTY_FIELDS[doctype].values()])
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
	fields = dict.fromkeys([*fields, "timer_level", *PARTY_FIELDS[doctype].values()])
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


# Policy edits --------------------------------------------------------------------------------------


def retime_open_documents(policy: str) -> int:
	"""Background job after a policy edit: open documents of that policy get their deadlines again.

	A running timer keeps its start and level; only its limits follow the new configuration.
	"""
	retimed = 0
	now = now_aware()
	for doctype in (COMPLAINT, MEMO):
		filters = {"docstatus": 0, "sla_policy": policy, "status": ("in", open_statuses(doctype))}
		for name in frappe.get_all(doctype, filters=filters, pluck="name"):
			doc = frappe.get_doc(doctype, name)
			retime(doc, now)
			doc.db_update()
			if doc.doctype == COMPLAINT:
				sync_clocks(doc)
			retimed += 1
	return retimed  # the job runner commits


def retime(doc, now: datetime) -> None:
	complaint = doc if doc.doctype == COMPLAINT else frappe.get_doc(COMPLAINT, doc.complaint)
	doc.sla_policy = choose_policy(complaint)
	if not doc.sla_policy:
		return
	policy = frappe.get_cached_doc("Complaint SLA Policy", doc.sla_policy)
	cal = calendar_of(policy)
	row = timer_row(policy, doc.doctype, state_of(doc), doc)
	level, next_escalation = cint(doc.timer_level), doc.timer_next_escalation
	if row and not row.pauses and (flt(row.allowed_hours) or (row.due_field and doc.get(row.due_field))):
		start_timer(doc, row, cal, aware(doc.timer_started) or now)
		if level:
			doc.timer_level, doc.timer_next_escalation, doc.timer_warned = level, next_escalation, 1
	if doc.doctype == COMPLAINT:
		plan_clocks(doc, policy, cal, now)
	doc.sla_status = current_status(doc, now)


# The on-site visit ---------------------------------------------------------------------------------


def apply_visit(complaint: str, arrived_at=None, agreed_at=None) -> None:
	"""From the Defect Inspection (docs/procedure.md §5, §8): arrival stops the complaint's on-site timer;
	a time agreed with the customer replaces its deadline. Written without saving the complaint."""
	doc = frappe.get_doc(COMPLAINT, complaint)
	values = {
		"on_site_arrived_on": get_datetime(arrived_at) if arrived_at else None,
		"on_site_agreed_at": get_datetime(agreed_at) if agreed_at else None,
	}
	if all(str(doc.get(f) or "") == str(v or "") for f, v in values.items()):
		return
	doc.update(values)
	now = now_aware()
	if doc.sla_timer == ON_SITE and doc.sla_policy:
		policy = frappe.get_cached_doc("Complaint SLA Policy", doc.sla_policy)
		row = timer_row(policy, COMPLAINT, state_of(doc), doc)
		if row is None:
			clear_timer(doc)
		else:
			start_timer(doc, row, calendar_of(policy), aware(doc.timer_started) or now)
	fields = [*values, *TIMER_FIELDS, "timer_level", "timer_warned"]
	values = {field: doc.get(field) for field in fields}
	values["sla_status"] = current_status(doc, now)
	frappe.db.set_value(COMPLAINT, complaint, values, update_modified=False)


# Replies to the customer ---------------------------------------------------------------------------


def on_communication(comm, method: str | None = None) -> None:
	"""Communication after_insert: a reply that reached the customer stops first response and the 24 h
	customer reply (domain/deadlines.py: reaches_customer) without saving the complaint as the sender."""
	if comm.reference_doctype != COMPLAINT or not comm.reference_name or comm.sent_or_received != "Sent":
		return
	# the acknowledgement goes out while the complaint is inserted: stamp the document being saved
	inserting = frappe.flags.get("complaint_in_insert")
	if inserting is not None and inserting.name == comm.reference_name:
		complaint = inserting
	else:
		complaint = frappe.get_doc(COMPLAINT, comm.reference_name)
	recipients = [
		parse_addr(address)[1]
		for field in ("recipients", "cc")
		for address in split_emails(comm.get(field) or "")
	]
	automated = bool(frappe.db.get_single_value("Complaint Settings", "acknowledgement_counts_as_response"))
	if not reaches_customer(
		comm.sent_or_received,
		comm.communication_type,
		comm.communication_medium,
		recipients,
		customer_addresses(complaint),
		automated,
	):
		return
	record_reply(complaint, aware(comm.communication_date) or now_aware())


def customer_addresses(complaint) -> list[str]:
	"""Where a reply reaches the complainant: the complaint's e-mail and its contact's addresses."""
	addresses = [complaint.complainant_email] if complaint.complainant_email else []
	if complaint.get("contact"):
		addresses += frappe.get_all(
			"Contact Email", filters={"parent": complaint.contact, "parenttype": "Contact"}, pluck="email_id"
		)
	return addresses


def record_reply(complaint, at: datetime) -> None:
	"""Stamp the reply and bring the clocks and SLA status up to date, without a full save."""
	values = {"last_replied_on": naive(at)}
	if not complaint.first_responded_on:
		values["first_responded_on"] = naive(at)
	complaint.update(values)
	if complaint.sla_policy:
		policy = frappe.get_cached_doc("Complaint SLA Policy", complaint.sla_policy)
		plan_clocks(complaint, policy, calendar_of(policy), now_aware())
		values["sla_status"] = current_status(complaint, now_aware())
		values.update(response_by=complaint.response_by, resolution_by=complaint.resolution_by)
	complaint.db_set(values, update_modified=False)
	sync_clocks(complaint)
