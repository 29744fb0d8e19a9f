"""Tier 1: penalties as rules (domain/penalties.py) — every kind and its boundaries."""

from datetime import date

import pytest

from complaint_handling.domain import penalties as pn


def terms(kind, **fields):
	return pn.PenaltyTerms(kind=kind, **fields)


REAL_NAME = terms(pn.ESCALATING, first_amount=10_000, later_amount=50_000)


def test_fixed_amounts_per_unit_and_on_top_of_costs():
	assert pn.compute(terms(pn.FIXED, amount=100)).amount == 100  # a complaint not properly handled
	assert pn.compute(terms(pn.FIXED, amount=200, per_unit=True), units=3).amount == 600  # tableware
	poisoning = terms(pn.FIXED, amount=5_000, adds_base=True)
	assert pn.compute(poisoning, base=1_234.5).amount == 6_234.5  # all costs + 5,000
	with pytest.raises(pn.PenaltyRuleError):
		pn.compute(poisoning)  # the costs are needed


def test_escalating_first_then_each_later_occurrence():
	assert [pn.compute(REAL_NAME, nth=n).amount for n in (1, 2, 3)] == [10_000, 50_000, 50_000]
	two_first = terms(pn.ESCALATING, first_amount=100, first_count=2, later_amount=300)
	assert [pn.compute(two_first, nth=n).amount for n in (1, 2, 3)] == [100, 100, 300]
	with pytest.raises(pn.PenaltyRuleError):
		pn.compute(REAL_NAME, nth=0)


def test_occurrences_counted_ever_or_within_the_period():
	earlier = [date(2026, 1, 10), date(2026, 6, 1), date(2026, 11, 1)]
	assert pn.occurrence(earlier, date(2026, 11, 26)) == 4
	assert pn.occurrence(earlier, date(2026, 11, 26), period_days=30) == 2  # 27 Oct..26 Nov
	assert pn.occurrence(earlier, date(2026, 11, 30), period_days=30) == 2  # 1 Nov is the window's first day
	assert pn.occurrence(earlier, date(2026, 12, 1), period_days=30) == 1  # 1 Nov has left the window
	assert pn.occurrence([], date(2026, 1, 1)) == 1
	assert pn.occurrence([date(2027, 1, 1)], date(2026, 1, 1)) == 1  # a later fine does not count


def test_percentage_band_the_approver_picks_within():
	negligence = terms(pn.PERCENT_BAND, percent_low=30, percent_high=60)
	found = pn.compute(negligence, base=200)
	assert (found.amount, found.low, found.high) == (60, 60, 120)  # the band's low end until picked
	assert pn.compute(negligence, base=200, pick=60).amount == 120  # the top edge is inside
	assert pn.compute(negligence, base=200, pick=45).amount == 90
	for outside in (29.99, 60.01, float("nan"), True):
		with pytest.raises(pn.PenaltyRuleError):
			pn.compute(negligence, base=200, pick=outside)
	with pytest.raises(pn.PenaltyRuleError):
		pn.compute(negligence)  # no freight, no share


def test_amount_band_up_to_a_ceiling():
	spoiled = terms(pn.AMOUNT_BAND, amount=300)
	assert pn.compute(spoiled).amount == 0
	assert pn.compute(spoiled, pick=300).amount == 300
	with pytest.raises(pn.PenaltyRuleError):
		pn.compute(spoiled, pick=300.01)


def test_multiple_of_a_base_and_caps():
	foreign_object = terms(pn.MULTIPLE, multiple=2)
	assert pn.compute(foreign_object, base=38).amount == 76  # 200 % of the meal
	capped = pn.compute(terms(pn.MULTIPLE, multiple=2, cap=50), base=38)
	assert (capped.amount, capped.capped) == (50, True)
	assert pn.compute(terms(pn.FIXED, amount=50, cap=50)).capped is False  # the cap itself is allowed


@pytest.mark.parametrize(
	"bad",
	[
		{"kind": "Whim"},
		{"kind": pn.FIXED, "amount": -1},
		{"kind": pn.ESCALATING, "first_count": 0},
		{"kind": pn.ESCALATING, "period_days": -1},
		{"kind": pn.PERCENT_BAND, "percent_low": 60, "percent_high": 30},
		{"kind": pn.AMOUNT_BAND, "min_amount": 400, "amount": 300},
		{"kind": pn.FIXED, "cap": float("inf")},
	],
)
def test_impossible_rules_are_refused(bad):
	with pytest.raises(pn.PenaltyRuleError):
		pn.PenaltyTerms(**bad)


def test_above_the_limit_the_general_manager_approves():
	assert pn.approver(10_000, 10_000, "Marketing Director", "General Manager") == "Marketing Director"
	assert pn.approver(10_000.01, 10_000, "Marketing Director", "General Manager") == "General Manager"
