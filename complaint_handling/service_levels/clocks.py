"""A complaint's clocks (docs/procedure.md §8), on every save: the shell around domain/service_levels.py and
domain/deadlines.py.

On every save a complaint or memo stores its current due instants (indexed columns); the sweep then finds
what is due with range queries only and escalates level by level. Timers belong to workflow states through
the SLA policy, so an administrator attaches a timer to a state they added without code.
"""

from datetime import datetime, timedelta

import frappe
from frappe.utils import cint, get_datetime

from complaint_handling.access.permissions import RULE_COLUMNS
from complaint_handling.bulk_insert import insert_rows
from complaint_handling.domain.calendar import Calendar
from complaint_handling.domain.deadlines import (
	ROUTED_CLOCKS,
	answers_customer,
	clocks_wanted,
	progress_of,
	stop_instant,
	stopped_status,
)
from complaint_handling.domain.routing import FIRST_RESPONSE, ON_SITE, RESOLUTION
from complaint_handling.domain.service_levels import (
	BREACHED,
	PAUSED,
	Deadline,
	Timer,
	deadline,
	document_status,
	next_escalation_at,
	timer_status,
)
from complaint_handling.domain.statuses import REGISTERED
from complaint_handling.service_levels.calendars import aware, calendar_of, naive, now_aware
from complaint_handling.service_levels.policies import (
	CLOCK,
	COMPLAINT,
	choose_policy,
	clock_timers,
	route_timers,
	state_of,
	target_of,
	timer_row,
)
from complaint_handling.service_levels.state_timers import (
	TIMER_FIELDS,
	apply_state_timer,
	clear_timer,
	start_timer,
)

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
		carried = tuple(doc.get(c) or None for c in CARRIED)  # the rule's columns (carry_visibility)
		insert_rows(
			CLOCK,
			["name", "complaint", "creation", "modified", "owner", "modified_by", *fields, *CARRIED],
			[
				(frappe.generate_hash(length=10), doc.name, now, now, user, user, *(row[f] for f in fields),
					*carried)
				for row in inserts
			],
		)  # fmt: skip
	if updates:
		frappe.db.bulk_update(CLOCK, updates, update_modified=False)
	if existing:
		frappe.db.delete(CLOCK, {"name": ("in", [row.name for row in existing.values()])})


# the complaint's columns of the visibility rule, carried by each of its clocks for the compliance report
CARRIED = RULE_COLUMNS
# the clocks' index that serves the compliance report of a user who sees some complaints (complaint_sla_clock.py)
VISIBILITY_INDEX = "started_visibility"


def carry_visibility(doc) -> None:
	"""The complaint's clocks carry its columns of the visibility rule, so the compliance report applies the
	rule to the clocks alone (records/reporting.py: sla_compliance): one statement."""
	frappe.db.sql(
		f"update `tab{CLOCK}` set {', '.join(f'`{c}` = %({c})s' for c in CARRIED)} where complaint = %(name)s",
		{"name": doc.name, **{c: doc.get(c) or None for c in CARRIED}},
	)


def carry_visibility_everywhere() -> None:
	"""Every clock takes its complaint's columns again, in one statement (an existing site's upgrade; after a
	bulk change of complaints made in SQL)."""
	frappe.db.sql(
		f"""update `tab{CLOCK}` clock join `tabCustomer Complaint` complaint on complaint.name = clock.complaint
		set {", ".join(f"clock.`{c}` = complaint.`{c}`" for c in CARRIED)}"""
	)


def follow_visibility(doc) -> None:
	"""on_update of the complaint: when one of those columns changed, its clocks follow (a new clock is
	written with them by `sync_clocks`)."""
	if not doc.flags.in_insert and any(doc.has_value_changed(c) for c in CARRIED):
		carry_visibility(doc)


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


def current_status(doc, now: datetime) -> str:
	"""The document's SLA status from its state timer and running clocks (domain/service_levels.py: document_status)."""
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
