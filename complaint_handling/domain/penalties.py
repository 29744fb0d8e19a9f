"""Penalties as rules (docs/procedure.md §11): what a fine comes to, from its rule, the base it is taken on,
the units counted and how often the party has been fined before under the same rule.

Kinds of rule, each from the procedure's schedules:
- Fixed: an amount (per unit where units are counted, e.g. 200 per failed tableware item), optionally on
  top of the base (food poisoning: all costs + 5,000).
- Escalating: the first N occurrences at one amount, each later one at another (dealer real-name breaches:
  10,000 the first time, 50,000 each time after), counted per party ever or within a period.
- Percentage band: a share of a base the approver picks within the band (a negligent region manager: 30-60 %
  of the freight actually incurred).
- Amount band: an amount the approver picks within fixed bounds (spoiled food: up to 300).
- Multiple: a multiple of a base (a foreign object: 200 % of the meal's price).
Any rule may be capped. Nothing here reads a clock or the database.
"""

import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

FIXED, ESCALATING, PERCENT_BAND, AMOUNT_BAND, MULTIPLE = (
	"Fixed",
	"Escalating",
	"Percentage Band",
	"Amount Band",
	"Multiple",
)
KINDS: tuple[str, ...] = (FIXED, ESCALATING, PERCENT_BAND, AMOUNT_BAND, MULTIPLE)


class PenaltyRuleError(ValueError):
	"""The rule or the facts do not give an amount (a missing base, a pick outside the band, ...)."""


@dataclass(frozen=True)
class PenaltyTerms:
	kind: str
	amount: float = 0  # Fixed; the upper bound of an Amount band
	min_amount: float = 0  # the lower bound of an Amount band
	first_amount: float = 0  # Escalating
	first_count: int = 1  # Escalating: how many occurrences are charged the first amount
	later_amount: float = 0  # Escalating
	period_days: int = 0  # Escalating: occurrences counted within this many days; 0 = ever
	percent_low: float = 0  # Percentage band, in percent
	percent_high: float = 0
	multiple: float = 0  # Multiple: 2.0 = 200 %
	per_unit: bool = False  # Fixed: the amount is per unit counted
	adds_base: bool = False  # Fixed: the amount comes on top of the base (all costs + 5,000)
	cap: float = 0  # 0 = no cap

	def __post_init__(self) -> None:
		if self.kind not in KINDS:
			raise PenaltyRuleError(f"unknown kind {self.kind!r}; expected one of {KINDS}")
		for name in ("amount", "min_amount", "first_amount", "later_amount", "multiple", "cap"):
			if not _non_negative(getattr(self, name)):
				raise PenaltyRuleError(f"{name} must be a number >= 0, got {getattr(self, name)!r}")
		if (
			isinstance(self.first_count, bool)
			or not isinstance(self.first_count, int)
			or self.first_count < 1
		):
			raise PenaltyRuleError(f"first_count must be an int >= 1, got {self.first_count!r}")
		if (
			isinstance(self.period_days, bool)
			or not isinstance(self.period_days, int)
			or self.period_days < 0
		):
			raise PenaltyRuleError(f"period_days must be an int >= 0, got {self.period_days!r}")
		if not (_non_negative(self.percent_low) and _non_negative(self.percent_high)):
			raise PenaltyRuleError("the percentage band must be numbers >= 0")
		if self.kind == PERCENT_BAND and not self.percent_low <= self.percent_high:
			raise PenaltyRuleError("the percentage band's low end must not exceed its high end")
		if self.kind == AMOUNT_BAND and not self.min_amount <= self.amount:
			raise PenaltyRuleError("the amount band's low end must not exceed its high end")


@dataclass(frozen=True)
class Penalty:
	amount: float  # what is charged
	low: float  # the band the approver may pick within (low == high == amount when there is no choice)
	high: float
	occurrence: int  # the how-manieth fine of this party under this rule this one is
	capped: bool = False


def occurrence(earlier: Iterable[date], on: date, period_days: int = 0) -> int:
	"""Which occurrence a fine on `on` is: the earlier fines counted (all, or those within the period) + 1.

	The period is the `period_days` days up to and including `on`.
	"""
	if period_days and period_days > 0:
		since = on - timedelta(days=period_days - 1)
		return sum(1 for day in earlier if since <= day <= on) + 1
	return sum(1 for day in earlier if day <= on) + 1


def compute(
	terms: PenaltyTerms,
	*,
	base: float | None = None,
	units: float = 1,
	nth: int = 1,
	pick: float | None = None,
) -> Penalty:
	"""The fine under `terms`: `base` for the kinds taken on a base, `units` counted, the `nth` occurrence,
	and the approver's `pick` within a band (a percentage for a percentage band, an amount for an amount
	band; the band's low end when not picked yet)."""
	if isinstance(nth, bool) or not isinstance(nth, int) or nth < 1:
		raise PenaltyRuleError(f"the occurrence must be an int >= 1, got {nth!r}")
	if not _non_negative(units):
		raise PenaltyRuleError(f"units must be a number >= 0, got {units!r}")
	kind = terms.kind
	if kind in (PERCENT_BAND, MULTIPLE) or (kind == FIXED and terms.adds_base):
		if base is None or not _non_negative(base):
			raise PenaltyRuleError(f"a {kind} penalty needs a base amount >= 0, got {base!r}")
	if kind == FIXED:
		amount = terms.amount * (units if terms.per_unit else 1) + (base if terms.adds_base else 0)
		return _capped(terms, amount, amount, amount, nth)
	if kind == ESCALATING:
		amount = terms.first_amount if nth <= terms.first_count else terms.later_amount
		return _capped(terms, amount, amount, amount, nth)
	if kind == MULTIPLE:
		amount = base * terms.multiple
		return _capped(terms, amount, amount, amount, nth)
	if kind == PERCENT_BAND:
		low, high = base * terms.percent_low / 100, base * terms.percent_high / 100
		chosen = terms.percent_low if pick is None else pick
		if not _number(chosen) or not terms.percent_low <= chosen <= terms.percent_high:
			raise PenaltyRuleError(
				f"pick a percentage within {terms.percent_low}-{terms.percent_high}, got {pick!r}"
			)
		return _capped(terms, base * chosen / 100, low, high, nth)
	low, high = terms.min_amount, terms.amount  # AMOUNT_BAND
	chosen = low if pick is None else pick
	if not _number(chosen) or not low <= chosen <= high:
		raise PenaltyRuleError(f"pick an amount within {low}-{high}, got {pick!r}")
	return _capped(terms, chosen, low, high, nth)


def _capped(terms: PenaltyTerms, amount: float, low: float, high: float, nth: int) -> Penalty:
	cap = terms.cap or math.inf
	return Penalty(
		round(min(amount, cap), 2), round(min(low, cap), 2), round(min(high, cap), 2), nth, amount > cap
	)


def approver(amount: float, limit: float, below: str, above: str) -> str:
	"""Who approves a fine: above the limit the higher authority (the general manager by default)."""
	return above if amount > limit else below


def _number(value: object) -> bool:
	return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _non_negative(value: object) -> bool:
	return _number(value) and value >= 0
