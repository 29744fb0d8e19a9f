"""Tier 1: what must be true before an on-site determination stands (domain/inspection.py)."""

from datetime import datetime

import pytest

from complaint_handling.domain.costs import (
	FIXED_ON_SITE,
	MISUSE,
	NEEDS_REPAIR,
	QUALITY_DEFECT,
	UNDETERMINED,
)
from complaint_handling.domain.inspection import (
	AGREED,
	ARRIVED,
	DETERMINATION,
	FIXED,
	MISUSE_HANDLING,
	PHOTOS,
	InspectionFacts,
	on_site_due,
	problems,
)

NOW = datetime(2026, 11, 24, 15, 0)


def fields(facts: InspectionFacts) -> list[tuple[str, str]]:
	return [(p.field, p.reason) for p in problems(facts, NOW)]


def test_an_open_inspection_without_determination_may_be_saved_without_photos():
	assert fields(InspectionFacts(None, photos=0)) == []


@pytest.mark.parametrize("determination", [QUALITY_DEFECT, MISUSE, UNDETERMINED])
def test_no_determination_without_a_photo(determination):
	facts = InspectionFacts(
		determination, photos=0, misuse_handling=NEEDS_REPAIR if determination == MISUSE else None
	)
	assert (PHOTOS, "photo required") in fields(facts)
	assert fields(InspectionFacts(determination, 1, NEEDS_REPAIR if determination == MISUSE else None)) == []


def test_exactly_one_of_the_three_determinations():
	assert fields(InspectionFacts("Probably broken", photos=2)) == [(DETERMINATION, "unknown")]


def test_misuse_says_how_it_is_put_right():
	assert fields(InspectionFacts(MISUSE, 1)) == [(MISUSE_HANDLING, "handling required")]
	assert fields(InspectionFacts(MISUSE, 1, "Whatever")) == [(MISUSE_HANDLING, "handling required")]


def test_fixed_on_site_agrees_with_the_handling():
	assert fields(InspectionFacts(MISUSE, 1, FIXED_ON_SITE, fixed_on_site=True)) == []
	assert fields(InspectionFacts(MISUSE, 1, FIXED_ON_SITE, fixed_on_site=False)) == [(FIXED, "disagrees")]
	assert fields(InspectionFacts(MISUSE, 1, NEEDS_REPAIR, fixed_on_site=True)) == [(FIXED, "disagrees")]
	assert fields(InspectionFacts(QUALITY_DEFECT, 1, fixed_on_site=True)) == [(FIXED, "disagrees")]


def test_a_handling_belongs_to_misuse_only():
	assert fields(InspectionFacts(QUALITY_DEFECT, 1, NEEDS_REPAIR)) == [
		(MISUSE_HANDLING, "not a misuse case")
	]
	assert fields(InspectionFacts(None, 0, NEEDS_REPAIR)) == [(MISUSE_HANDLING, "not a misuse case")]


def test_arrival_is_not_in_the_future_and_an_agreed_visit_has_its_time():
	assert fields(InspectionFacts(None, 0, arrived_at=datetime(2026, 11, 24, 15, 1))) == [
		(ARRIVED, "in the future")
	]
	assert fields(InspectionFacts(None, 0, arrived_at=NOW)) == []
	assert fields(InspectionFacts(None, 0, agreed_with_customer=True)) == [(AGREED, "time required")]


def test_every_problem_is_reported_at_once():
	found = fields(InspectionFacts(MISUSE, 0, arrived_at=datetime(2027, 1, 1), agreed_with_customer=True))
	assert [field for field, _ in found] == [ARRIVED, AGREED, PHOTOS, MISUSE_HANDLING]


def test_an_agreed_time_replaces_the_default_on_site_deadline():
	default = datetime(2026, 11, 24, 17, 0)
	assert on_site_due(default, None) == (default, False)
	agreed = datetime(2026, 11, 25, 10, 0)
	assert on_site_due(default, agreed) == (agreed, True)
