"""A year's public holidays and make-up working days (调休) for a company calendar.

The `holidays` package keeps the official lists year by year, including the weekend days China turns into
working days when a holiday is moved; an administrator loads a year instead of typing the dates.
"""

from dataclasses import dataclass
from datetime import date

import holidays


@dataclass(frozen=True)
class PublicHolidays:
	holidays: tuple[tuple[date, str], ...]  # (date, name), sorted
	make_up_days: tuple[date, ...]  # weekend dates that are working days, sorted


def public_holidays(country: str, year: int, language: str | None = None) -> PublicHolidays:
	"""Holidays and make-up working days of one year; ValueError for a country the package does not know."""
	try:
		calendar = holidays.country_holidays(country, years=year, language=language)
	except NotImplementedError:
		raise ValueError(f"no public holiday calendar for country {country!r}")
	make_up = getattr(calendar, "weekend_workdays", set()) or set()
	return PublicHolidays(
		holidays=tuple(sorted((day, str(name)) for day, name in calendar.items() if day.year == year)),
		make_up_days=tuple(sorted(day for day in make_up if day.year == year)),
	)
