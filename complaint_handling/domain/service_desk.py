"""The service desk's side of a complaint (docs/procedure.md §2): which tickets become complaints, and what an
escalated ticket learns of the complaint.

A ticket (an ERPNext Issue) is the customer's thread with the support desk. When it becomes a complaint, it
waits while the complaint runs and is told only what the customer may know: that the complaint is registered,
the company's decision, and that it is closed. Memos, proposals and the person complained about stay inside.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from complaint_handling.domain.statuses import CLOSED, REGISTERED, REPLIED

# What an escalated ticket is told, by the complaint's status that tells it.
REGISTERED_STAGE, DECISION_STAGE, CLOSED_STAGE = "Registered", "Decision", "Closed"
PUBLIC_STAGES: dict[str, str] = {
	REGISTERED: REGISTERED_STAGE,
	REPLIED: DECISION_STAGE,
	CLOSED: CLOSED_STAGE,
}

# The ticket's own statuses (ERPNext Issue): it waits on hold, which its SLA pauses on and which ERPNext's
# automatic closing of answered tickets leaves alone, and is resolved with the complaint's outcome.
TICKET_WAITING = "On Hold"
TICKET_RESOLVED = "Resolved"
TICKET_DONE = frozenset({"Resolved", "Closed"})
# Frappe Helpdesk's ticket waits in a status of its own, which the app adds to its statuses and to the
# SLAs' pause list (Helpdesk's automatic closing closes only Replied tickets).
HELPDESK_WAITING = "Paused"
# What the ticket's sidebar shows of the complaint, by public stage.
STAGE_LABELS: dict[str, str] = {
	REGISTERED_STAGE: "Registered",
	DECISION_STAGE: "Decision sent",
	CLOSED_STAGE: "Closed",
}


def public_stage(status_before: str | None, status_now: str | None) -> str | None:
	"""The stage the ticket is told of when the complaint moves to `status_now`; None for an internal step."""
	if not status_now or status_before == status_now:
		return None
	return PUBLIC_STAGES.get(status_now)


def ticket_status(complaint_status: str | None) -> str:
	"""Where the ticket stands while its complaint has this status."""
	return TICKET_RESOLVED if complaint_status == CLOSED else TICKET_WAITING


def helpdesk_status(complaint_status: str | None) -> str:
	"""Where a Helpdesk ticket stands while its complaint has this status."""
	return TICKET_RESOLVED if complaint_status == CLOSED else HELPDESK_WAITING


def stage_label(stage: str) -> str:
	return STAGE_LABELS.get(stage, stage)


def outcome(decision: str | None, final_ruling: str | None) -> str:
	"""What the customer was finally told: HQ's final ruling after a dispute, otherwise the decision."""
	return (final_ruling or "").strip() or (decision or "").strip()


# Rules that escalate ------------------------------------------------------------------------------

ESCALATE, SUGGEST = "Escalate", "Suggest"


@dataclass(frozen=True)
class EscalationRule:
	"""One line of the setting: every condition it names must hold; a rule naming none never matches."""

	name: str
	action: str  # ESCALATE or SUGGEST
	issue_type: str | None = None
	priority: str | None = None
	subject_words: tuple[str, ...] = ()
	repeat_within_days: int = 0


@dataclass(frozen=True)
class TicketFacts:
	issue_type: str | None
	priority: str | None
	subject: str
	# days since the same customer's previous ticket or complaint about the same item or serial number
	# (about anything, when this ticket names none); None when there is no earlier one
	days_since_previous: float | None = None


def subject_words(text: str | None) -> tuple[str, ...]:
	"""The words or phrases of a rule, one per line or separated by commas, in their first spelling."""
	seen: dict[str, str] = {}
	for part in (text or "").replace(",", "\n").splitlines():
		word = " ".join(part.split())
		if word and word.casefold() not in seen:
			seen[word.casefold()] = word
	return tuple(seen.values())


def matches(rule: EscalationRule, ticket: TicketFacts) -> bool:
	conditions: list[bool] = []
	if rule.issue_type:
		conditions.append(ticket.issue_type == rule.issue_type)
	if rule.priority:
		conditions.append(ticket.priority == rule.priority)
	if rule.subject_words:
		subject = " ".join((ticket.subject or "").split()).casefold()
		conditions.append(any(word.casefold() in subject for word in rule.subject_words))
	if rule.repeat_within_days > 0:
		days = ticket.days_since_previous
		conditions.append(days is not None and days <= rule.repeat_within_days)
	return bool(conditions) and all(conditions)


def decide(rules: Iterable[EscalationRule], ticket: TicketFacts) -> EscalationRule | None:
	"""The rule that applies to a new ticket: one that escalates wins over one that only suggests."""
	matching = [rule for rule in rules if matches(rule, ticket)]
	escalating = [rule for rule in matching if rule.action == ESCALATE]
	return (escalating or matching or [None])[0]
