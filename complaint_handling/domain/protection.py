"""Which fields of a complaint belong to whom: the rule behind "the workflow is the only way".

A protected field changes only through the code that owns it (the workflow, routing, the read-back, the
SLA engine); a client that writes it over REST, `set_value`, import or a desk save is refused
(docs/procedure.md §9). Some fields belong to a role, or may be edited only before a stage.
"""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from complaint_handling.domain.statuses import (
	APPROVED,
	CLOSED,
	DISPUTED,
	IN_PROGRESS,
	PROPOSED,
	REGISTERED,
	REPLIED,
)

# The SLA engine's stored deadlines and timer state (complaints and memos alike).
SLA_FIELDS: frozenset[str] = frozenset(
	{
		"sla_policy",
		"sla_status",
		"sla_timer",
		"timer_started",
		"timer_warn_at",
		"timer_due_at",
		"timer_next_escalation",
		"timer_level",
		"timer_warned",
		"paused_since",
		"paused_seconds",
	}
)

# Kept by the server whatever a client sends: the SLA engine, the sweep and background jobs change them
# without saving the document, so a form opened before holds stale values; a save keeps the stored ones
# (docs/procedure.md §8). No client can change them, and a stale form still saves.
SERVER_KEPT: frozenset[str] = SLA_FIELDS | frozenset(
	{
		"response_by",
		"resolution_by",
		"first_responded_on",
		"last_replied_on",
		"registration_followup",
		"on_site_arrived_on",
		"on_site_agreed_at",
		"quality_feedback",
		"satisfaction_score",
	}
)

# Set by the app's own code only; a client that writes them on any path is refused.
SERVER_OWNED: frozenset[str] = frozenset(
	{
		"status",
		"approval_chain",
		"pending_approver",
		"pending_approver_user",
		"approvals",
		"confirmations",
		"confirmation_status",
		"handler_party",
		"escalated",
		"monthly_summary",
		"notify_parties",
		"route_timers",
		"proposed_by",
		"disputed_on",
		"customer_response",
		"customer_responded_on",
		"waiting_for",
		"waiting_for_user",
		"complained_user",
		"is_repeat",
		"related_complaints",
		"handling_path",
		"issue",  # the service desk's ticket: set only when escalated from it (service_desk/issue.py)
		"historical",  # imported history: only a System Manager's Data Import sets it (domain/history.py)
		"closed_on",
		"historical_determination",
		"historical_paid_by",
		"historical_cost",
		"hd_ticket",  # Frappe Helpdesk's ticket, likewise (service_desk/helpdesk.py; a field only with Helpdesk)
	}
)

# Who may reassign the people on a complaint (the HQ coordinator dispatches).
DISPATCHER_ROLES: frozenset[str] = frozenset({"Complaint Coordinator", "System Manager"})
DISPATCHER_OWNED: frozenset[str] = frozenset({"handler", "region_manager"})

BEFORE_PROPOSAL = frozenset({REGISTERED, IN_PROGRESS})
# What the approvers decide on is frozen once proposed; the decision once approved.
FROZEN_AFTER: Mapping[str, frozenset[str]] = {
	"proposal": BEFORE_PROPOSAL,
	"amount_at_stake": BEFORE_PROPOSAL,
	"category": BEFORE_PROPOSAL,
	"cross_department": BEFORE_PROPOSAL,
	"customer": BEFORE_PROPOSAL,
	"company": BEFORE_PROPOSAL,
	"complained_employee": BEFORE_PROPOSAL,
	"complained_sales_person": BEFORE_PROPOSAL,
	# the approved decision is what the customer is told: nobody rewrites it after approval
	"decision": frozenset({REGISTERED, IN_PROGRESS, PROPOSED}),
	"dispute_reason": frozenset({REGISTERED, IN_PROGRESS, PROPOSED, APPROVED, REPLIED}),
	"final_ruling": frozenset({DISPUTED}),
}
# What happens after closure and is still recorded on a closed complaint: the customer going to an outside
# authority (docs/procedure.md §6). Everything else of a closed complaint is archived as it is.
AFTER_CLOSING: frozenset[str] = frozenset({"escalations"})
FINAL_RULING_ROLES: frozenset[str] = frozenset({"Marketing Director", "System Manager"})

# What a customer's portal user may write: the complaint as they tell it, nothing the company decides.
PORTAL_WRITABLE: frozenset[str] = frozenset(
	{
		"customer",
		"contact",
		"complainant_name",
		"complainant_phone",
		"category",
		"subject",
		"desired_remedy",
		"description",
		"item",
		"serial_no",
		"batch_no",
		"sales_order",
		"delivery_note",
		"sales_invoice",
		"order_date",
		"shipping_date",
		"arrival_date",
	}
)


@dataclass(frozen=True)
class Refusal:
	field: str
	reason: str  # "server" | "role" | "stage" | "portal"


def refusals(
	changed: Iterable[str],
	*,
	status_before: str | None,
	roles: Iterable[str],
	portal_user: bool,
	allowed: Iterable[str] = (),
	appended: Iterable[str] = (),
) -> list[Refusal]:
	"""The changed fields this writer may not change, each with why; `allowed` are owner-set fields,
	`appended` the tables whose change only added rows after the stored ones."""
	roles, allowed, appended = set(roles), set(allowed), set(appended)
	found = []
	for field in sorted(set(changed) - allowed):
		if field in SERVER_OWNED:
			found.append(Refusal(field, "server"))
		elif portal_user and field not in PORTAL_WRITABLE:
			found.append(Refusal(field, "portal"))
		elif field in DISPATCHER_OWNED and status_before is not None and not roles & DISPATCHER_ROLES:
			found.append(Refusal(field, "role"))
		elif field == "final_ruling" and not roles & FINAL_RULING_ROLES:
			found.append(Refusal(field, "role"))
		elif status_before is not None and field in FROZEN_AFTER and status_before not in FROZEN_AFTER[field]:
			found.append(Refusal(field, "stage"))
		elif status_before == CLOSED and (field not in AFTER_CLOSING or field not in appended):
			found.append(Refusal(field, "stage"))  # what is recorded after closure is only ever added to
	return found


def only_appended(before: Sequence, after: Sequence) -> bool:
	"""The stored rows all kept, unchanged and in order, with any new rows after them."""
	return len(after) >= len(before) and tuple(after[: len(before)]) == tuple(before)


# The memo's steps are recorded by its workflow: who answered, signed and approved, and when.
MEMO_SERVER_OWNED: frozenset[str] = frozenset(
	{
		"status",
		"replied_by",
		"replied_on",
		"signed_by",
		"signed_on",
		"approved_by",
		"approved_on",
		"approver_party",
		"waiting_for",
		"waiting_for_user",
	}
)
MEMO_SERVER_KEPT: frozenset[str] = SLA_FIELDS


def memo_refusals(changed: Iterable[str], *, is_new: bool, allowed: Iterable[str] = ()) -> list[Refusal]:
	"""A memo's workflow-owned fields; on a new memo, the approver is the routing's and set by the app."""
	allowed = set(allowed)
	return [Refusal(f, "server") for f in sorted(set(changed) - allowed) if f in MEMO_SERVER_OWNED]
