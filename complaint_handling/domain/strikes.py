"""Low-satisfaction strikes against a contracted party (docs/procedure.md §10, part 8: the customer may end
the contract when "客户意见调查三次满意度达不到60%" — satisfaction under 60 % three times).

A strike is a survey of a complaint about the party (a Supplier the company contracts, or a department)
scored below the threshold; strikes count within a period up to the day of the latest survey. Nothing here
reads a clock or the database.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta


class StrikeRuleError(ValueError):
	"""The threshold, the number of strikes or the period make no rule."""


@dataclass(frozen=True)
class StrikePolicy:
	below: float = 60.0  # Complaint Settings › Low Satisfaction Below (%)
	strikes: int = 3  # Complaint Settings › Low Scores That Flag a Department
	period_days: int = 365  # Complaint Settings › Low Scores Counted Within (Days); 0 = ever

	def __post_init__(self) -> None:
		if not 0 <= self.below <= 100:
			raise StrikeRuleError(f"below must be a percentage, got {self.below!r}")
		for name in ("strikes", "period_days"):
			value = getattr(self, name)
			if isinstance(value, bool) or not isinstance(value, int) or value < 0:
				raise StrikeRuleError(f"{name} must be an int >= 0, got {value!r}")


def strikes_on(scores: Iterable[tuple[date, float]], on: date, policy: StrikePolicy) -> int:
	"""How many surveys scored below the threshold within the period ending `on` (its last day included)."""
	since = on - timedelta(days=policy.period_days - 1) if policy.period_days > 0 else date.min
	return sum(1 for day, score in scores if since <= day <= on and score < policy.below)


def termination_due(
	scores: Iterable[tuple[date, float]],
	on: date,
	policy: StrikePolicy,
	*,
	proposed_since: date | None = None,
) -> bool:
	"""The strikes reached their number within the period, counting only surveys after a termination already
	proposed (one proposal per run of strikes); no number of strikes (0) proposes nothing."""
	if policy.strikes <= 0:
		return False
	counted = [(day, score) for day, score in scores if proposed_since is None or day > proposed_since]
	return strikes_on(counted, on, policy) >= policy.strikes
