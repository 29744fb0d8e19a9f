"""Tier 1: working time in wall time (naive, the calendar's own clock) answers exactly what the aware
arithmetic answers, on fixed-offset zones (the fast path) and daylight-saving zones (the fallback)."""

import random
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from complaint_handling.domain.calendar import (
	Calendar,
	add_working_time,
	add_working_time_wall,
	weekly_windows,
)

ZONES = ("Asia/Shanghai", "UTC", "America/New_York", "Europe/London", "Asia/Kolkata")


def calendars(zone: str) -> list[Calendar]:
	return [
		Calendar(weekly_windows(range(5), ("08:30", "17:30")), timezone=zone),
		Calendar(
			weekly_windows(range(5), ("08:30", "12:00"), ("13:30", "17:30")),
			timezone=zone,
			holidays=frozenset(date(2026, 10, d) for d in range(1, 8)),
			extra_working_days=frozenset({date(2026, 10, 10)}),
		),
		Calendar(weekly_windows(range(7), ("22:00", "24:00"), ("00:00", "02:30")), timezone=zone),
	]


@pytest.mark.parametrize("zone", ZONES)
def test_wall_answers_what_the_aware_arithmetic_answers(zone):
	rng = random.Random(zone)
	tz = ZoneInfo(zone)
	for cal in calendars(zone):
		for _ in range(600):
			start = datetime(2025, 12, 20) + timedelta(
				seconds=rng.randrange(0, 400 * 86400), microseconds=rng.randrange(0, 10**6)
			)
			duration = timedelta(
				minutes=rng.choice([1, 30, 120, 540, 135 * 60, 3000 * 60]) + rng.randrange(0, 60)
			)
			expected = (
				add_working_time(cal, start.replace(tzinfo=tz), duration).astimezone(tz).replace(tzinfo=None)
			)
			assert add_working_time_wall(cal, start, duration) == expected, (zone, start, duration)


def test_zero_and_edges_follow_the_aware_rules():
	cal = calendars("Asia/Shanghai")[0]
	at = datetime(2026, 3, 2, 9, 0)
	assert add_working_time_wall(cal, at, timedelta(0)) == at
	assert add_working_time_wall(cal, datetime(2026, 3, 2, 17, 30), timedelta(minutes=1)) == datetime(
		2026, 3, 3, 8, 31
	)
	assert add_working_time_wall(cal, datetime(2026, 12, 31, 17, 0), timedelta(hours=1)) == datetime(
		2027, 1, 1, 8, 30
	) + timedelta(minutes=30)


def test_an_aware_start_or_a_bad_duration_is_refused():
	cal = calendars("UTC")[0]
	with pytest.raises(ValueError):
		add_working_time_wall(cal, datetime(2026, 3, 2, 9, tzinfo=timezone.utc), timedelta(hours=1))
	with pytest.raises(ValueError):
		add_working_time_wall(cal, "2026-03-02 09:00", timedelta(hours=1))
	with pytest.raises((TypeError, ValueError)):
		add_working_time_wall(cal, datetime(2026, 3, 2, 9), 3600)
	with pytest.raises(ValueError):
		add_working_time_wall(cal, datetime(2026, 3, 2, 9), timedelta(hours=-1))
