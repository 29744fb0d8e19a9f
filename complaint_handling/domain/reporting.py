"""Counting for charts and reports: pure functions over rows the shell has already aggregated."""

import itertools
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


PERIODS: tuple[str, ...] = ("Weekly", "Monthly", "Quarterly", "Yearly")


def period_of(day: date, period: str) -> str:
	"""The period a day falls in, as the label the reports use: 2026-W07, 2026-02, 2026-Q1, 2026."""
	if period == "Weekly":
		year, week, _ = day.isocalendar()
		return f"{year}-W{week:02d}"
	if period == "Monthly":
		return f"{day.year}-{day.month:02d}"
	if period == "Quarterly":
		return f"{day.year}-Q{(day.month - 1) // 3 + 1}"
	if period == "Yearly":
		return str(day.year)
	raise ValueError(f"unknown period {period!r}; expected one of {PERIODS}")


def period_label(key: int, period: str) -> str:
	"""The label of an integer period key: 202607 -> 2026-W07 / 2026-07, 20261 -> 2026-Q1, 2026 -> 2026."""
	key = int(key)
	if period == "Weekly":
		return f"{key // 100}-W{key % 100:02d}"
	if period == "Monthly":
		return f"{key // 100}-{key % 100:02d}"
	if period == "Quarterly":
		return f"{key // 10}-Q{key % 10}"
	return str(key)


def periods_between(start: date, end: date, period: str) -> list[str]:
	"""Every period label from `start` to `end`, in order (a period without complaints still has a column)."""
	if end < start:
		return []
	labels, day = [], start
	while day <= end:
		label = period_of(day, period)
		if not labels or labels[-1] != label:
			labels.append(label)
		day += timedelta(days=1 if period == "Weekly" else 7 if period == "Monthly" else 28)
	last = period_of(end, period)
	if labels[-1] != last:
		labels.append(last)
	return labels


def pivot(
	rows: Iterable[tuple[str | None, str, int]], labels: list[str]
) -> list[tuple[str | None, list[int], int]]:
	"""(group, count per period label, total) from (group, period label, count) rows, largest total first."""
	index = {label: i for i, label in enumerate(labels)}
	counts: dict[str | None, list[int]] = {}
	for group, label, count in rows:
		if label in index:
			counts.setdefault(group, [0] * len(labels))[index[label]] += int(count)
	return sorted(
		((group, values, sum(values)) for group, values in counts.items()),
		key=lambda row: (-row[2], row[0] is None, row[0] or ""),
	)


def age_edges(text: str | None, default: tuple[int, ...] = (1, 3, 7, 15)) -> tuple[int, ...]:
	"""Age bucket edges in days from '1,3,7,15': strictly increasing positive whole days."""
	if not text or not str(text).strip():
		return default
	try:
		edges = tuple(int(part) for part in str(text).replace(" ", "").split(",") if part)
	except ValueError:
		raise ValueError(f"age buckets must be whole days separated by commas, got {text!r}") from None
	if not edges or any(e <= 0 for e in edges) or any(b <= a for a, b in itertools.pairwise(edges)):
		raise ValueError(f"age buckets must be increasing positive days, got {text!r}")
	return edges


def age_labels(edges: tuple[int, ...]) -> list[str]:
	"""'≤ 1 d', '1–3 d', ..., '> 15 d' for the edges."""
	labels = [f"≤ {edges[0]} d"]
	labels += [f"{a}–{b} d" for a, b in itertools.pairwise(edges)]
	return [*labels, f"> {edges[-1]} d"]


def compliance(on_time: int, late: int, overdue: int) -> float | None:
	"""Share of deadlines met, in percent, over those finished and those already past due; None if none."""
	judged = on_time + late + overdue
	return round(100 * on_time / judged, 1) if judged else None
