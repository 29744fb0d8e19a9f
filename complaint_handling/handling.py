"""Handling after intake (docs/procedure.md §3, §7, §9): routing, proposal, approvals, reply and dispute.

Workflow states are configuration: each state sets the complaint's `status` (its "update field"), and this
module reacts to changes of `status` only, never to a state's name.
"""

import frappe
from frappe import _
from frappe.utils import cint, flt, now_datetime, strip_html

from complaint_handling.domain.routing import (
	DEFAULT_LIMITS,
	REGION_MANAGER,
	SUPERIOR,
	AuthorityLimit,
	Route,
	RoutingFacts,
	is_self_approval,
	may_approve,
	route,
)
from complaint_handling.domain.statuses import (
	APPROVED,
	CLOSED,
	DISPUTED,
	IN_PROGRESS,
	PROPOSED,
	REGISTERED,
	REPLIED,
	open_statuses,
)
from complaint_handling.integrations.erpnext.people import user_of_employee
from complaint_handling.permissions import sharing_by_app

STAFF_CONDUCT = "Staff Conduct"


def label(doc, fieldname: str) -> str:
	return _(doc.meta.get_label(fieldname))


def has_text(value: str | None) -> bool:
	return bool(strip_html(value or "").strip())


# Routing -----------------------------------------------------------------------------------------


def authority_limits(settings) -> tuple[AuthorityLimit, ...]:
	rows = settings.get("authority_limits") or []
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
		authority_limits(settings),
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


def remaining_approvers(doc) -> list[str]:
	done = [row.party for row in doc.get("approvals") or []]
	chain = approval_chain(doc)
	return chain[len(done) :] if chain[: len(done)] == done else chain


def set_pending(doc, party: str | None) -> None:
	doc.pending_approver = party
	doc.pending_approver_user = party_user(doc, party) if party else None


# Stage changes -----------------------------------------------------------------------------------


def apply_stage_change(doc) -> None:
	"""React to the status the workflow (or an API) moved the complaint to."""
	before = doc.get_doc_before_save()
	old, new = (before.status if before else None), doc.status
	if old == new:
		return
	if new == PROPOSED and old == IN_PROGRESS:
		propose(doc)
	elif new == APPROVED and old == PROPOSED:
		approve(doc, before)
	elif new == IN_PROGRESS and old == PROPOSED:
		doc.set("approvals", [])  # sent back: the next proposal is approved afresh
		set_pending(doc, None)
	elif new == REPLIED:
		require(doc, "decision")
	elif new == CLOSED:
		check_memos_finished(doc)
		count_help_article(doc)
	elif new == DISPUTED:
		require(doc, "dispute_reason")
		doc.disputed_on = now_datetime()
	if new == CLOSED and old == DISPUTED:
		require(doc, "final_ruling")


def count_help_article(doc) -> None:
	"""A complaint closed with a first-line answer counts for the article (docs/procedure.md §5)."""
	if doc.help_article:
		frappe.db.sql(
			"""update `tabHelp Article` set complaints_answered = ifnull(complaints_answered, 0) + 1
			where name = %s""",
			doc.help_article,
		)


def require(doc, fieldname: str) -> None:
	if not has_text(doc.get(fieldname)):
		frappe.throw(
			_("Enter {0} first.").format(label(doc, fieldname)),
			frappe.MandatoryError,
			title=_("Missing {0}").format(label(doc, fieldname)),
		)


def propose(doc) -> None:
	require(doc, "proposal")
	doc.proposed_by = frappe.session.user
	chain = approval_chain(doc)
	set_pending(doc, chain[0] if chain else None)


def may_act_for(doc, party: str, user: str) -> bool:
	if user == "Administrator":
		return True
	if one_user := party_user(doc, party):
		return one_user == user
	return may_approve(frappe.get_roles(user), party)


def approve(doc, before) -> None:
	"""Record one approval; while approvers remain, the complaint stays where it was (docs/procedure.md §9).

	Accepting a proposal inside the handler's authority is an approval too: the same separation of duties.
	"""
	party = doc.pending_approver
	user = frappe.session.user
	if user != "Administrator":
		if user == doc.complained_user:
			frappe.throw(
				_("A complaint about you is decided by others."), SelfApprovalError, title=_("Not allowed")
			)
		if is_self_approval(user, doc.handler, doc.proposed_by, doc.owner):
			frappe.throw(
				_(
					"You registered, handled or proposed this complaint's handling, so you cannot approve it; {0} must."
				).format(_(party or "Complaint Coordinator")),
				SelfApprovalError,
				title=_("Self-approval not allowed"),
			)
	if not party:  # inside the handler's authority: the coordinator accepts the proposal
		fill_decision(doc)
		return
	if not may_act_for(doc, party, user):
		frappe.throw(
			_("This complaint awaits approval by {0}.").format(_(party)),
			NotYourApprovalError,
			title=_("Not your approval"),
		)
	doc.append("approvals", {"party": party, "approver": user, "approved_on": now_datetime()})
	remaining = remaining_approvers(doc)
	if remaining:
		doc.status = before.status
		doc.workflow_state = before.workflow_state
	else:
		fill_decision(doc)
	set_pending(doc, remaining[0] if remaining else None)


class SelfApprovalError(frappe.PermissionError):
	"""Whoever registered, handled or proposed a complaint, or is complained about, may not approve it."""


class NotYourApprovalError(frappe.PermissionError):
	"""The complaint awaits another party's approval."""


def fill_decision(doc) -> None:
	"""The approved proposal is what the clerk tells the customer, unless a decision was written already."""
	if not has_text(doc.decision):
		doc.decision = doc.proposal


def check_memos_finished(doc) -> None:
	"""A complaint closes only when each of its memos is closed or cancelled (docs/procedure.md §4)."""
	open_memos = frappe.get_all(
		"Complaint Memo",
		filters={"complaint": doc.name, "docstatus": 0, "status": ("in", open_statuses("Complaint Memo"))},
		pluck="name",
		order_by="name",
	)
	if open_memos:
		frappe.throw(
			_("Close or cancel its memos before closing this complaint: {0}.").format(", ".join(open_memos)),
			OpenMemoError,
			title=_("Memos still open"),
		)


class OpenMemoError(frappe.ValidationError):
	"""A complaint cannot close while one of its memos is open."""


# After save --------------------------------------------------------------------------------------


def share_with(doc, *users: str | None) -> None:
	"""Let people named on the document open and edit it, whatever their roles (a superior, a signer)."""
	for user in set(users) - {None, ""}:
		if not frappe.db.exists(
			"DocShare", {"share_doctype": doc.doctype, "share_name": doc.name, "user": user}
		):
			with sharing_by_app():
				frappe.share.add_docshare(
					doc.doctype, doc.name, user, write=1, flags={"ignore_share_permission": True}
				)


def share_and_assign(doc) -> None:
	"""Handler and pending approver may open the complaint; whoever's move it is now is assigned."""
	from complaint_handling import next_step

	share_with(doc, *(u for u in (doc.handler, doc.pending_approver_user) if u != doc.complained_user))
	next_step.reassign(doc)


def apply_memo_approver(memo, complaint) -> None:
	"""A memo's answer is approved by the complaint's deciding authority; the marketing director by default."""
	chain = approval_chain(complaint)
	memo.approver_party = chain[-1] if chain else "Marketing Director"
