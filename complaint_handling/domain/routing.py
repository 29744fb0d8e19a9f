"""Routing of a complaint to its handler, approval chain, informed parties and SLA timers.

The routes (docs/procedure.md §3 policy / customer service and staff conduct, §5 and §9 product quality,
§5 reporting) depend on the handling path, the amount at stake and each party's authority limit. Limits
are configuration passed in by the caller; everything returned is a party name or a timer key that the
Frappe layer maps to users, roles and translated messages.
"""

import math
from collections.abc import Iterable
from dataclasses import dataclass

from complaint_handling.domain.intake import HANDLING_PATHS

POLICY, STAFF, QUALITY = HANDLING_PATHS

# --- parties -------------------------------------------------------------------------------------

REGION_MANAGER = "Region Manager"
SUPERIOR = "Superior"  # the complained person's direct superior (Employee.reports_to), a person not a role
MARKETING_DIRECTOR = "Marketing Director"
GENERAL_MANAGER = "General Manager"
MANAGEMENT_REPRESENTATIVE = "Management Representative"
COORDINATOR = "Complaint Coordinator"  # HQ clerk: dispatches memos

# --- timers --------------------------------------------------------------------------------------

FIRST_RESPONSE = "first_response"
RESOLUTION = "resolution"
DIRECTOR_REPORT = (
	"director_report"  # reported to the marketing director within 1 working day (docs/procedure.md §8)
)
CUSTOMER_REPLY = "customer_reply"  # customer answered within 24 hours (docs/procedure.md §8)
ON_SITE = "on_site"  # region manager's visit (docs/procedure.md §5)
MEMO_DISPATCH = "memo_dispatch"  # HQ memo to the responsible department or region
TIMERS: tuple[str, ...] = (
	FIRST_RESPONSE,
	RESOLUTION,
	DIRECTOR_REPORT,
	CUSTOMER_REPLY,
	ON_SITE,
	MEMO_DISPATCH,
)

# Who handles first, then who may decide above them, per handling path (docs/procedure.md §3).
LADDERS: dict[str, tuple[str, ...]] = {
	POLICY: (REGION_MANAGER, MARKETING_DIRECTOR, GENERAL_MANAGER),
	STAFF: (SUPERIOR, MARKETING_DIRECTOR, GENERAL_MANAGER),
	QUALITY: (REGION_MANAGER, MARKETING_DIRECTOR, GENERAL_MANAGER),
}


# --- validation ----------------------------------------------------------------------------------


def _is_number(value: object) -> bool:
	"""An int or float, but not a bool (True would otherwise pass as 1)."""
	return isinstance(value, int | float) and not isinstance(value, bool)


def _check_path(path: str) -> None:
	"""Reject anything but one of the three handling paths (docs/procedure.md §1), naming the bad value."""
	if not isinstance(path, str) or path not in LADDERS:
		raise ValueError(f"unknown handling path {path!r}; expected one of {', '.join(HANDLING_PATHS)}")


def _check_amount(amount: float) -> None:
	"""An amount at stake is a finite number >= 0."""
	if not _is_number(amount) or not math.isfinite(amount) or amount < 0:
		raise ValueError(f"amount at stake must be a finite number >= 0, got {amount!r}")


# --- authority -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class AuthorityLimit:
	"""The amount at stake (refund, compensation, replacement value) a party may decide alone on a path."""

	party: str
	handling_path: str
	max_amount: float  # the party may decide alone up to and including this amount

	def __post_init__(self) -> None:
		if not isinstance(self.party, str) or not self.party.strip():
			raise ValueError(f"party must be a non-empty string, got {self.party!r}")
		_check_path(self.handling_path)
		if not _is_number(self.max_amount) or math.isnan(self.max_amount) or self.max_amount < 0:
			raise ValueError(f"max_amount must be a number >= 0 (inf allowed), got {self.max_amount!r}")


# docs/procedure.md §3 names no figures; these are starting values for the settings page.
DEFAULT_LIMITS: tuple[AuthorityLimit, ...] = (
	AuthorityLimit(REGION_MANAGER, POLICY, 5000.0),
	AuthorityLimit(REGION_MANAGER, QUALITY, 5000.0),
	AuthorityLimit(SUPERIOR, STAFF, 2000.0),
	*(AuthorityLimit(MARKETING_DIRECTOR, path, 50000.0) for path in HANDLING_PATHS),
	*(AuthorityLimit(GENERAL_MANAGER, path, math.inf) for path in HANDLING_PATHS),
)


def limit_for(limits: Iterable[AuthorityLimit], party: str, handling_path: str) -> float:
	"""The party's configured limit on the path; 0.0 when it has none (it cannot decide alone).

	When the configuration lists the same party and path twice, the lower (stricter) limit applies.
	"""
	found = [
		limit.max_amount for limit in limits if limit.party == party and limit.handling_path == handling_path
	]
	return float(min(found)) if found else 0.0


def deciding_party(
	ladder: tuple[str, ...],
	limits: Iterable[AuthorityLimit],
	handling_path: str,
	amount: float,
	floor: str | None = None,
) -> str:
	"""The lowest party on the ladder, not below `floor`, whose limit covers the amount; else the top."""
	if not ladder:
		raise ValueError("ladder must name at least one party")
	_check_amount(amount)
	start = 0
	if floor is not None:
		if floor not in ladder:
			raise ValueError(f"floor {floor!r} is not on the ladder {list(ladder)!r}")
		start = ladder.index(floor)
	limits = tuple(limits)
	for party in ladder[start:]:
		if amount <= limit_for(limits, party, handling_path):
			return party
	return ladder[-1]


# --- route ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RoutingFacts:
	"""What routing needs to know about a complaint; plain values loaded by the controller."""

	handling_path: str
	amount_at_stake: float = 0.0
	departments_involved: int = 1
	has_superior: bool = True  # staff conduct: is the superior of the person complained about known?
	# parties whose person is the one complained about: they never handle or approve (docs/procedure.md §12)
	unavailable: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Route:
	"""Who handles, who approves in order, who is informed, who dispatches the memo, which timers run."""

	handler: str  # party who handles (investigates / proposes)
	approvers: tuple[str, ...]  # approval chain, in order, may be empty
	notify: tuple[str, ...]  # parties informed (not approving)
	dispatcher: str | None  # COORDINATOR when a memo to a department is dispatched by HQ, else None
	timers: tuple[str, ...]  # timer keys that apply, in TIMERS order
	escalated: bool  # beyond the handler's authority or cross-department
	monthly_summary: bool  # handled inside region-manager authority -> summarised to HQ monthly


def route(facts: RoutingFacts, limits: Iterable[AuthorityLimit] = DEFAULT_LIMITS) -> Route:
	"""Route a complaint along its handling path (docs/procedure.md §3, §5, §9)."""
	path = facts.handling_path
	_check_path(path)
	_check_amount(facts.amount_at_stake)
	departments = facts.departments_involved
	if isinstance(departments, bool) or not isinstance(departments, int) or departments < 1:
		raise ValueError(f"departments_involved must be an int >= 1, got {departments!r}")
	limits = tuple(limits)
	amount = facts.amount_at_stake

	ladder = LADDERS[path]
	if path == STAFF and not facts.has_superior:
		ladder = ladder[ladder.index(MARKETING_DIRECTOR) :]  # nobody above the person: director handles
	floor = _floor(path, departments)
	ladder, floor = _without(ladder, floor, facts.unavailable)
	handler = ladder[0]
	decider = deciding_party(ladder, limits, path, amount, floor)
	approvers = ladder[1 : ladder.index(decider) + 1]

	if path == QUALITY:
		# The director's approval of the defect form (docs/procedure.md §9) is the normal path, not an escalation.
		rank = LADDERS[QUALITY].index
		beyond_director = tuple(p for p in approvers if rank(p) > rank(MARKETING_DIRECTOR))
		escalated = bool(beyond_director) or amount > limit_for(limits, REGION_MANAGER, path)
	else:
		escalated = bool(approvers)

	dispatcher = _dispatcher(path, handler, escalated)
	notify = _notify(path, handler, escalated)
	return Route(
		handler=handler,
		approvers=approvers,
		notify=notify,
		dispatcher=dispatcher,
		timers=_timers(path, escalated, dispatcher),
		escalated=escalated,
		monthly_summary=path == POLICY and not escalated,
	)


def _without(
	ladder: tuple[str, ...], floor: str | None, unavailable: frozenset[str]
) -> tuple[tuple[str, ...], str | None]:
	"""The ladder less the unavailable parties (the top always stays); the floor moves up with them."""
	kept = tuple(party for party in ladder if party not in unavailable) or ladder[-1:]
	if floor is not None and floor not in kept:
		above = ladder[ladder.index(floor) :]
		floor = next((party for party in above if party in kept), kept[-1])
	return kept, floor


def _floor(path: str, departments: int) -> str | None:
	"""Lowest party that must decide: the director for cross-department policy (docs/procedure.md §3) and quality (§9)."""
	if path == POLICY and departments > 1:
		return MARKETING_DIRECTOR
	if path == QUALITY:
		return MARKETING_DIRECTOR
	return None


def _dispatcher(path: str, handler: str, escalated: bool) -> str | None:
	"""HQ dispatches the memo to the department (docs/procedure.md §4) or region (§5), or passes staff cases upward.

	A staff complaint goes through HQ whenever it leaves the superior: escalated, or no superior known.
	"""
	if path == QUALITY:
		return COORDINATOR
	if path == POLICY:
		return COORDINATOR if escalated else None
	return COORDINATOR if escalated or handler != SUPERIOR else None


def _notify(path: str, handler: str, escalated: bool) -> tuple[str, ...]:
	"""Quality goes to the GM and management representative (docs/procedure.md §5); an overruled superior is told."""
	if path == QUALITY:
		return tuple(party for party in (GENERAL_MANAGER, MANAGEMENT_REPRESENTATIVE) if party != handler)
	if path == STAFF and escalated and handler == SUPERIOR:
		return (
			SUPERIOR,
		)  # docs/procedure.md §3: the director decides, the direct superior is informed of the decision
	return ()


def _timers(path: str, escalated: bool, dispatcher: str | None) -> tuple[str, ...]:
	"""Timer keys in TIMERS order: policy escalation adds the 1-day report and 24 h reply (docs/procedure.md §3)."""
	wanted = {FIRST_RESPONSE, RESOLUTION}
	if path == POLICY and escalated:
		wanted |= {DIRECTOR_REPORT, CUSTOMER_REPLY}
	if path == QUALITY:
		wanted.add(ON_SITE)
	if dispatcher is not None:
		wanted.add(MEMO_DISPATCH)
	return tuple(timer for timer in TIMERS if timer in wanted)


# --- approval ------------------------------------------------------------------------------------


def may_approve(approver_roles: Iterable[str], required_party: str) -> bool:
	"""Whether a user holding these roles may approve as `required_party` (role names equal party names).

	SUPERIOR is a person (Employee.reports_to), not a role, so roles never qualify for it.
	"""
	if isinstance(approver_roles, str):
		raise TypeError("approver_roles must be a collection of role names, not a single string")
	if required_party == SUPERIOR:
		return False
	return required_party in set(approver_roles)


def is_self_approval(
	approver_user: str,
	handler_user: str | None,
	proposer_user: str | None,
	registrar_user: str | None = None,
) -> bool:
	"""Separation of duties: whoever handled, proposed or registered may not approve it (ids case-insensitive)."""
	approver = _user_key(approver_user)
	if approver is None:
		return False
	return approver in {_user_key(handler_user), _user_key(proposer_user), _user_key(registrar_user)}


# --- helpers -------------------------------------------------------------------------------------


def _user_key(user: str | None) -> str | None:
	"""Comparable form of a user id; None and blank ids never match anybody."""
	if user is None:
		return None
	key = user.strip().casefold()
	return key or None
