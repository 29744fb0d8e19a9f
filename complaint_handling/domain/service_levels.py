"""SLA timers for complaints: deadlines, warnings, pauses, escalation levels and policy selection.

The procedure (docs/procedure.md §8) counts some deadlines in working time on the company calendar (memo dispatched within 2 working
hours, report to the marketing director within 1 working day (docs/procedure.md §8), region manager on site within 2-3
working hours (docs/procedure.md §8), reply within 1 working hour after approval) and others in clock time (first reply
within 2 hours, customer answered within 24 hours (docs/procedure.md §8), resolved within 15 days, field service 24 h /
engineer 48 h). A working timer starts at the next working instant after the event and measures pauses and
overdue time on the calendar; a clock timer measures real elapsed time, computed in UTC so that a
daylight-saving change never stretches or shrinks "24 hours". The caller passes `now`; nothing here reads
a clock.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from complaint_handling.domain.calendar import (
	Calendar,
	add_working_time,
	next_working_instant,
	working_time_between,
)

_UTC = timezone.utc
_ZERO = timedelta(0)

ON_TRACK, WARNING, BREACHED = "On Track", "Warning", "Breached"
STATUSES: tuple[str, ...] = (ON_TRACK, WARNING, BREACHED)  # in the only order a timer moves through them
PAUSED = "Paused"  # the document's resolution clock waits for the customer
DOCUMENT_STATUSES: tuple[str, ...] = (ON_TRACK, WARNING, BREACHED, PAUSED)  # a document's SLA Status

DEFAULT_WARN_AT = 0.8  # warn at this share of the allowed time unless the policy says otherwise

# Criteria a policy may restrict, in the order they are compared (None on a policy means "any").
SCOPE_CRITERIA: tuple[str, ...] = ("category", "severity", "is_vip", "customer_group", "territory", "company")


# --- validation ----------------------------------------------------------------------------------


def _utc(value: datetime, name: str) -> datetime:
	"""The instant in UTC; naive values are rejected because their instant is undefined.

	Comparing and subtracting in UTC matters: Python compares two datetimes sharing a tzinfo by wall time,
	which is wrong around a daylight-saving change.
	"""
	if not isinstance(value, datetime):
		raise TypeError(f"{name} must be a datetime, got {type(value).__name__}")
	if value.tzinfo is None or value.utcoffset() is None:
		raise ValueError(f"{name} must be timezone-aware, got naive {value.isoformat()}")
	return value.astimezone(_UTC)


def _check_duration(value: timedelta, name: str, *, positive: bool) -> None:
	"""A timedelta that is > 0 (`positive`) or >= 0, naming the field when it is not."""
	if not isinstance(value, timedelta):
		raise TypeError(f"{name} must be a timedelta, got {type(value).__name__}")
	if value < _ZERO or (positive and value == _ZERO):
		bound = "> 0" if positive else ">= 0"
		raise ValueError(f"{name} must be {bound}, got {value}")


def _is_number(value: object) -> bool:
	"""An int or float, but not a bool (True would otherwise pass as 1)."""
	return isinstance(value, int | float) and not isinstance(value, bool)


def _blank_to_none(value: str | None, name: str) -> str | None:
	"""A criterion value: a string, with blank (an empty form field) meaning unset."""
	if value is None:
		return None
	if not isinstance(value, str):
		raise TypeError(f"{name} must be a string or None, got {value!r}")
	return value if value.strip() else None


def _flag(value: object, name: str, *, optional: bool) -> bool | None:
	"""A yes/no flag; 0/1 (a Frappe Check field) are accepted as False/True."""
	if value is None and optional:
		return None
	if isinstance(value, bool):
		return value
	if isinstance(value, int) and value in (0, 1):
		return bool(value)
	allowed = "a bool, 0/1 or None" if optional else "a bool or 0/1"
	raise ValueError(f"{name} must be {allowed}, got {value!r}")


# --- timers and deadlines ------------------------------------------------------------------------


@dataclass(frozen=True)
class Timer:
	"""One SLA clock: how long is allowed, on which clock, when to warn and whom to escalate to."""

	key: str  # e.g. "first_response", "memo_dispatch" (routing.TIMERS)
	allowed: timedelta  # > 0
	working_time: bool  # True: counted on the calendar; False: clock time
	warn_at: float = DEFAULT_WARN_AT  # fraction of `allowed` in (0, 1]
	escalation: tuple[str, ...] = ()  # parties by level: level 1 = first party, ...
	escalate_every: timedelta | None = None  # one more level per this much time after due; default allowed

	def __post_init__(self) -> None:
		if not isinstance(self.key, str) or not self.key.strip():
			raise ValueError(f"key must be a non-empty string, got {self.key!r}")
		_check_duration(self.allowed, "allowed", positive=True)
		if not isinstance(self.working_time, bool):
			raise ValueError(f"working_time must be a bool, got {self.working_time!r}")
		if not _is_number(self.warn_at) or not 0 < self.warn_at <= 1:
			raise ValueError(f"warn_at must be a fraction in (0, 1], got {self.warn_at!r}")
		if isinstance(self.escalation, str):
			raise ValueError("escalation must be a sequence of party names, not a single string")
		escalation = tuple(self.escalation)
		if not all(isinstance(party, str) and party.strip() for party in escalation):
			raise ValueError(f"escalation must name parties as non-empty strings, got {escalation!r}")
		object.__setattr__(self, "escalation", escalation)
		if self.escalate_every is not None:
			_check_duration(self.escalate_every, "escalate_every", positive=True)


@dataclass(frozen=True)
class Deadline:
	"""When a timer started, warns and falls due; aware datetimes with started_at <= warn_at <= due_at."""

	started_at: datetime  # for working timers the next working instant at/after the event
	warn_at: datetime
	due_at: datetime

	def __post_init__(self) -> None:
		started = _utc(self.started_at, "started_at")
		warn = _utc(self.warn_at, "warn_at")
		due = _utc(self.due_at, "due_at")
		if not started <= warn <= due:
			raise ValueError(
				f"deadline must satisfy started_at <= warn_at <= due_at, got {self.started_at.isoformat()}, "
				f"{self.warn_at.isoformat()}, {self.due_at.isoformat()}"
			)


def _interval(timer: Timer) -> timedelta:
	"""Time after due between escalation levels."""
	return timer.allowed if timer.escalate_every is None else timer.escalate_every


def _top_level(timer: Timer) -> int:
	"""Highest escalation level: the chain's length, but at least 1 so a due timer always counts as breached."""
	return max(1, len(timer.escalation))


def _advance(cal: Calendar, timer: Timer, start: datetime, duration: timedelta) -> datetime:
	"""`start` plus `duration` on the timer's clock, in the calendar's zone."""
	if timer.working_time:
		return add_working_time(cal, start, duration)
	return (_utc(start, "start") + duration).astimezone(ZoneInfo(cal.timezone))


def _elapsed(cal: Calendar, timer: Timer, start: datetime, end: datetime) -> timedelta:
	"""Time from `start` to `end` on the timer's clock; negative when `end` is earlier."""
	s, e = _utc(start, "start"), _utc(end, "end")
	return working_time_between(cal, s, e) if timer.working_time else e - s


def _floor_seconds(duration: timedelta) -> timedelta:
	"""Round a non-negative duration down to whole seconds."""
	return duration - timedelta(microseconds=duration.microseconds)


def start_instant(cal: Calendar, timer: Timer, event_at: datetime) -> datetime:
	"""Where the timer starts: a working timer at the next working instant (a complaint received outside
	working time starts its clock when the office opens), a clock timer at the event itself."""
	if timer.working_time:
		return next_working_instant(cal, event_at)
	return _utc(event_at, "event_at").astimezone(ZoneInfo(cal.timezone))


def deadline(cal: Calendar, timer: Timer, event_at: datetime, paused: timedelta = _ZERO) -> Deadline:
	"""Start, warning and due instants of a timer triggered at `event_at`, pushed back by `paused`.

	`paused` is the total time spent paused, in the timer's own measure (see `pause_length`). The warning
	offset `warn_at * allowed` is rounded down to whole seconds.
	"""
	_check_duration(paused, "paused", positive=False)
	started = start_instant(cal, timer, event_at)
	warn_offset = _floor_seconds(timer.allowed * timer.warn_at)
	return Deadline(
		started_at=started,
		warn_at=_advance(cal, timer, started, warn_offset + paused),
		due_at=_advance(cal, timer, started, timer.allowed + paused),
	)


def deadline_until(started_at: datetime, due_at: datetime, warn_at: float = DEFAULT_WARN_AT) -> Deadline:
	"""A deadline fixed by a date (a memo's requested reply time): it warns at `warn_at` of the time left
	at the start, rounded down to whole seconds; a due instant already past starts and warns at itself."""
	started, due = _utc(started_at, "started_at"), _utc(due_at, "due_at")
	if not _is_number(warn_at) or not 0 < warn_at <= 1:
		raise ValueError(f"warn_at must be a fraction in (0, 1], got {warn_at!r}")
	if due <= started:
		return Deadline(due_at, due_at, due_at)
	warn = started + (due - started) * warn_at
	zone = due_at.tzinfo
	return Deadline(started.astimezone(zone), min(warn, due).astimezone(zone), due_at)


def pause_length(cal: Calendar, timer: Timer, paused_since: datetime, resumed_at: datetime) -> timedelta:
	"""How much a pause (e.g. waiting for the customer) adds: working time for working timers, clock time
	otherwise; never negative."""
	_utc(paused_since, "paused_since")
	_utc(resumed_at, "resumed_at")
	return max(_elapsed(cal, timer, paused_since, resumed_at), _ZERO)


def status(deadline: Deadline, now: datetime) -> str:
	"""ON_TRACK before the warning, WARNING from warn_at, BREACHED from due_at."""
	return timer_status(deadline.warn_at, deadline.due_at, now)


def timer_status(warn_at: datetime | None, due_at: datetime, now: datetime) -> str:
	"""The same rule for stored instants (no warning instant: straight from ON_TRACK to BREACHED)."""
	at = _utc(now, "now")
	if at >= _utc(due_at, "due_at"):
		return BREACHED
	if warn_at is not None and at >= _utc(warn_at, "warn_at"):
		return WARNING
	return ON_TRACK


def document_status(running: Iterable[str], paused: bool = False) -> str:
	"""A document's SLA status from the statuses of its running deadlines (docs/procedure.md §8).

	Any running deadline past due makes it BREACHED, even while the resolution clock is paused; otherwise
	a pause shows as PAUSED, then any warning as WARNING, else ON_TRACK. A deadline that was met or that
	stopped no longer counts: the status says what is overdue now (breaches stay on record).
	"""
	seen = set(running)
	unknown = seen - set(STATUSES)
	if unknown:
		raise ValueError(f"unknown deadline status {sorted(unknown)!r}; expected one of {STATUSES!r}")
	if BREACHED in seen:
		return BREACHED
	if paused:
		return PAUSED
	return WARNING if WARNING in seen else ON_TRACK


def warn_fraction(percent: float | None) -> float:
	"""A policy's Warn At (percent, blank = the default) as the fraction Timer takes, kept in (0, 1]."""
	if percent is None or percent == 0:
		return DEFAULT_WARN_AT
	if not _is_number(percent):
		raise ValueError(f"warn at must be a number of percent, got {percent!r}")
	return min(max(percent / 100, 0.01), 1.0)


def escalation_chain(text: str | None) -> tuple[str, ...]:
	"""A policy's comma-separated list of parties, level 1 first; blanks dropped."""
	return tuple(party.strip() for party in (text or "").split(",") if party.strip())


def next_escalation_at(cal: Calendar, timer: Timer, deadline: Deadline, level: int) -> datetime | None:
	"""When the next level after `level` is reached; None once the top of the chain is reached."""
	if level >= _top_level(timer):
		return None
	return escalation_at(cal, timer, deadline, level + 1)


def escalation_level(cal: Calendar, timer: Timer, deadline: Deadline, now: datetime) -> int:
	"""0 before due, 1 from due, one more per `escalate_every` elapsed after due (on the timer's clock).

	Capped at the length of the escalation chain, but at least 1 once due even when the chain is empty.
	"""
	if _utc(now, "now") < _utc(deadline.due_at, "due_at"):
		return 0
	level = 1 + _elapsed(cal, timer, deadline.due_at, now) // _interval(timer)
	return min(level, _top_level(timer))


def escalation_at(cal: Calendar, timer: Timer, deadline: Deadline, level: int) -> datetime:
	"""The instant `level` is reached: due_at for level 1, then `escalate_every` later per level.

	Only levels 1..len(escalation) (1 for an empty chain) are ever reached; others raise ValueError.
	"""
	top = _top_level(timer)
	if isinstance(level, bool) or not isinstance(level, int) or not 1 <= level <= top:
		raise ValueError(f"level must be an int in 1..{top}, got {level!r}")
	return _advance(cal, timer, deadline.due_at, (level - 1) * _interval(timer))


def escalation_party(timer: Timer, level: int) -> str | None:
	"""The party responsible at an escalation level (level 1 = first party); None at 0 or with no chain."""
	if isinstance(level, bool) or not isinstance(level, int) or level < 0:
		raise ValueError(f"level must be an int >= 0, got {level!r}")
	if level == 0 or not timer.escalation:
		return None
	return timer.escalation[min(level, len(timer.escalation)) - 1]


def overdue_by(cal: Calendar, timer: Timer, deadline: Deadline, now: datetime) -> timedelta:
	"""Time past due on the timer's clock (working time for working timers); zero when not due."""
	return max(_elapsed(cal, timer, deadline.due_at, now), _ZERO)


# --- policy selection ----------------------------------------------------------------------------


@dataclass(frozen=True)
class PolicyScope:
	"""Which complaints an SLA policy covers; an unset (None or blank) criterion matches anything."""

	name: str
	category: str | None = None
	severity: str | None = None
	is_vip: bool | None = None
	customer_group: str | None = None
	territory: str | None = None
	priority: int = 0  # admin tie-breaker: higher wins among equally specific
	company: str | None = None  # a group's company with its own calendar or targets

	def __post_init__(self) -> None:
		if not isinstance(self.name, str) or not self.name.strip():
			raise ValueError(f"name must be a non-empty string, got {self.name!r}")
		for name in ("category", "severity", "customer_group", "territory", "company"):
			object.__setattr__(self, name, _blank_to_none(getattr(self, name), name))
		object.__setattr__(self, "is_vip", _flag(self.is_vip, "is_vip", optional=True))
		if isinstance(self.priority, bool) or not isinstance(self.priority, int):
			raise ValueError(f"priority must be an int, got {self.priority!r}")


@dataclass(frozen=True)
class ComplaintScope:
	"""The complaint's values for the policy criteria; blank strings count as unset."""

	category: str | None
	severity: str | None
	is_vip: bool
	customer_group: str | None
	territory: str | None
	company: str | None = None

	def __post_init__(self) -> None:
		for name in ("category", "severity", "customer_group", "territory", "company"):
			object.__setattr__(self, name, _blank_to_none(getattr(self, name), name))
		object.__setattr__(self, "is_vip", _flag(self.is_vip, "is_vip", optional=False))


def specificity(policy: PolicyScope) -> int:
	"""How many criteria the policy sets."""
	return sum(getattr(policy, name) is not None for name in SCOPE_CRITERIA)


def policy_applies(policy: PolicyScope, complaint: ComplaintScope) -> bool:
	"""Whether every criterion the policy sets equals the complaint's value."""
	return all(
		getattr(policy, name) is None or getattr(policy, name) == getattr(complaint, name)
		for name in SCOPE_CRITERIA
	)


def select_policy(policies: Iterable[PolicyScope], complaint: ComplaintScope) -> str | None:
	"""Name of the applicable policy that is most specific, then of highest priority, then first by name;
	None when none applies. The result does not depend on the order of `policies`."""
	applicable = [policy for policy in policies if policy_applies(policy, complaint)]
	if not applicable:
		return None
	return min(applicable, key=lambda policy: (-specificity(policy), -policy.priority, policy.name)).name
