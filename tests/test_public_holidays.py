"""Tier 1: loading China's 2026 public holidays and make-up working days (docs/procedure.md §8)."""

from datetime import date

import pytest

from complaint_handling.domain.public_holidays import public_holidays


def test_china_2026_national_day_and_make_up_saturday():
	year = public_holidays("CN", 2026)
	days = {day for day, _name in year.holidays}
	assert {
		date(2026, 10, d) for d in (1, 2, 3, 5, 6, 7)
	} <= days  # National Day week (the 4th is a Sunday anyway)
	assert date(2026, 10, 10) in year.make_up_days  # the Saturday worked instead (调休)
	assert all(day.weekday() >= 5 for day in year.make_up_days)
	assert all(day.year == 2026 for day in days | set(year.make_up_days))
	assert list(year.holidays) == sorted(year.holidays)


def test_country_without_make_up_days():
	year = public_holidays("GB", 2026)
	assert year.make_up_days == ()
	assert date(2026, 12, 25) in {day for day, _ in year.holidays}


def test_unknown_country():
	with pytest.raises(ValueError, match="no public holiday calendar"):
		public_holidays("XX", 2026)
