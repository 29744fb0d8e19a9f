"""Tests for working-time arithmetic: hand-written office scenarios plus properties against a brute-force oracle."""

import pickle
from collections.abc import Callable, Iterator
from datetime import date, datetime, time, timedelta, timezone
from itertools import pairwise
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from complaint_handling.domain.calendar import (
	Calendar,
	WorkingWindow,
	add_working_time,
	is_working,
	next_working_instant,
	weekly_windows,
	working_time_between,
)

UTC = timezone.utc
SHANGHAI = ZoneInfo("Asia/Shanghai")
NEW_YORK = ZoneInfo("America/New_York")
LONDON = ZoneInfo("Europe/London")
OFFICE_WINDOWS = weekly_windows(range(5), ("08:30", "12:00"), ("13:30", "17:30"))
NATIONAL_DAY = frozenset(date(2026, 10, day) for day in range(1, 8))
OFFICE = Calendar(
	OFFICE_WINDOWS,
	timezone="Asia/Shanghai",
	holidays=NATIONAL_DAY,
	extra_working_days=frozenset({date(2026, 10, 10)}),
)
HOURS = timedelta(hours=1)
MINUTE = timedelta(minutes=1)


def sh(*args: int) -> datetime:
	return datetime(*args, tzinfo=SHANGHAI)


def utc(*args: int) -> datetime:
	return datetime(*args, tzinfo=UTC)


def instant(value: datetime) -> datetime:
	"""Compare in UTC: PEP 495 makes a fold=1 local time compare unequal to the same instant in another zone."""
	return value.astimezone(UTC)


def sunday_only(tz: str, start: str, end: str) -> Calendar:
	return Calendar(weekly_windows([6], (start, end)), timezone=tz)


# --- the Chinese office calendar ------------------------------------------------------------------


def test_two_hours_from_monday_eleven_skips_lunch_break() -> None:
	assert add_working_time(OFFICE, sh(2026, 10, 12, 11, 0), 2 * HOURS) == sh(2026, 10, 12, 14, 30)


def test_friday_evening_complaint_runs_into_monday() -> None:
	assert add_working_time(OFFICE, sh(2026, 10, 16, 17, 0), 2 * HOURS) == sh(2026, 10, 19, 10, 0)


def test_deadline_reached_exactly_at_window_end_stays_on_that_day() -> None:
	assert add_working_time(OFFICE, sh(2026, 10, 16, 17, 0), timedelta(minutes=30)) == sh(
		2026, 10, 16, 17, 30
	)


def test_complaint_received_on_saturday_starts_clock_monday() -> None:
	saturday = sh(2026, 10, 17, 10, 0)
	assert not is_working(OFFICE, saturday)
	assert next_working_instant(OFFICE, saturday) == sh(2026, 10, 19, 8, 30)
	assert add_working_time(OFFICE, saturday, 2 * HOURS) == sh(2026, 10, 19, 10, 30)


def test_next_working_instant_returns_working_instant_itself() -> None:
	at = sh(2026, 10, 12, 9, 15, 7, 123)
	assert next_working_instant(OFFICE, at) == at


def test_national_day_holidays_are_skipped() -> None:
	assert add_working_time(OFFICE, sh(2026, 9, 30, 17, 0), 2 * HOURS) == sh(2026, 10, 8, 10, 0)
	assert working_time_between(OFFICE, sh(2026, 9, 30), sh(2026, 10, 8)) == timedelta(hours=7, minutes=30)
	assert not is_working(OFFICE, sh(2026, 10, 5, 9, 0))


def test_make_up_saturday_counts_as_working() -> None:
	assert is_working(OFFICE, sh(2026, 10, 10, 9, 0))
	assert not is_working(OFFICE, sh(2026, 10, 17, 9, 0))
	assert add_working_time(OFFICE, sh(2026, 10, 9, 17, 0), 2 * HOURS) == sh(2026, 10, 10, 10, 0)


def test_make_up_day_uses_configured_pattern_weekday() -> None:
	windows = (*weekly_windows(range(4), ("08:30", "17:30")), *weekly_windows([4], ("08:30", "12:00")))
	cal = Calendar(
		windows, "Asia/Shanghai", extra_working_days=frozenset({date(2026, 10, 10)}), make_up_weekday=4
	)
	assert working_time_between(cal, sh(2026, 10, 10), sh(2026, 10, 11)) == timedelta(hours=3, minutes=30)


def test_holiday_wins_over_make_up_day() -> None:
	cal = Calendar(
		OFFICE_WINDOWS, "Asia/Shanghai", frozenset({date(2026, 10, 10)}), frozenset({date(2026, 10, 10)})
	)
	assert not is_working(cal, sh(2026, 10, 10, 9, 0))


def test_lunch_break_is_not_counted() -> None:
	assert not is_working(OFFICE, sh(2026, 10, 12, 12, 30))
	assert is_working(OFFICE, sh(2026, 10, 12, 13, 30))
	assert not is_working(OFFICE, sh(2026, 10, 12, 12, 0))
	assert working_time_between(OFFICE, sh(2026, 10, 12, 11, 0), sh(2026, 10, 12, 14, 0)) == 1.5 * HOURS


def test_between_across_weekend_and_negative() -> None:
	friday, monday = sh(2026, 10, 16, 16, 0), sh(2026, 10, 19, 10, 0)
	assert working_time_between(OFFICE, friday, monday) == 3 * HOURS
	assert working_time_between(OFFICE, monday, friday) == -3 * HOURS
	assert working_time_between(OFFICE, friday, friday) == timedelta(0)


def test_zero_duration_returns_start_in_calendar_zone() -> None:
	start = utc(2026, 10, 17, 3, 0)  # a Saturday: not working, still returned unchanged
	result = add_working_time(OFFICE, start, timedelta(0))
	assert result == start
	assert result.tzinfo == SHANGHAI


def test_results_are_in_calendar_zone_whatever_the_input_zone() -> None:
	result = add_working_time(OFFICE, utc(2026, 10, 12, 3, 0), 2 * HOURS)  # 11:00 Shanghai
	assert result == sh(2026, 10, 12, 14, 30)
	assert result.utcoffset() == timedelta(hours=8)


def test_microseconds_are_preserved() -> None:
	start = sh(2026, 10, 12, 11, 0, 0, 123_456)
	assert add_working_time(OFFICE, start, 2 * HOURS) == sh(2026, 10, 12, 14, 30, 0, 123_456)
	end = add_working_time(OFFICE, start, timedelta(microseconds=1))
	assert end - start == timedelta(microseconds=1)
	assert working_time_between(OFFICE, start, sh(2026, 10, 12, 11, 0, 1)) == timedelta(microseconds=876_544)


def test_negative_duration_raises() -> None:
	with pytest.raises(ValueError, match="negative"):
		add_working_time(OFFICE, sh(2026, 10, 12, 9), -MINUTE)


def test_overlapping_windows_are_merged_not_double_counted() -> None:
	cal = Calendar((WorkingWindow(0, time(8), time(12)), WorkingWindow(0, time(10), time(14))))
	assert working_time_between(cal, utc(2026, 10, 12), utc(2026, 10, 13)) == 6 * HOURS


# --- past-midnight windows ------------------------------------------------------------------------

NIGHT_SHIFT = Calendar(weekly_windows(range(5), ("22:00", "06:00")), timezone="Asia/Shanghai")


def test_past_midnight_window_belongs_to_its_start_date() -> None:
	assert is_working(NIGHT_SHIFT, sh(2026, 10, 17, 3, 0))  # Saturday morning = Friday's shift
	assert not is_working(NIGHT_SHIFT, sh(2026, 10, 17, 23, 0))  # Saturday night: no shift
	assert not is_working(NIGHT_SHIFT, sh(2026, 10, 19, 2, 0))  # Monday 02:00 = Sunday's (absent) shift
	assert is_working(NIGHT_SHIFT, sh(2026, 10, 19, 22, 0))


def test_past_midnight_window_on_holiday_is_cancelled_entirely() -> None:
	cal = Calendar(NIGHT_SHIFT.windows, "Asia/Shanghai", holidays=frozenset({date(2026, 10, 16)}))
	assert not is_working(cal, sh(2026, 10, 16, 23, 0))
	assert not is_working(cal, sh(2026, 10, 17, 3, 0))
	assert is_working(cal, sh(2026, 10, 16, 3, 0))  # Thursday's shift still runs into the holiday


def test_add_across_night_shifts() -> None:
	# Friday 05:00 is in Thursday's shift: 1 h until 06:00, then 2 h of Friday's shift.
	assert add_working_time(NIGHT_SHIFT, sh(2026, 10, 16, 5, 0), 3 * HOURS) == sh(2026, 10, 17, 0, 0)


# --- DST ------------------------------------------------------------------------------------------


def test_new_york_spring_forward_counts_real_hours() -> None:
	cal = sunday_only("America/New_York", "01:00", "04:00")
	day = (datetime(2026, 3, 8, tzinfo=NEW_YORK), datetime(2026, 3, 9, tzinfo=NEW_YORK))
	assert working_time_between(cal, *day) == 2 * HOURS
	assert instant(add_working_time(cal, utc(2026, 3, 8, 6, 0), 1.5 * HOURS)) == utc(2026, 3, 8, 7, 30)


def test_new_york_window_boundaries_inside_gap_snap_to_transition() -> None:
	starts_in_gap = sunday_only("America/New_York", "02:30", "04:00")
	assert instant(next_working_instant(starts_in_gap, utc(2026, 3, 8, 0, 0))) == utc(2026, 3, 8, 7, 0)
	assert working_time_between(starts_in_gap, utc(2026, 3, 8), utc(2026, 3, 9)) == HOURS
	ends_in_gap = sunday_only("America/New_York", "01:30", "02:30")
	assert working_time_between(ends_in_gap, utc(2026, 3, 8), utc(2026, 3, 9)) == 0.5 * HOURS
	assert not is_working(ends_in_gap, utc(2026, 3, 8, 7, 0))


def test_new_york_fall_back_counts_repeated_hour_twice() -> None:
	cal = sunday_only("America/New_York", "00:00", "03:00")
	assert working_time_between(cal, utc(2026, 11, 1), utc(2026, 11, 2)) == 4 * HOURS


def test_new_york_window_inside_repeated_hour_occurs_twice() -> None:
	cal = sunday_only("America/New_York", "01:00", "01:30")
	first = datetime(2026, 11, 1, 1, 15, tzinfo=NEW_YORK)
	assert is_working(cal, first)
	assert is_working(cal, first.replace(fold=1))
	assert not is_working(cal, datetime(2026, 11, 1, 1, 45, tzinfo=NEW_YORK))
	assert working_time_between(cal, utc(2026, 11, 1), utc(2026, 11, 2)) == HOURS


def test_new_york_window_starting_in_repeated_hour() -> None:
	cal = sunday_only("America/New_York", "01:30", "09:00")
	assert not is_working(cal, datetime(2026, 11, 1, 1, 15, fold=1, tzinfo=NEW_YORK))
	assert instant(next_working_instant(cal, utc(2026, 11, 1, 6, 0))) == utc(2026, 11, 1, 6, 30)
	assert working_time_between(cal, utc(2026, 11, 1), utc(2026, 11, 2)) == 8 * HOURS
	assert instant(add_working_time(cal, utc(2026, 11, 1), HOURS)) == utc(2026, 11, 1, 7, 0)


def test_london_spring_forward_window_starting_in_gap() -> None:
	cal = sunday_only("Europe/London", "01:30", "02:30")
	assert next_working_instant(cal, utc(2026, 3, 29, 0, 0)) == datetime(2026, 3, 29, 2, 0, tzinfo=LONDON)
	assert working_time_between(cal, utc(2026, 3, 29), utc(2026, 3, 30)) == 0.5 * HOURS


def test_london_fall_back_with_past_midnight_window_ending_in_overlap() -> None:
	cal = Calendar(weekly_windows([5], ("22:00", "01:30")), timezone="Europe/London")
	weekend = (utc(2026, 10, 24), utc(2026, 10, 26))
	assert working_time_between(cal, *weekend) == 4 * HOURS
	assert not is_working(cal, utc(2026, 10, 25, 0, 45))  # 01:45 BST
	assert is_working(cal, utc(2026, 10, 25, 1, 15))  # 01:15 GMT


def test_london_fall_back_whole_repeated_hour() -> None:
	cal = sunday_only("Europe/London", "01:00", "02:00")
	assert working_time_between(cal, utc(2026, 10, 25), utc(2026, 10, 26)) == 2 * HOURS


# --- errors and year boundaries -------------------------------------------------------------------


@pytest.mark.parametrize(
	"call",
	[
		lambda at: is_working(OFFICE, at),
		lambda at: next_working_instant(OFFICE, at),
		lambda at: add_working_time(OFFICE, at, HOURS),
		lambda at: working_time_between(OFFICE, at, sh(2026, 10, 12)),
		lambda at: working_time_between(OFFICE, sh(2026, 10, 12), at),
	],
)
def test_naive_datetime_raises(call: Callable[[datetime], object]) -> None:
	with pytest.raises(ValueError, match="timezone-aware"):
		call(datetime(2026, 10, 12, 9, 0))


def test_empty_calendar_raises_instead_of_looping() -> None:
	empty = Calendar(())
	with pytest.raises(ValueError, match="no working windows"):
		add_working_time(empty, utc(2026, 1, 1), HOURS)
	with pytest.raises(ValueError, match="no working windows"):
		next_working_instant(empty, utc(2026, 1, 1))
	assert not is_working(empty, utc(2026, 1, 1))
	assert working_time_between(empty, utc(2026, 1, 1), utc(2027, 1, 1)) == timedelta(0)


def test_all_holiday_horizon_raises() -> None:
	first = date(2026, 1, 1)
	every_day = frozenset(first + timedelta(days=n) for n in range(12 * 366))
	cal = Calendar(OFFICE_WINDOWS, "Asia/Shanghai", holidays=every_day)
	with pytest.raises(ValueError, match="no working time within"):
		add_working_time(cal, sh(2026, 1, 1), HOURS)
	with pytest.raises(ValueError, match="no working time within"):
		next_working_instant(cal, sh(2026, 1, 1))


@pytest.mark.parametrize(
	"build",
	[
		lambda: WorkingWindow(7, time(8), time(9)),
		lambda: WorkingWindow(0, time(8), time(8)),
		lambda: Calendar(OFFICE_WINDOWS, timezone="Mars/Olympus_Mons"),
		lambda: Calendar(OFFICE_WINDOWS, make_up_weekday=7),
	],
)
def test_invalid_configuration_raises(build: Callable[[], object]) -> None:
	with pytest.raises(ValueError):
		build()


def test_weekly_windows_accepts_midnight_end_alias() -> None:
	(window,) = weekly_windows([0], ("18:00", "24:00"))
	cal = Calendar((window,))
	assert working_time_between(cal, utc(2026, 10, 12), utc(2026, 10, 13)) == 6 * HOURS


def test_calendar_is_hashable_and_normalises_collections() -> None:
	cal = Calendar(list(OFFICE_WINDOWS), "Asia/Shanghai", {date(2026, 10, 1)})  # type: ignore[arg-type]
	same = Calendar(OFFICE_WINDOWS, "Asia/Shanghai", frozenset({date(2026, 10, 1)}))
	assert cal == same
	assert hash(cal) == hash(same)


def test_calendar_survives_pickling_with_consistent_hash() -> None:
	clone = pickle.loads(pickle.dumps(OFFICE))
	assert clone == OFFICE
	assert hash(clone) == hash(OFFICE)
	assert add_working_time(clone, sh(2026, 9, 30, 17, 0), 2 * HOURS) == sh(2026, 10, 8, 10, 0)


def test_cache_extends_across_year_boundary() -> None:
	office = Calendar(OFFICE_WINDOWS, "Asia/Shanghai", holidays=frozenset({date(2027, 1, 1)}))
	# Thursday 2026-12-31 17:00 + 2 h: 0.5 h left in 2026, then Monday 2027-01-04 (Friday 1 Jan is a holiday).
	end = add_working_time(office, sh(2026, 12, 31, 17, 0), 2 * HOURS)
	assert end == sh(2027, 1, 4, 10, 0)
	assert working_time_between(office, sh(2026, 12, 31, 17, 0), end) == 2 * HOURS
	# A night shift straddling the UTC year boundary is split between two cached years.
	night = Calendar(weekly_windows([3], ("22:00", "06:00")))
	assert is_working(night, utc(2027, 1, 1, 0, 0))
	assert next_working_instant(night, utc(2027, 1, 1, 0, 0)) == utc(2027, 1, 1, 0, 0)
	assert add_working_time(night, utc(2026, 12, 31, 23, 0), 2 * HOURS) == utc(2027, 1, 1, 1, 0)
	assert add_working_time(night, utc(2026, 12, 31, 23, 0), 8 * HOURS) == utc(2027, 1, 7, 23, 0)
	assert working_time_between(night, utc(2026, 12, 31, 23, 0), utc(2027, 1, 1, 1, 0)) == 2 * HOURS


def test_between_over_several_years_sums_years() -> None:
	years = [sh(year, 1, 1) for year in range(2026, 2030)]
	parts = [working_time_between(OFFICE, a, b) for a, b in pairwise(years)]
	assert working_time_between(OFFICE, years[0], years[-1]) == sum(parts, timedelta(0))


# --- brute-force oracle ---------------------------------------------------------------------------
# Independent of the implementation: decides each UTC minute with the wall-time definition.

ORACLE_LIMIT_MINUTES = 40 * 24 * 60


def oracle_windows_of(cal: Calendar, day: date) -> list[WorkingWindow]:
	if day in cal.holidays:
		return []
	make_up = day in cal.extra_working_days
	return [
		w for w in cal.windows if w.weekday == day.weekday() or (make_up and w.weekday == cal.make_up_weekday)
	]


def oracle_is_working(cal: Calendar, moment: datetime) -> bool:
	wall = moment.astimezone(ZoneInfo(cal.timezone))
	today, now = wall.date(), wall.time()
	for w in oracle_windows_of(cal, today):
		if (w.start <= now < w.end) if w.start < w.end else now >= w.start:
			return True
	return any(w.end <= w.start and now < w.end for w in oracle_windows_of(cal, today - timedelta(days=1)))


def oracle_minutes(start: datetime, limit: int = ORACLE_LIMIT_MINUTES) -> Iterator[datetime]:
	return (start + k * MINUTE for k in range(limit))


def oracle_between(cal: Calendar, start: datetime, end: datetime) -> timedelta:
	if end < start:
		return -oracle_between(cal, end, start)
	count = (end - start) // MINUTE
	return sum((MINUTE for m in oracle_minutes(start, count) if oracle_is_working(cal, m)), timedelta(0))


def oracle_add(cal: Calendar, start: datetime, minutes: int) -> datetime | None:
	"""Earliest instant with `minutes` working minutes since start, or None beyond the walk limit."""
	if minutes == 0:
		return start
	for minute in oracle_minutes(start):
		if oracle_is_working(cal, minute):
			minutes -= 1
			if minutes == 0:
				return minute + MINUTE
	return None


def oracle_next(cal: Calendar, start: datetime) -> datetime | None:
	return next((m for m in oracle_minutes(start) if oracle_is_working(cal, m)), None)


# --- hypothesis strategies ------------------------------------------------------------------------

TIMEZONES = ["UTC", "Asia/Shanghai", "America/New_York", "Europe/London", "Australia/Lord_Howe"]
TRANSITIONS_UTC = [
	utc(2026, 3, 8, 7),  # New York spring forward
	utc(2026, 11, 1, 6),  # New York fall back
	utc(2027, 3, 14, 7),
	utc(2027, 11, 7, 6),
	utc(2026, 3, 29, 1),  # London
	utc(2026, 10, 25, 1),
	utc(2027, 3, 28, 1),
	utc(2027, 10, 31, 1),
	utc(2026, 4, 4, 15),  # Lord Howe (30-minute DST)
	utc(2026, 10, 3, 15, 30),
	utc(2027, 4, 3, 15),
	utc(2027, 10, 2, 15, 30),
	utc(2026, 12, 31, 12),  # UTC year boundary
	utc(2027, 12, 31, 12),
]
# Wall minutes on which DST transitions happen in the zones above, to put window boundaries in gaps/overlaps.
SPECIAL_WALL_MINUTES = [0, 60, 90, 105, 120, 135, 150, 180, 1380, 1410]
YEAR_MINUTES = (utc(2028, 1, 1) - utc(2026, 1, 1)) // MINUTE


def minute_of_day(minute: int) -> time:
	return time(minute // 60, minute % 60)


wall_minutes = st.one_of(st.sampled_from(SPECIAL_WALL_MINUTES), st.integers(0, 1439))


def to_window(weekday: int, start: int, end: int) -> WorkingWindow:
	"""Whole-minute window; an empty draw (start == end) becomes a one-hour window instead of being rejected."""
	return WorkingWindow(
		weekday, minute_of_day(start), minute_of_day(end if end != start else (start + 60) % 1440)
	)


# 1-12 windows on random weekdays (so typically 1-3 per working weekday), many of them past midnight.
windows_strategy = st.lists(
	st.builds(to_window, st.integers(0, 6), wall_minutes, wall_minutes), min_size=1, max_size=12
)


@st.composite
def instants(draw: st.DrawFn) -> datetime:
	"""Whole-minute UTC instants in 2026-2027, often within days of a DST transition or year boundary."""
	anchor = draw(st.one_of(st.none(), st.sampled_from(TRANSITIONS_UTC)))
	if anchor is None:
		return utc(2026, 1, 1) + draw(st.integers(0, YEAR_MINUTES - 1)) * MINUTE
	return anchor + draw(st.integers(-4 * 24 * 60, 4 * 24 * 60)) * MINUTE


@st.composite
def scenarios(draw: st.DrawFn) -> tuple[Calendar, datetime]:
	start = draw(instants())
	near = st.lists(st.integers(-3, 35).map(lambda n: start.date() + timedelta(days=n)), max_size=8)
	cal = Calendar(
		tuple(draw(windows_strategy)),
		timezone=draw(st.sampled_from(TIMEZONES)),
		holidays=frozenset(draw(near)),
		extra_working_days=frozenset(draw(near)),
		make_up_weekday=draw(st.integers(0, 6)),
	)
	return cal, start


THREE_WORK_WEEKS_MINUTES = 3 * 5 * 8 * 60
THREE_WORK_WEEKS_US = THREE_WORK_WEEKS_MINUTES * 60 * 1_000_000
durations_minutes = st.one_of(st.integers(0, 8 * 60), st.integers(0, THREE_WORK_WEEKS_MINUTES))


def examples(count: int) -> settings:
	"""Oracle walks are slow by design: no deadline, and no example database written into the checkout."""
	return settings(
		max_examples=count, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow]
	)


@examples(150)
@given(scenarios(), st.integers(0, 59))
def test_is_working_matches_oracle(scenario: tuple[Calendar, datetime], second: int) -> None:
	cal, start = scenario
	assert is_working(cal, start + timedelta(seconds=second)) == oracle_is_working(cal, start)


@examples(60)
@given(scenarios())
def test_next_working_instant_matches_oracle(scenario: tuple[Calendar, datetime]) -> None:
	cal, start = scenario
	expected = oracle_next(cal, start)
	result = next_working_instant(cal, start)
	assert result.tzinfo == ZoneInfo(cal.timezone)
	if expected is None:
		assert result >= start + ORACLE_LIMIT_MINUTES * MINUTE
	else:
		assert instant(result) == expected


@examples(40)
@given(scenarios(), st.integers(-20 * 24 * 60, 20 * 24 * 60))
def test_working_time_between_matches_oracle(scenario: tuple[Calendar, datetime], minutes: int) -> None:
	cal, start = scenario
	end = start + minutes * MINUTE
	assert working_time_between(cal, start, end) == oracle_between(cal, start, end)


@examples(40)
@given(scenarios(), durations_minutes)
def test_add_working_time_matches_oracle(scenario: tuple[Calendar, datetime], minutes: int) -> None:
	cal, start = scenario
	expected = oracle_add(cal, start, minutes)
	result = add_working_time(cal, start, minutes * MINUTE)
	assert result.tzinfo == ZoneInfo(cal.timezone)
	if expected is None:
		assert result > start + ORACLE_LIMIT_MINUTES * MINUTE
	else:
		assert instant(result) == expected


@examples(100)
@given(scenarios(), st.integers(0, 59_999_999), st.integers(0, THREE_WORK_WEEKS_US))
def test_between_inverts_add_with_microseconds(
	scenario: tuple[Calendar, datetime], jitter: int, us: int
) -> None:
	cal, start = scenario
	start += timedelta(microseconds=jitter)
	duration = timedelta(microseconds=us)
	end = add_working_time(cal, start, duration)
	assert end >= start
	assert working_time_between(cal, start, end) == duration
	assert working_time_between(cal, end, start) == -duration


@examples(100)
@given(scenarios(), st.integers(0, THREE_WORK_WEEKS_US), st.integers(0, THREE_WORK_WEEKS_US))
def test_add_is_monotonic_in_duration(scenario: tuple[Calendar, datetime], a: int, b: int) -> None:
	cal, start = scenario
	small, large = sorted((timedelta(microseconds=a), timedelta(microseconds=b)))
	# Compared in UTC: same-zone comparison of aware datetimes ignores fold during the repeated hour.
	early, late = instant(add_working_time(cal, start, small)), instant(add_working_time(cal, start, large))
	assert early <= late
	if small < large:
		assert early < late


@examples(40)
@given(scenarios(), durations_minutes)
def test_add_working_time_from_the_calendars_own_zone_matches_oracle(
	scenario: tuple[Calendar, datetime], minutes: int
) -> None:
	"""A start in the calendar's own zone object (what the SLA engine passes) may take the wall path."""
	cal, start = scenario
	expected = oracle_add(cal, start, minutes)
	result = add_working_time(cal, start.astimezone(ZoneInfo(cal.timezone)), minutes * MINUTE)
	assert result.tzinfo == ZoneInfo(cal.timezone)
	if expected is None:
		assert result > start + ORACLE_LIMIT_MINUTES * MINUTE
	else:
		assert instant(result) == expected
