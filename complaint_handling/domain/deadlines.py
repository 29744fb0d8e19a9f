"""The deadlines a complaint carries beside its per-state timers (docs/procedure.md §8): which run, what
stops them, and which reply counts as reaching the customer.

- **First response** and **resolution** run on every complaint whose policy has a target for its severity.
  First response stops at the first reply that reaches the customer; resolution at closure.
- **Director report** (1 working day) and **customer reply** (24 hours) run only on complaints the routing
  marks cross-department or beyond authority (`routing.Route.timers`). The director report stops when a
  proposal reaches the approvers (the director has the case); the customer reply stops at the first reply
  to the customer after the clock started.
A stopped clock stays stopped. Instants are aware datetimes; nothing here reads a clock.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from complaint_handling.domain.routing import (
	CUSTOMER_REPLY,
	DIRECTOR_REPORT,
	FIRST_RESPONSE,
	RESOLUTION,
	TIMERS,
)
from complaint_handling.domain.statuses import APPROVED, CLOSED, DISPUTED, PROPOSED, REPLIED

# A complaint in one of these statuses has had a proposal reach its approvers: the director has the case.
REPORTED_STATUSES: frozenset[str] = frozenset({PROPOSED, APPROVED, REPLIED, DISPUTED, CLOSED})

TARGET_CLOCKS: tuple[str, ...] = (FIRST_RESPONSE, RESOLUTION)  # from the policy's target per severity
ROUTED_CLOCKS: tuple[str, ...] = (DIRECTOR_REPORT, CUSTOMER_REPLY)  # only where the route lists them
MET, MISSED = "Met", "Missed"  # a stopped clock's status: stopped before or after it fell due

# What a staff member's Communication on a complaint may be (Frappe's Communication options).
SENT = "Sent"
STAFF_KINDS: frozenset[str] = frozenset({"Communication", "Chat"})
AUTOMATED = "Automated Message"
# Mediums that mean the customer was spoken or written to directly (a logged call, a visit, a text).
DIRECT_MEDIUMS: frozenset[str] = frozenset({"Phone", "SMS", "Chat", "Visit", "Meeting"})
EMAIL = "Email"


@dataclass(frozen=True)
class Progress:
	"""What has happened to the complaint, as far as its deadlines care."""

	first_reply_at: datetime | None = None  # the first reply that reached the customer
	last_reply_at: datetime | None = None  # the latest such reply
	reported_at: datetime | None = None  # when a proposal reached the approvers (None: not yet)
	closed_at: datetime | None = None  # when the complaint was closed (None: open)


def progress_of(
	status: str | None, first_reply_at: datetime | None, last_reply_at: datetime | None, now: datetime
) -> Progress:
	"""Progress of a complaint in `status` seen at `now` (a stop that happened earlier is kept by the caller)."""
	return Progress(
		first_reply_at=first_reply_at,
		last_reply_at=last_reply_at,
		reported_at=now if status in REPORTED_STATUSES else None,
		closed_at=now if status == CLOSED else None,
	)


def answers_customer(old_status: str | None, new_status: str | None) -> bool:
	"""Moving to Replied is the formal reply reaching the customer (docs/procedure.md §8)."""
	return new_status == REPLIED and old_status != REPLIED


def clocks_wanted(route_timers: Iterable[str], has_target: bool) -> tuple[str, ...]:
	"""The clock keys a complaint carries, in routing.TIMERS order."""
	if isinstance(route_timers, str):
		raise TypeError("route_timers must be a collection of timer keys, not a single string")
	routed = set(route_timers)
	wanted = {key for key in TARGET_CLOCKS if has_target} | {key for key in ROUTED_CLOCKS if key in routed}
	return tuple(key for key in TIMERS if key in wanted)


def stop_instant(
	timer: str, started_at: datetime, progress: Progress, stopped_at: datetime | None = None
) -> datetime | None:
	"""When the clock stopped; None while it runs. An earlier stop is kept (a clock never restarts)."""
	if stopped_at is not None:
		return stopped_at
	if timer == FIRST_RESPONSE:
		found = progress.first_reply_at
	elif timer == CUSTOMER_REPLY:
		last = progress.last_reply_at
		found = last if last is not None and last >= started_at else None
	elif timer == DIRECTOR_REPORT:
		found = progress.reported_at
	elif timer == RESOLUTION:
		found = progress.closed_at
	else:
		raise ValueError(f"unknown clock {timer!r}; expected one of {TARGET_CLOCKS + ROUTED_CLOCKS!r}")
	return found if found is not None else progress.closed_at


def stopped_status(due_at: datetime, stopped_at: datetime) -> str:
	"""MET when the clock stopped before it fell due, else MISSED."""
	return MET if stopped_at < due_at else MISSED


def reaches_customer(
	direction: str | None,
	kind: str | None,
	medium: str | None,
	recipients: Iterable[str],
	customer_addresses: Iterable[str],
	automated_counts: bool = False,
) -> bool:
	"""Whether a Communication on the complaint is a reply that reached the customer.

	It must be sent by us; a staff message (not a comment or notification) counts, an automatic one (the
	acknowledgement) only when the setting says so. An e-mail counts when it went to one of the customer's
	addresses; a logged call, text, chat, visit or meeting counts as it is.
	"""
	if direction != SENT:
		return False
	if kind not in STAFF_KINDS and not (kind == AUTOMATED and automated_counts):
		return False
	if medium in DIRECT_MEDIUMS:
		return True
	if medium != EMAIL:
		return False
	wanted = {address.strip().casefold() for address in customer_addresses if address and address.strip()}
	return any(address.strip().casefold() in wanted for address in recipients if address)
