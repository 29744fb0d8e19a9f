"""Routing (docs/procedure.md §3, §9): who handles a complaint and who approves it, from its facts and the
authority limits in Complaint Settings (domain/routing.py), passing by the person complained about."""

import frappe
from frappe.utils import flt

from complaint_handling.domain.routing import (
	DEFAULT_LIMITS,
	REGION_MANAGER,
	SUPERIOR,
	AuthorityLimit,
	Route,
	RoutingFacts,
	route,
)
from complaint_handling.domain.statuses import (
	IN_PROGRESS,
	REGISTERED,
)
from complaint_handling.integrations.erpnext.companies import authority_rows
from complaint_handling.integrations.erpnext.people import user_of_employee

STAFF_CONDUCT = "Staff Conduct"


def authority_limits(settings, company: str | None = None) -> tuple[AuthorityLimit, ...]:
	"""The limits of the complaint's company: its own rows, else the rows of no company, else the defaults."""
	rows = authority_rows(settings, company)
	return tuple(AuthorityLimit(r.party, r.handling_path, flt(r.max_amount)) for r in rows) or DEFAULT_LIMITS


def superior_user(doc) -> str | None:
	"""The direct superior (Employee.reports_to) of the person complained about."""
	employee = doc.complained_employee or (
		frappe.db.get_value("Sales Person", doc.complained_sales_person, "employee")
		if doc.complained_sales_person
		else None
	)
	if not employee:
		return None
	return user_of_employee(frappe.db.get_value("Employee", employee, "reports_to"))


def party_user(doc, party: str) -> str | None:
	"""The one user who acts for a party on this complaint; None when any holder of the role may act."""
	if party == REGION_MANAGER:
		return doc.region_manager
	if party == SUPERIOR:
		return superior_user(doc)
	return None


def unavailable_parties(doc) -> frozenset[str]:
	"""Parties whose person is the one complained about: routing passes them by (docs/procedure.md §12)."""
	if not doc.complained_user:
		return frozenset()
	return frozenset(p for p in (REGION_MANAGER, SUPERIOR) if party_user(doc, p) == doc.complained_user)


def route_of(doc, settings) -> Route:
	"""The complaint's route as domain/routing.py computes it from the facts on the form."""
	has_superior = doc.handling_path != STAFF_CONDUCT or bool(superior_user(doc))
	return route(
		RoutingFacts(
			doc.handling_path,
			flt(doc.amount_at_stake),
			2 if doc.cross_department else 1,
			has_superior,
			unavailable_parties(doc),
		),
		authority_limits(settings, doc.get("company")),
	)


def apply_routing(doc, settings) -> None:
	"""Who handles and who approves, until a proposal freezes the route."""
	if doc.status not in (REGISTERED, IN_PROGRESS) or not doc.handling_path:
		return
	result = route_of(doc, settings)
	if doc.handler_party != result.handler or not doc.handler:
		doc.handler = party_user(doc, result.handler) or doc.handler
	if doc.handler and doc.handler == doc.complained_user:
		doc.handler = None  # a role party handles; whoever holds the role is assigned
	doc.handler_party = result.handler
	doc.approval_chain = ", ".join(result.approvers)
	doc.escalated = int(result.escalated)
	doc.monthly_summary = int(result.monthly_summary)
	doc.notify_parties = ", ".join(result.notify)
	doc.route_timers = ", ".join(result.timers)


def approval_chain(doc) -> list[str]:
	return [party.strip() for party in (doc.approval_chain or "").split(",") if party.strip()]
