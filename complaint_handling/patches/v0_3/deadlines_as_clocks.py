"""Every deadline watched (docs/procedure.md §8): the director report and the 24 h customer reply become
route timers on the installed policies, the targets get their escalation chains, and each open complaint
gets its route timers and clocks."""

import frappe

from complaint_handling.domain.statuses import open_statuses
from complaint_handling.handling import routing
from complaint_handling.service_levels import clocks, retiming
from complaint_handling.setup.install import (
	FIRST_RESPONSE_ESCALATION,
	RESOLUTION_ESCALATE_EVERY,
	RESOLUTION_ESCALATION,
	ROUTE_TIMERS,
)

MOVED = ("director_report", "customer_reply")


def execute() -> None:
	for name in frappe.get_all("Complaint SLA Policy", pluck="name"):
		policy = frappe.get_doc("Complaint SLA Policy", name)
		policy.timers = [
			row for row in policy.timers if not (row.workflow_state == "In Handling" and row.timer in MOVED)
		]
		if not policy.route_timers:
			for row in ROUTE_TIMERS:
				policy.append("route_timers", row)
		for target in policy.targets:
			target.first_response_escalation = target.first_response_escalation or FIRST_RESPONSE_ESCALATION
			target.resolution_escalation = target.resolution_escalation or RESOLUTION_ESCALATION
			target.resolution_escalate_every = target.resolution_escalate_every or RESOLUTION_ESCALATE_EVERY
		policy.flags.ignore_permissions = True
		policy.save()  # open complaints are retimed below, with their route timers set first

	settings = frappe.get_cached_doc("Complaint Settings")
	complaints = frappe.get_all(
		"Customer Complaint",
		filters={"docstatus": 0, "status": ("in", open_statuses("Customer Complaint"))},
		pluck="name",
	)
	now = clocks.now_aware()
	for name in complaints:
		doc = frappe.get_doc("Customer Complaint", name)
		if doc.handling_path:
			doc.route_timers = ", ".join(routing.route_of(doc, settings).timers)
		retiming.retime(doc, now)
		doc.db_update()
		clocks.sync_clocks(doc)
