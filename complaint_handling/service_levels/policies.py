"""SLA policies (docs/procedure.md §8): which policy a complaint falls under (cached scopes), and the timers,
targets and route timers a policy sets for a document's state, in domain/service_levels.py's terms.
"""

from datetime import timedelta

import frappe
from frappe.utils import cint, flt

from complaint_handling.domain.routing import FIRST_RESPONSE, ON_SITE, RESOLUTION, TIMERS
from complaint_handling.domain.service_levels import (
	ComplaintScope,
	PolicyScope,
	Timer,
	escalation_chain,
	select_policy,
	warn_fraction,
)

COMPLAINT, MEMO, CLOCK = "Customer Complaint", "Complaint Memo", "Complaint SLA Clock"


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
			"applies_to_company as company",
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
			company=row.company,
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
			complaint.get("company"),
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


def route_timers(doc) -> list[str]:
	"""The timer keys the routing chose for this complaint (stored by handling.apply_routing)."""
	return [key.strip() for key in (doc.route_timers or "").split(",") if key.strip()]
