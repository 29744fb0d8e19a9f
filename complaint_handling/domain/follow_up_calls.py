"""Follow-up calls after closure (docs/procedure.md, parts 5 and 7): each configured level (dealer, service
station, after-sales department, customer-service centre) calls the customer a set number of days after the
complaint closes, and a share of closed complaints is sampled for an audit call. Pure planning rules."""

from dataclasses import dataclass
from datetime import date, timedelta

OUTCOMES: tuple[str, ...] = ("Satisfied", "Not Satisfied", "Not Reached")
AUDIT_LEVEL = "Audit"


class FollowUpError(ValueError):
	"""A level or an outcome that cannot be planned or recorded."""


@dataclass(frozen=True)
class Level:
	name: str
	days_after_closure: int
	enabled: bool = True


@dataclass(frozen=True)
class PlannedCall:
	level: str
	due_on: date
	is_audit: bool = False


def plan_calls(
	levels: list[Level], closed_on: date, *, audit_share: float, draw: float, audit_days: int = 0
) -> list[PlannedCall]:
	"""The calls a complaint closed on `closed_on` gets: one per enabled level, plus an audit call when the
	random `draw` (0 ≤ draw < 1) falls inside the audit share (a percentage)."""
	if not 0 <= draw < 1:
		raise FollowUpError(f"draw must be in [0, 1), got {draw!r}")
	if not 0 <= audit_share <= 100:
		raise FollowUpError(f"audit share must be a percentage, got {audit_share!r}")
	calls = []
	for level in levels:
		if not level.enabled:
			continue
		if level.days_after_closure < 0:
			raise FollowUpError(f"{level.name}: days after closure must be >= 0")
		calls.append(PlannedCall(level.name, closed_on + timedelta(days=level.days_after_closure)))
	if draw < audit_share / 100:
		calls.append(PlannedCall(AUDIT_LEVEL, closed_on + timedelta(days=max(0, audit_days)), True))
	return calls


def call_status(outcome: str | None) -> str:
	"""Open until an outcome is recorded; 'Not Reached' stays open for another try."""
	if not outcome:
		return "Open"
	if outcome not in OUTCOMES:
		raise FollowUpError(f"unknown outcome {outcome!r}; expected one of {OUTCOMES}")
	return "Open" if outcome == "Not Reached" else "Done"
