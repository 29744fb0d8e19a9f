# Copyright (c) 2026, complaint_handling developers
# For license information, please see license.txt

import frappe
from frappe.model.document import Document

from complaint_handling.access.permissions import (
	VISIBILITY_COLUMNS,
	belongs_to_complaint_conditions,
	can_see_belonging,
)
from complaint_handling.service_levels import clocks

STARTED_VISIBILITY = ("started_at", "timer", "running", "stopped_at", "due_at", *VISIBILITY_COLUMNS)


class ComplaintSLAClock(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		company: DF.Link | None
		complained_user: DF.Link | None
		complaint: DF.Link
		due_at: DF.Datetime | None
		handler: DF.Link | None
		level: DF.Int
		next_escalation: DF.Datetime | None
		pending_approver_user: DF.Link | None
		policy: DF.Link | None
		region_manager: DF.Link | None
		running: DF.Check
		severity: DF.Data | None
		started_at: DF.Datetime | None
		status: DF.Literal["On Track", "Warning", "Breached", "Paused", "Met", "Missed"]
		stopped_at: DF.Datetime | None
		territory: DF.Link | None
		timer: DF.Data | None
		warn_at: DF.Datetime | None
		warned: DF.Check
	# end: auto-generated types
	"""Written only by the service-level code (service_levels/); nobody edits a clock."""


def on_doctype_update() -> None:
	"""The sweep's range queries stay on indexes; one clock per timer and complaint."""
	frappe.db.add_unique("Complaint SLA Clock", ["complaint", "timer"], constraint_name="complaint_timer")
	frappe.db.add_index("Complaint SLA Clock", ["running", "warned", "warn_at"], "running_warn")
	frappe.db.add_index("Complaint SLA Clock", ["running", "next_escalation"], "running_escalation")
	# the compliance report reads only this index, per timer in index order (no temporary table)
	frappe.db.add_index(
		"Complaint SLA Clock", ["timer", "started_at", "running", "stopped_at", "due_at"], "timer_compliance"
	)
	# ... and, for a user who sees only some complaints, this one: the clocks started in the range with the
	# columns of the visibility rule they carry (clocks.follow_visibility), read from the index alone — no
	# clock joined to its complaint (1 s a month for a region manager at 1.1 M complaints, benchmarks P5)
	frappe.db.add_index("Complaint SLA Clock", list(STARTED_VISIBILITY), clocks.VISIBILITY_INDEX)


def get_permission_query_conditions(user: str | None = None) -> str:
	return belongs_to_complaint_conditions("Complaint SLA Clock", user)


def has_permission(doc, ptype: str | None = None, user: str | None = None) -> bool:
	return can_see_belonging(doc, user)
