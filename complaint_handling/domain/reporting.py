"""Counting for charts and reports: pure functions over rows the shell has already aggregated."""

from collections.abc import Iterable
from datetime import date, timedelta


def week_starts(today: date, weeks: int) -> list[date]:
	"""The Mondays of the last `weeks` weeks, oldest first, ending with the week that holds `today`."""
	if weeks < 1:
		raise ValueError(f"weeks must be >= 1, got {weeks!r}")
	this_monday = today - timedelta(days=today.weekday())
	return [this_monday - timedelta(weeks=n) for n in range(weeks - 1, -1, -1)]


def weekly_series(
	starts: list[date], rows: Iterable[tuple[str | None, date, int]]
) -> tuple[list[date], list[tuple[str | None, list[int]]]]:
	"""(labels, [(category, counts per week)]) from (category, week start, count) rows.

	Weeks without complaints count 0; rows outside the weeks are ignored; categories are sorted by name
	(no category last).
	"""
	index = {start: i for i, start in enumerate(starts)}
	counts: dict[str | None, list[int]] = {}
	for category, week, count in rows:
		if week in index:
			counts.setdefault(category, [0] * len(starts))[index[week]] += int(count)
	ordered = sorted(counts, key=lambda c: (c is None, c or ""))
	return list(starts), [(category, counts[category]) for category in ordered]
