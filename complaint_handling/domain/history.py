"""Complaints from before the app (issue 27): the paper forms and spreadsheets, imported as archived history.

A historical complaint is imported closed, by a System Manager through ERPNext's Data Import, and is
immutable like any closed complaint. It is never routed, assigned, e-mailed or swept; repeat detection,
batch failure rates, the satisfaction strikes and the reports count it like any other.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime

from complaint_handling.domain.costs import COMPANY, CUSTOMER, DETERMINATIONS

HISTORY_ROLE = "System Manager"
# who paid, as the paper form records it (the company, the customer, the dealer, or split)
DEALER, SHARED = "Dealer", "Shared"
PAYERS: tuple[str, ...] = (COMPANY, CUSTOMER, DEALER, SHARED)

# what an import writes besides the registration form's fields: the outcome of the paper file
HISTORY_FIELDS: frozenset[str] = frozenset(
	{
		"historical",
		"closed_on",
		"historical_determination",
		"historical_paid_by",
		"historical_cost",
		"decision",
		"final_ruling",
		"satisfaction_score",
		"handling_department",
		"handler",
		"region_manager",
		"territory",
		"severity",
		"company",
	}
)


@dataclass(frozen=True)
class HistoryProblem:
	field: str
	reason: str  # "required" | "before received" | "future" | "choice" | "negative" | "range"


def history_problems(row: Mapping, today: date) -> list[HistoryProblem]:
	"""What keeps a row of the paper history from being imported, field by field (empty = importable)."""
	problems = []
	closed_on, received_on = _day(row.get("closed_on")), _day(row.get("received_on"))
	if closed_on is None:
		problems.append(HistoryProblem("closed_on", "required"))
	elif closed_on > today:
		problems.append(HistoryProblem("closed_on", "future"))
	elif received_on and closed_on < received_on:
		problems.append(HistoryProblem("closed_on", "before received"))
	if received_on and received_on > today:
		problems.append(HistoryProblem("received_on", "future"))
	if row.get("historical_determination") and row["historical_determination"] not in DETERMINATIONS:
		problems.append(HistoryProblem("historical_determination", "choice"))
	if row.get("historical_paid_by") and row["historical_paid_by"] not in PAYERS:
		problems.append(HistoryProblem("historical_paid_by", "choice"))
	if _number(row.get("historical_cost")) < 0:
		problems.append(HistoryProblem("historical_cost", "negative"))
	score = _number(row.get("satisfaction_score"))
	if not 0 <= score <= 100:
		problems.append(HistoryProblem("satisfaction_score", "range"))
	return problems


def _day(value) -> date | None:
	if isinstance(value, datetime):
		return value.date()
	if isinstance(value, date):
		return value
	return None


def _number(value) -> float:
	try:
		return float(value or 0)
	except (TypeError, ValueError):
		return -1.0
