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


@pytest.mark.parametrize("zone", ZONES)
def test_an_instant_in_the_calendars_zone_is_answered_as_in_utc(zone):
	"""The SLA engine passes starts in the calendar's own zone, which may take the wall path: the answer is
	the same instant as counted from the same start given in UTC (the UTC path), across year ends and
	over several years."""
	rng = random.Random(f"aware {zone}")
	tz = ZoneInfo(zone)
	for cal in calendars(zone):
		for _ in range(600):
			start = datetime(2025, 12, 20, tzinfo=timezone.utc) + timedelta(
				seconds=rng.randrange(0, 400 * 86400), microseconds=rng.randrange(0, 10**6)
			)
			duration = timedelta(
				minutes=rng.choice([1, 30, 120, 540, 135 * 60, 3000 * 60, 400_000]) + rng.randrange(0, 60)
			)
			in_zone = add_working_time(cal, start.astimezone(tz), duration)
			in_utc = add_working_time(cal, start, duration)
			assert in_zone.tzinfo is tz and in_utc.tzinfo is tz
			assert in_zone.astimezone(timezone.utc) == in_utc.astimezone(timezone.utc), (
				zone,
				start,
				duration,
			)


def test_the_wall_path_answers_at_a_window_end_and_across_the_year_end():
	tz = ZoneInfo("Asia/Shanghai")
	cal = calendars("Asia/Shanghai")[0]
	at = datetime(2026, 3, 2, 16, 30, tzinfo=tz)
	assert add_working_time(cal, at, timedelta(hours=1)) == datetime(2026, 3, 2, 17, 30, tzinfo=tz)
	assert add_working_time(cal, at, timedelta(hours=1, microseconds=1)) == datetime(
		2026, 3, 3, 8, 30, 0, 1, tzinfo=tz
	)
	# 2027-01-01 05:00 in Shanghai is still 2026 in UTC: the block is the previous UTC year's
	assert add_working_time(cal, datetime(2027, 1, 1, 5, tzinfo=tz), timedelta(hours=1)) == datetime(
		2027, 1, 1, 9, 30, tzinfo=tz
	)
	assert add_working_time(cal, datetime(2026, 12, 31, 17, tzinfo=tz), timedelta(hours=9 * 300)) == (
		add_working_time(cal, datetime(2026, 12, 31, 9, tzinfo=timezone.utc), timedelta(hours=9 * 300))
	)
