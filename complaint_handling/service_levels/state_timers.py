"""State timers (docs/procedure.md §8): the one timer a workflow state of a complaint or memo carries (an SLA
policy's *Timer* rows), started, stopped and cleared as the document moves.
"""

from datetime import datetime, timedelta

from frappe.utils import cint, flt

from complaint_handling.domain.calendar import Calendar
from complaint_handling.domain.inspection import on_site_due
from complaint_handling.domain.routing import ON_SITE
from complaint_handling.domain.service_levels import (
	Timer,
	deadline,
	deadline_until,
	pause_length,
	warn_fraction,
)
from complaint_handling.service_levels.calendars import aware, naive
from complaint_handling.service_levels.policies import state_of, timer_of, timer_row

TIMER_FIELDS = ("sla_timer", "timer_started", "timer_warn_at", "timer_due_at", "timer_next_escalation")


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
