"""Tier 1: weekly counts for the complaints-by-category chart."""

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from complaint_handling.domain.reporting import week_starts, weekly_series


def test_week_starts_are_mondays_ending_this_week():
	starts = week_starts(date(2026, 11, 25), 3)  # a Wednesday
	assert starts == [date(2026, 11, 9), date(2026, 11, 16), date(2026, 11, 23)]


def test_week_starts_rejects_no_weeks():
	with pytest.raises(ValueError):
		week_starts(date(2026, 1, 1), 0)


def test_series_fill_empty_weeks_and_ignore_others():
	starts = week_starts(date(2026, 11, 25), 2)
	labels, series = weekly_series(
		starts,
		[
			("Quality", starts[1], 3),
			("Policy", starts[0], 1),
			("Quality", starts[0], 2),
			(None, starts[1], 1),
			("Quality", starts[0] - timedelta(weeks=1), 9),  # before the first week
		],
	)
	assert labels == starts
	assert series == [("Policy", [1, 0]), ("Quality", [2, 3]), (None, [0, 1])]


@given(st.lists(st.tuples(st.sampled_from(["A", "B", None]), st.integers(0, 5), st.integers(0, 50))))
def test_series_add_up_to_the_rows_inside_the_weeks(rows):
	starts = week_starts(date(2026, 11, 25), 4)
	dated = [(c, date(2026, 11, 2) + timedelta(weeks=w), n) for c, w, n in rows]
	_labels, series = weekly_series(starts, dated)
	inside = sum(n for _c, week, n in dated if week in starts)
	assert sum(sum(values) for _c, values in series) == inside
