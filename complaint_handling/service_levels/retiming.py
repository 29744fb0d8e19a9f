"""Policy edits (docs/procedure.md §8): when an administrator changes an SLA policy, the open documents under it
are timed again in a background job, with the clocks they already ran.
"""

from datetime import datetime

import frappe
from frappe.utils import cint, flt

from complaint_handling.domain.statuses import open_statuses
from complaint_handling.service_levels.calendars import aware, calendar_of, now_aware
from complaint_handling.service_levels.clocks import current_status, plan_clocks, sync_clocks
from complaint_handling.service_levels.policies import COMPLAINT, MEMO, choose_policy, state_of, timer_row
from complaint_handling.service_levels.state_timers import start_timer


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
