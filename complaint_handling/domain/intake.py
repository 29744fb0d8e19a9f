"""Intake rules for a new complaint: severity, handling path, repeat detection, VIP default, date checks.

The controller loads plain values, calls these functions and turns the returned codes and field names
into translated messages; nothing here knows about Frappe, the database or the clock.
"""

import string
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache

# Fault levels urgent / major / general (docs/procedure.md §1), lowest -> highest.
SEVERITIES: tuple[str, ...] = ("General", "Major", "Urgent")
_RANK: dict[str, int] = {severity: rank for rank, severity in enumerate(SEVERITIES)}

# Three categories, each with its own handling path (docs/procedure.md §1; routes §3, §5).
HANDLING_PATHS: tuple[str, ...] = ("Policy / Customer Service", "Staff Conduct", "Product Quality")

# Field names a repeat can match on, in the order they are reported (most specific first).
MATCH_FIELDS: tuple[str, ...] = ("serial_no", "batch_no", "item", "subject")
_EXACT_FIELDS: tuple[str, ...] = MATCH_FIELDS[:3]

_ASCII_PUNCTUATION = frozenset(string.punctuation)


# --- severity ------------------------------------------------------------------------------------


def severity_rank(severity: str) -> int:
	"""Position of a severity in SEVERITIES (General=0 .. Urgent=2)."""
	try:
		return _RANK[severity]
	except (KeyError, TypeError):
		raise ValueError(f"unknown severity {severity!r}; expected one of {', '.join(SEVERITIES)}")


def raise_severity(current: str, floor: str) -> str:
	"""The higher of `current` and `floor`: escalation may raise a severity but never lowers it."""
	return current if severity_rank(current) >= severity_rank(floor) else floor


def severity_after_repeat(current: str, is_repeat: bool, floor: str = "Major") -> str:
	"""Repeated complaints get stronger treatment (docs/procedure.md §2), so they are raised at least to `floor`."""
	severity_rank(current)
	severity_rank(floor)
	return raise_severity(current, floor) if is_repeat else current


# --- subjects ------------------------------------------------------------------------------------


def normalize_subject(subject: str) -> str:
	"""Case-, width- and punctuation-insensitive form of a subject; punctuation acts as a word separator.

	NFKC folds the full-width letters, digits and spaces that Chinese input methods produce.
	"""
	folded = unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", subject).casefold())
	spaced = "".join(" " if _is_punctuation(char) else char for char in folded)
	return " ".join(spaced.split())


def subject_similarity(a: str, b: str) -> float:
	"""Jaccard similarity of character bigrams, spaces removed, so Chinese (no spaces) and English both work.

	An empty subject is similar to nothing (0.0); a one-character subject is its own single "bigram".
	"""
	left, right = _bigrams(a), _bigrams(b)
	if not left or not right:
		return 0.0
	return len(left & right) / len(left | right)


def _is_punctuation(char: str) -> bool:
	"""ASCII punctuation (symbols such as $+<=>^`|~ included) and all Unicode punctuation, e.g. CJK marks."""
	return char in _ASCII_PUNCTUATION or unicodedata.category(char).startswith("P")


@lru_cache(maxsize=8192)
def _bigrams(subject: str) -> frozenset[str]:
	"""Character bigrams of the normalized subject without spaces; cached, as every registration compares
	against the same customer's earlier subjects."""
	text = normalize_subject(subject).replace(" ", "")
	if len(text) == 1:
		return frozenset({text})
	return frozenset(text[i : i + 2] for i in range(len(text) - 1))


# --- repeat detection ----------------------------------------------------------------------------


@dataclass(frozen=True)
class ComplaintFacts:
	"""What repeat detection compares; plain values loaded by the controller."""

	name: str
	customer: str
	received_on: datetime  # aware or naive, but all facts compared together are consistent
	is_open: bool
	subject: str = ""
	item: str | None = None
	batch_no: str | None = None
	serial_no: str | None = None


@dataclass(frozen=True)
class RepeatMatch:
	"""An earlier complaint the new one repeats, and the fields (MATCH_FIELDS order) it matched on."""

	name: str
	matched_on: tuple[str, ...]


def find_repeats(
	new: ComplaintFacts,
	earlier: Iterable[ComplaintFacts],
	window: timedelta,
	subject_threshold: float = 0.6,
) -> list[RepeatMatch]:
	"""Open or recent complaints of the same customer on the same serial / batch / item / subject.

	Recent means received within `window` before the new complaint; an open complaint counts whenever it
	was received. Newest first, then by name, so the result is deterministic.
	"""
	if not isinstance(window, timedelta):
		raise TypeError(f"window must be a timedelta, got {type(window).__name__}")
	if window < timedelta(0):
		raise ValueError(f"window must not be negative, got {window}")
	if not 0 < subject_threshold <= 1:
		raise ValueError(f"subject_threshold must be in (0, 1], got {subject_threshold!r}")
	found: list[tuple[ComplaintFacts, tuple[str, ...]]] = []
	for candidate in earlier:
		if not _is_candidate(new, candidate, window):
			continue
		matched_on = _matched_fields(new, candidate, subject_threshold)
		if matched_on:
			found.append((candidate, matched_on))
	found.sort(key=lambda pair: pair[0].name)
	found.sort(key=lambda pair: pair[0].received_on, reverse=True)
	return [RepeatMatch(candidate.name, matched_on) for candidate, matched_on in found]


def _is_candidate(new: ComplaintFacts, candidate: ComplaintFacts, window: timedelta) -> bool:
	"""Same customer, not the new complaint itself, and still open or received within the window before it."""
	if candidate.customer != new.customer or candidate.name == new.name:
		return False
	return candidate.is_open or new.received_on - window <= candidate.received_on <= new.received_on


def _matched_fields(new: ComplaintFacts, candidate: ComplaintFacts, threshold: float) -> tuple[str, ...]:
	"""Fields on which the candidate matches: exact non-empty values, or a similar enough subject."""
	matched = [
		field
		for field in _EXACT_FIELDS
		if getattr(new, field) and getattr(new, field) == getattr(candidate, field)
	]
	if subject_similarity(new.subject, candidate.subject) >= threshold:
		matched.append("subject")
	return tuple(matched)


# --- customer defaults ---------------------------------------------------------------------------


def default_vip(customer_flag: bool | None, customer_group_flag: bool | None) -> bool:
	"""VIP customers get stronger treatment (docs/procedure.md §2); the customer's own setting overrides its group's."""
	if customer_flag is not None:
		return bool(customer_flag)
	if customer_group_flag is not None:
		return bool(customer_group_flag)
	return False


# --- dates ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DateProblem:
	"""`field` is earlier than `must_not_precede`, which comes before it in the expected order."""

	field: str
	must_not_precede: str


def check_date_order(
	dates: Mapping[str, date | None],
	order: Sequence[str] = ("order_date", "shipping_date", "arrival_date"),
) -> list[DateProblem]:
	"""Order, shipping and arrival dates (docs/procedure.md §2) must not run backwards; missing dates are skipped.

	Each present date is compared with the nearest earlier present one. A datetime compared with a plain
	date counts by its calendar day, so ("arrival_date", "received_on") works too.
	"""
	if len(set(order)) != len(order):
		raise ValueError(f"order must not repeat a field, got {list(order)!r}")
	problems: list[DateProblem] = []
	previous: tuple[str, date] | None = None
	for field in order:
		value = dates.get(field)
		if value is None:
			continue
		if previous is not None and _before(value, previous[1]):
			problems.append(DateProblem(field, previous[0]))
		previous = (field, value)
	return problems


def _before(later: date, earlier: date) -> bool:
	"""`later < earlier`, comparing by calendar day unless both values are datetimes."""
	if isinstance(later, datetime) and isinstance(earlier, datetime):
		return later < earlier
	return _day(later) < _day(earlier)


def _day(value: date) -> date:
	"""The calendar day of a date or datetime."""
	return value.date() if isinstance(value, datetime) else value
