"""Service levels (docs/procedure.md §8): the shell around domain/sla.py.

On every save a complaint or memo stores its current due instants (indexed columns); the sweep then finds
what is due with range queries only and escalates level by level. Timers belong to workflow states through
the SLA policy, so an administrator attaches a timer to a state they added without code.
"""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import frappe
from frappe import _
from frappe.utils import cint, flt, get_datetime, get_system_timezone, now_datetime

from complaint_handling.domain.calendar import Calendar, WorkingWindow
from complaint_handling.domain.sla import (
	ComplaintScope,
	Deadline,
	PolicyScope,
	Timer,
	deadline,
	escalation_at,
	escalation_level,
	escalation_party,
	overdue_by,
	pause_length,
	select_policy,
)

COMPLAINT, MEMO = "Customer Complaint", "Complaint Memo"
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


def policy_scopes() -> list[PolicyScope]:
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
		frappe.db.get_value("Customer", complaint.customer, "customer_group") if complaint.customer else None
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


def timer_row(policy, doctype: str, state: str | None):
	return next(
		(row for row in policy.timers if row.document_type == doctype and row.workflow_state == state), None
	)


def state_of(doc) -> str | None:
	"""The document's workflow state; a new document is about to enter the workflow's first state."""
	if doc.get("workflow_state"):
		return doc.workflow_state
	from frappe.model.workflow import get_workflow_name

	name = get_workflow_name(doc.doctype)
	return frappe.get_cached_doc("Workflow", name).states[0].state if name else None


def timer_of(row) -> Timer:
	return Timer(
		key=row.timer,
		allowed=timedelta(hours=flt(row.allowed_hours) or 1),
		working_time=bool(row.working_time),
		warn_at=min(max(flt(row.warn_at) / 100, 0.01), 1) if row.warn_at else 0.8,
		escalation=tuple(p.strip() for p in (row.escalation or "").split(",") if p.strip()),
	)


# On save -------------------------------------------------------------------------------------------


def apply(doc, now=None, complaint=None) -> None:
	"""Store the document's deadlines; called from validate of Customer Complaint and Complaint Memo
	(a memo passes the complaint it has already loaded)."""
	complaint = doc if doc.doctype == COMPLAINT else complaint or frappe.get_doc(COMPLAINT, doc.complaint)
	name = choose_policy(complaint)
	doc.sla_policy = name
	if not name:
		return
	policy = frappe.get_cached_doc("Complaint SLA Policy", name)
	cal = calendar_of(policy)
	now = now_aware(now)
	apply_state_timer(doc, policy, cal, now)
	if doc.doctype == COMPLAINT:
		apply_targets(doc, policy, cal, now)
	doc.sla_status = current_status(doc, now)


def apply_targets(doc, policy, cal: Calendar, now: datetime) -> None:
	"""First response and resolution by severity; paused time pushes the resolution back."""
	target = next((row for row in policy.targets if row.severity == doc.severity), None)
	if not target:
		doc.response_by = doc.resolution_by = None
		return
	received = aware(doc.received_on) or now
	response = Timer(
		"first_response",
		timedelta(hours=flt(target.first_response_hours) or 1),
		bool(target.first_response_working),
	)
	resolution = Timer(
		"resolution", timedelta(hours=flt(target.resolution_hours) or 1), bool(target.resolution_working)
	)
	doc.response_by = naive(deadline(cal, response, received).due_at)
	doc.resolution_by = naive(
		deadline(cal, resolution, received, timedelta(seconds=cint(doc.paused_seconds))).due_at
	)
	if not doc.first_responded_on and doc.status not in (None, "", "Registered"):
		doc.first_responded_on = naive(now)


def apply_state_timer(doc, policy, cal: Calendar, now: datetime) -> None:
	"""Entering a state starts its timer (if the policy attaches one) and pauses or resumes resolution."""
	before = doc.get_doc_before_save()
	state = state_of(doc)
	if before and before.workflow_state == state and doc.sla_timer:
		row = timer_row(policy, doc.doctype, state)
		if row and row.due_field and doc.has_value_changed(row.due_field):
			start_timer(doc, row, cal, aware(doc.timer_started) or now)
		return
	if doc.paused_since:
		resolution = Timer("resolution", timedelta(hours=1), True)
		doc.paused_seconds = cint(doc.paused_seconds) + int(
			pause_length(cal, resolution, aware(doc.paused_since), now).total_seconds()
		)
		doc.paused_since = None
	row = timer_row(policy, doc.doctype, state)
	# a complaint's first clock starts when it was received, not when it was typed in
	entered = aware(doc.received_on) if doc.is_new() and doc.get("received_on") else now
	if row and row.pauses:
		doc.paused_since = naive(entered)
	if row and (flt(row.allowed_hours) or (row.due_field and doc.get(row.due_field))):
		start_timer(doc, row, cal, entered)
	else:
		for field in TIMER_FIELDS:
			doc.set(field, None)
		doc.timer_level = doc.timer_warned = 0


def start_timer(doc, row, cal: Calendar, now: datetime) -> None:
	if row.due_field:
		due = aware(doc.get(row.due_field))
		warn = now + (due - now) * (flt(row.warn_at or 80) / 100) if due > now else due
		limits = Deadline(started_at=now, warn_at=min(warn, due), due_at=due)
	else:
		limits = deadline(cal, timer_of(row), now)
	doc.sla_timer = row.timer
	doc.timer_started = naive(limits.started_at)
	doc.timer_warn_at = naive(limits.warn_at)
	doc.timer_due_at = naive(limits.due_at)
	doc.timer_next_escalation = naive(limits.due_at)
	doc.timer_level = 0
	doc.timer_warned = 0


def current_status(doc, now: datetime) -> str:
	if doc.paused_since:
		return "Paused"
	due_dates = [aware(doc.get(f)) for f in ("timer_due_at", "resolution_by") if doc.get(f)]
	if doc.doctype == COMPLAINT and doc.response_by and not doc.first_responded_on:
		due_dates.append(aware(doc.response_by))
	if any(now >= due for due in due_dates):
		return "Breached"
	if doc.timer_warn_at and now >= aware(doc.timer_warn_at):
		return "Warning"
	return "On Track"


# The sweep -----------------------------------------------------------------------------------------

PARTY_FIELDS = {
	COMPLAINT: {
		"Handler": "handler",
		"Region Manager": "region_manager",
		"Superior": "pending_approver_user",
	},
	MEMO: {"Addressee": "addressee", "Department Head": "department_head", "Handler": "addressee"},
}


def users_for(doctype: str, row, party: str | None) -> list[str]:
	"""A party named on the document (its field), else everyone holding a role of that name."""
	if not party:
		return []
	field = PARTY_FIELDS[doctype].get(party)
	if field:
		return [row.get(field)] if row.get(field) else []
	return frappe.get_all(
		"Has Role",
		filters={"role": party, "parenttype": "User", "parent": ("not in", ["Administrator"])},
		pluck="parent",
	)


def due_rows(doctype: str, fields, *conditions) -> list:
	"""Open, running timers matching a range condition on an indexed column.

	Query builder, not get_all: get_all wraps nullable columns in ifnull(), which defeats the index.
	"""
	table = frappe.qb.DocType(doctype)
	query = frappe.qb.from_(table).select(*(table[field] for field in fields))
	for condition in (table.docstatus == 0, table.paused_since.isnull(), *conditions):
		query = query.where(condition)
	return query.run(as_dict=True)


def sweep(now=None) -> dict:
	"""Scheduled every few minutes: warnings, then breaches level by level. Idempotent and set-based."""
	now_naive = get_datetime(now or now_datetime())
	result = {"warned": 0, "escalations": 0}
	for doctype in (COMPLAINT, MEMO):
		result["warned"] += send_warnings(doctype, now_naive)
		result["escalations"] += escalate(doctype, now_naive)
	frappe.db.commit()
	return result


def send_warnings(doctype: str, now: datetime) -> int:
	table = frappe.qb.DocType(doctype)
	fields = dict.fromkeys(["name", "sla_timer", "timer_due_at", *PARTY_FIELDS[doctype].values()])
	rows = due_rows(doctype, fields, table.timer_warn_at <= now, table.timer_warned == 0)
	if not rows:
		return 0
	for row in rows:
		first = PARTY_FIELDS[doctype]["Handler"]
		notify(
			[row.get(first)],
			doctype,
			row.name,
			_("{0} {1}: timer {2} is due at {3}").format(
				_(doctype), row.name, row.sla_timer, row.timer_due_at
			),
		)
	frappe.qb.update(table).set(table.timer_warned, 1).set(table.sla_status, "Warning").where(
		table.name.isin([row.name for row in rows])
	).where(table.timer_due_at > now).run()
	frappe.qb.update(table).set(table.timer_warned, 1).where(
		table.name.isin([row.name for row in rows])
	).run()
	return len(rows)


def escalate(doctype: str, now: datetime) -> int:
	table = frappe.qb.DocType(doctype)
	fields = [
		"name",
		"sla_policy",
		"sla_timer",
		"workflow_state",
		"timer_started",
		"timer_warn_at",
		"timer_due_at",
	]
	fields = dict.fromkeys([*fields, "timer_level", *PARTY_FIELDS[doctype].values()])
	rows = due_rows(doctype, fields, table.timer_next_escalation <= now)
	count = 0
	for row in rows:
		count += escalate_one(doctype, row, now)
	return count


def escalate_one(doctype: str, row, now: datetime) -> int:
	policy = frappe.get_cached_doc("Complaint SLA Policy", row.sla_policy) if row.sla_policy else None
	config = timer_row(policy, doctype, row.workflow_state) if policy else None
	if not config or config.timer != row.sla_timer:
		frappe.db.set_value(doctype, row.name, "timer_next_escalation", None, update_modified=False)
		return 0
	cal, timer = calendar_of(policy), timer_of(config)
	limits = Deadline(aware(row.timer_started), aware(row.timer_warn_at), aware(row.timer_due_at))
	at = aware(now)
	level = escalation_level(cal, timer, limits, at)
	for reached in range(cint(row.timer_level) + 1, level + 1):
		party = escalation_party(timer, reached)
		users = users_for(doctype, row, party)
		frappe.get_doc(
			{
				"doctype": "Complaint SLA Breach",
				"reference_doctype": doctype,
				"reference_name": row.name,
				"timer": row.sla_timer,
				"level": reached,
				"party": party,
				"notified": ", ".join(users),
				"due_at": row.timer_due_at,
				"recorded_at": now,
				"overdue_minutes": int(overdue_by(cal, timer, limits, at).total_seconds() // 60),
			}
		).insert(ignore_permissions=True)
		notify(
			users,
			doctype,
			row.name,
			_("{0} {1} is overdue: timer {2}, level {3}").format(
				_(doctype), row.name, row.sla_timer, reached
			),
		)
	chain = max(len(timer.escalation), 1)
	next_at = naive(escalation_at(cal, timer, limits, level + 1)) if level < chain else None
	frappe.db.set_value(
		doctype,
		row.name,
		{"timer_level": level, "timer_next_escalation": next_at, "sla_status": "Breached"},
		update_modified=False,
	)
	return max(level - cint(row.timer_level), 0)


def notify(users: list[str | None], doctype: str, name: str, subject: str) -> None:
	from frappe.desk.doctype.notification_log.notification_log import enqueue_create_notification

	users = [user for user in users if user]
	if users:
		enqueue_create_notification(
			users,
			{
				"type": "Alert",
				"document_type": doctype,
				"document_name": name,
				"subject": subject,
				"from_user": "Administrator",
			},
		)


# Policy edits --------------------------------------------------------------------------------------


def retime_open_documents(policy: str) -> int:
	"""Background job after a policy edit: open documents of that policy get their deadlines again.

	A running timer keeps its start and level; only its limits follow the new configuration.
	"""
	retimed = 0
	now = now_aware()
	for doctype in (COMPLAINT, MEMO):
		for name in frappe.get_all(doctype, filters={"docstatus": 0, "sla_policy": policy}, pluck="name"):
			doc = frappe.get_doc(doctype, name)
			retime(doc, now)
			doc.db_update()
			retimed += 1
	return retimed  # the job runner commits


def retime(doc, now: datetime) -> None:
	complaint = doc if doc.doctype == COMPLAINT else frappe.get_doc(COMPLAINT, doc.complaint)
	doc.sla_policy = choose_policy(complaint)
	if not doc.sla_policy:
		return
	policy = frappe.get_cached_doc("Complaint SLA Policy", doc.sla_policy)
	cal = calendar_of(policy)
	row = timer_row(policy, doc.doctype, state_of(doc))
	level, next_escalation = cint(doc.timer_level), doc.timer_next_escalation
	if row and not row.pauses and (flt(row.allowed_hours) or (row.due_field and doc.get(row.due_field))):
		start_timer(doc, row, cal, aware(doc.timer_started) or now)
		if level:
			doc.timer_level, doc.timer_next_escalation, doc.timer_warned = level, next_escalation, 1
	if doc.doctype == COMPLAINT:
		apply_targets(doc, policy, cal, now)
	doc.sla_status = current_status(doc, now)
