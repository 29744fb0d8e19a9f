"""Tier 1: what keeps a row of the paper history from being imported (domain/history.py)."""

from datetime import date, datetime

from complaint_handling.domain.history import PAYERS, history_problems

TODAY = date(2026, 12, 3)


def problems(**row) -> list[tuple[str, str]]:
	good = {"received_on": date(2026, 3, 1), "closed_on": date(2026, 3, 20)}
	return [(p.field, p.reason) for p in history_problems({**good, **row}, TODAY)]


def test_a_complete_row_is_importable():
	assert problems() == []
	assert (
		problems(
			historical_determination="Obvious Quality Defect",
			historical_paid_by="Dealer",
			historical_cost=180,
			satisfaction_score=40,
			closed_on=datetime(2026, 3, 20, 17, 0),
		)
		== []
	)
	assert problems(received_on=None) == []  # the registration's own checks ask for what they need


def test_the_closing_day_is_required_not_in_the_future_and_not_before_receipt():
	assert problems(closed_on=None) == [("closed_on", "required")]
	assert problems(closed_on=date(2026, 12, 4)) == [("closed_on", "future")]
	assert problems(closed_on=date(2026, 2, 28)) == [("closed_on", "before received")]
	assert problems(received_on=date(2027, 1, 1), closed_on=TODAY) == [
		("closed_on", "before received"),
		("received_on", "future"),
	]


def test_choices_amounts_and_scores_are_checked_field_by_field():
	assert problems(historical_determination="Broken") == [("historical_determination", "choice")]
	assert problems(historical_paid_by="Insurer") == [("historical_paid_by", "choice")]
	assert all(problems(historical_paid_by=payer) == [] for payer in PAYERS)
	assert problems(historical_cost=-1) == [("historical_cost", "negative")]
	assert problems(historical_cost="a lot") == [("historical_cost", "negative")]
	assert problems(satisfaction_score=150) == [("satisfaction_score", "range")]
	assert problems(satisfaction_score=-5) == [("satisfaction_score", "range")]
	assert problems(satisfaction_score=100) == []
