"""Tests for SLA timers: hand-written office scenarios on the Chinese calendar plus properties."""

from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from complaint_handling.domain.calendar import Calendar, is_working, weekly_windows, working_time_between
from complaint_handling.domain.routing import (
	CUSTOMER_REPLY,
	DIRECTOR_REPORT,
	FIRST_RESPONSE,
	GENERAL_MANAGER,
	MARKETING_DIRECTOR,
	MEMO_DISPATCH,
	REGION_MANAGER,
	RESOLUTION,
)
from complaint_handling.domain.service_levels import (
	BREACHED,
	ON_TRACK,
	STATUSES,
	WARNING,
	ComplaintScope,
	Deadline,
	PolicyScope,
	Timer,
	deadline,
	escalation_at,
	escalation_level,
	escalation_party,
	overdue_by,
	pause_length,
	policy_applies,
	select_policy,
	specificity,
	start_instant,
	status,
)

UTC = timezone.utc
SHANGHAI = ZoneInfo("Asia/Shanghai")
NEW_YORK = ZoneInfo("America/New_York")
OFFICE = Calendar(
	weekly_windows(range(5), ("08:30", "12:00"), ("13:30", "17:30")),
	timezone="Asia/Shanghai",
	holidays=frozenset(date(2026, 10, day) for day in range(1, 8)),  # National Day
	extra_working_days=frozenset({date(2026, 10, 10)}),  # make-up working Saturday
)
NY_OFFICE = Calendar(weekly_windows(range(5), ("09:00", "17:00")), timezone="America/New_York")
HOURS = timedelta(hours=1)
MINUTES = timedelta(minutes=1)
US = timedelta(microseconds=1)
CHAIN = (REGION_MANAGER, MARKETING_DIRECTOR, GENERAL_MANAGER)

MEMO = Timer(MEMO_DISPATCH, 2 * HOURS, working_time=True, escalation=CHAIN)
WORKING_DAY = Timer(DIRECTOR_REPORT, timedelta(hours=7.5), working_time=True)  # one day on OFFICE
REPLY_24H = Timer(CUSTOMER_REPLY, 24 * HOURS, working_time=False)
FIRST_REPLY = Timer(FIRST_RESPONSE, 2 * HOURS, working_time=False)
RESOLVE = Timer(RESOLUTION, timedelta(days=15), working_time=False, escalation=CHAIN)


def sh(*args: int) -> datetime:
	return datetime(*args, tzinfo=SHANGHAI)


def ny(*args: int, fold: int = 0) -> datetime:
	return datetime(*args, tzinfo=NEW_YORK, fold=fold)


def examples(count: int) -> settings:
	"""Fast enough for every run, and no example database written into the checkout."""
	return settings(max_examples=count, deadline=None, database=None)


# --- deadlines on the Chinese office calendar ----------------------------------------------------


def test_memo_received_friday_afternoon_is_due_monday_morning() -> None:
	d = deadline(OFFICE, MEMO, sh(2026, 10, 16, 17, 0))
	assert d == Deadline(sh(2026, 10, 16, 17, 0), sh(2026, 10, 19, 9, 36), sh(2026, 10, 19, 10, 0))


def test_memo_received_on_saturday_starts_monday_at_opening() -> None:
	saturday = sh(2026, 10, 17, 10, 0)
	assert start_instant(OFFICE, MEMO, saturday) == sh(2026, 10, 19, 8, 30)
	d = deadline(OFFICE, MEMO, saturday)
	assert (d.started_at, d.warn_at, d.due_at) == (
		sh(2026, 10, 19, 8, 30),
		sh(2026, 10, 19, 10, 6),
		sh(2026, 10, 19, 10, 30),
	)


def test_received_in_lunch_break_starts_after_lunch() -> None:
	assert start_instant(OFFICE, MEMO, sh(2026, 10, 12, 12, 15)) == sh(2026, 10, 12, 13, 30)


def test_working_day_report_skips_national_day_holidays() -> None:
	d = deadline(OFFICE, WORKING_DAY, sh(2026, 9, 30, 17, 0))
	assert d.due_at == sh(2026, 10, 8, 17, 0)


def test_make_up_saturday_counts_as_working_time() -> None:
	assert deadline(OFFICE, MEMO, sh(2026, 10, 9, 17, 0)).due_at == sh(2026, 10, 10, 10, 0)


def test_warning_at_80_percent_of_two_working_hours_skips_lunch() -> None:
	d = deadline(OFFICE, MEMO, sh(2026, 10, 12, 11, 0))
	assert (d.warn_at, d.due_at) == (sh(2026, 10, 12, 14, 6), sh(2026, 10, 12, 14, 30))
	assert working_time_between(OFFICE, d.started_at, d.warn_at) == 96 * MINUTES


def test_clock_24_hour_reply_ignores_weekends() -> None:
	d = deadline(OFFICE, REPLY_24H, sh(2026, 10, 16, 17, 0))
	assert d == Deadline(sh(2026, 10, 16, 17, 0), sh(2026, 10, 17, 12, 12), sh(2026, 10, 17, 17, 0))


def test_clock_first_reply_starts_at_the_event_even_on_saturday() -> None:
	saturday = sh(2026, 10, 17, 10, 0)
	assert not is_working(OFFICE, saturday)
	d = deadline(OFFICE, FIRST_REPLY, saturday)
	assert (d.started_at, d.warn_at, d.due_at) == (
		saturday,
		sh(2026, 10, 17, 11, 36),
		sh(2026, 10, 17, 12, 0),
	)


def test_resolution_within_15_days_runs_through_holidays() -> None:
	d = deadline(OFFICE, RESOLVE, sh(2026, 9, 30, 10, 0))
	assert (d.warn_at, d.due_at) == (sh(2026, 10, 12, 10, 0), sh(2026, 10, 15, 10, 0))


def test_clock_timer_results_are_in_the_calendar_zone() -> None:
	d = deadline(OFFICE, FIRST_REPLY, datetime(2026, 10, 16, 1, 0, tzinfo=UTC))
	assert d.due_at.tzinfo == SHANGHAI and d.due_at == sh(2026, 10, 16, 11, 0)


def test_warning_offset_is_rounded_down_to_whole_seconds() -> None:
	start = sh(2026, 10, 12, 9, 0)
	odd = Timer("t", timedelta(seconds=61), working_time=False)
	assert deadline(OFFICE, odd, start).warn_at == start + timedelta(seconds=48)  # 48.8 s
	# 0.7 is stored as 0.6999…; the product is taken to the microsecond first, so 7 s and not 6 s.
	tenth = Timer("t", timedelta(seconds=10), working_time=False, warn_at=0.7)
	assert deadline(OFFICE, tenth, start).warn_at == start + timedelta(seconds=7)
	third = Timer("t", HOURS, working_time=True, warn_at=1 / 3)
	assert deadline(OFFICE, third, start).warn_at == sh(2026, 10, 12, 9, 20)


def test_warn_at_one_means_warning_and_breach_coincide() -> None:
	d = deadline(OFFICE, Timer("t", HOURS, working_time=True, warn_at=1), sh(2026, 10, 12, 9, 0))
	assert d.warn_at == d.due_at == sh(2026, 10, 12, 10, 0)
	assert status(d, d.due_at - US) == ON_TRACK and status(d, d.due_at) == BREACHED


def test_clock_24_hours_are_real_hours_across_daylight_saving() -> None:
	spring = deadline(NY_OFFICE, REPLY_24H, ny(2026, 3, 7, 12, 0))
	assert spring.due_at == ny(2026, 3, 8, 13, 0)  # EST -> EDT: the wall clock jumps an hour
	assert spring.due_at - spring.started_at.astimezone(UTC) == 24 * HOURS


def test_status_uses_real_instants_in_the_repeated_hour() -> None:
	d = deadline(NY_OFFICE, Timer("t", 2 * HOURS, working_time=False), ny(2026, 11, 1, 0, 30))
	assert d.due_at == ny(2026, 11, 1, 1, 30, fold=1)  # the second 01:30, in EST
	assert status(d, ny(2026, 11, 1, 1, 45)) != BREACHED  # 01:45 EDT comes before 01:30 EST
	assert status(d, ny(2026, 11, 1, 1, 30, fold=1)) == BREACHED


# --- pauses --------------------------------------------------------------------------------------


def test_pause_over_a_weekend_counts_only_working_time() -> None:
	since, resumed = sh(2026, 10, 16, 16, 30), sh(2026, 10, 19, 9, 0)
	assert pause_length(OFFICE, MEMO, since, resumed) == 90 * MINUTES
	assert pause_length(OFFICE, REPLY_24H, since, resumed) == timedelta(hours=64, minutes=30)


def test_pause_pushes_a_working_deadline_back_in_working_time() -> None:
	event = sh(2026, 10, 16, 16, 0)
	assert deadline(OFFICE, MEMO, event).due_at == sh(2026, 10, 19, 9, 0)
	paused = pause_length(OFFICE, MEMO, sh(2026, 10, 16, 16, 30), sh(2026, 10, 19, 9, 0))
	d = deadline(OFFICE, MEMO, event, paused)
	assert d.due_at == sh(2026, 10, 19, 10, 30)
	assert d.warn_at == sh(2026, 10, 19, 10, 6)


def test_pause_is_never_negative() -> None:
	assert pause_length(OFFICE, MEMO, sh(2026, 10, 19, 9, 0), sh(2026, 10, 16, 16, 0)) == timedelta(0)
	assert pause_length(OFFICE, REPLY_24H, sh(2026, 10, 19, 9, 0), sh(2026, 10, 16, 16, 0)) == timedelta(0)


def test_negative_pause_is_rejected() -> None:
	with pytest.raises(ValueError, match="paused"):
		deadline(OFFICE, MEMO, sh(2026, 10, 12, 9, 0), -MINUTES)


# --- status and escalation -----------------------------------------------------------------------


def test_status_transitions() -> None:
	d = deadline(OFFICE, MEMO, sh(2026, 10, 12, 8, 30))  # warn 10:06, due 10:30
	assert status(d, sh(2026, 10, 12, 8, 0)) == ON_TRACK
	assert status(d, sh(2026, 10, 12, 10, 5, 59)) == ON_TRACK
	assert status(d, sh(2026, 10, 12, 10, 6)) == WARNING
	assert status(d, sh(2026, 10, 12, 10, 29, 59)) == WARNING
	assert status(d, sh(2026, 10, 12, 10, 30)) == BREACHED
	assert status(d, datetime(2026, 10, 12, 2, 30, tzinfo=UTC)) == BREACHED  # 10:30 Shanghai
	assert STATUSES == (ON_TRACK, WARNING, BREACHED)


def test_escalation_climbs_one_level_per_further_working_period() -> None:
	d = deadline(OFFICE, MEMO, sh(2026, 10, 12, 8, 30))  # due 10:30
	expected = [
		(sh(2026, 10, 12, 10, 30) - US, 0),
		(sh(2026, 10, 12, 10, 30), 1),
		(sh(2026, 10, 12, 13, 59, 59), 1),  # 10:30-12:00 and 13:30-13:59:59: under 2 working hours
		(sh(2026, 10, 12, 14, 0), 2),
		(sh(2026, 10, 12, 16, 0), 3),
		(sh(2026, 10, 13, 12, 0), 3),  # capped at the chain's length
		(sh(2027, 6, 1, 12, 0), 3),
	]
	assert [(now, escalation_level(OFFICE, MEMO, d, now)) for now, _ in expected] == expected
	assert [escalation_at(OFFICE, MEMO, d, n) for n in (1, 2, 3)] == [
		sh(2026, 10, 12, 10, 30),
		sh(2026, 10, 12, 14, 0),
		sh(2026, 10, 12, 16, 0),
	]


def test_working_escalation_pauses_over_the_weekend() -> None:
	d = deadline(OFFICE, MEMO, sh(2026, 10, 16, 15, 0))  # due Friday 17:00
	assert d.due_at == sh(2026, 10, 16, 17, 0)
	assert escalation_level(OFFICE, MEMO, d, sh(2026, 10, 18, 20, 0)) == 1
	assert escalation_at(OFFICE, MEMO, d, 2) == sh(2026, 10, 19, 10, 0)
	assert escalation_level(OFFICE, MEMO, d, sh(2026, 10, 19, 10, 0)) == 2


def test_clock_escalation_with_its_own_interval() -> None:
	parties = ("Handler", REGION_MANAGER, MARKETING_DIRECTOR, GENERAL_MANAGER)
	timer = Timer(
		FIRST_RESPONSE, 2 * HOURS, working_time=False, escalation=parties, escalate_every=30 * MINUTES
	)
	d = deadline(OFFICE, timer, sh(2026, 10, 17, 10, 0))  # Saturday; due 12:00
	assert [escalation_level(OFFICE, timer, d, sh(2026, 10, 17, 12, m)) for m in (0, 29, 30, 59)] == [
		1,
		1,
		2,
		2,
	]
	assert escalation_level(OFFICE, timer, d, sh(2026, 10, 17, 13, 30)) == 4
	assert escalation_at(OFFICE, timer, d, 4) == sh(2026, 10, 17, 13, 30)
	assert escalation_party(timer, 0) is None
	assert [escalation_party(timer, n) for n in (1, 4, 9)] == ["Handler", GENERAL_MANAGER, GENERAL_MANAGER]


@pytest.mark.parametrize(
	"timer", [MEMO, RESOLVE, Timer("t", HOURS, working_time=True, escalate_every=HOURS / 3)]
)
def test_escalation_at_is_consistent_with_escalation_level(timer: Timer) -> None:
	d = deadline(OFFICE, timer, sh(2026, 9, 30, 11, 0))
	for level in range(1, len(timer.escalation) + 1):
		at = escalation_at(OFFICE, timer, d, level)
		assert escalation_level(OFFICE, timer, d, at) == level
		assert escalation_level(OFFICE, timer, d, at - US) == level - 1


def test_empty_chain_still_reports_level_one_once_due() -> None:
	d = deadline(OFFICE, FIRST_REPLY, sh(2026, 10, 12, 9, 0))
	assert escalation_level(OFFICE, FIRST_REPLY, d, sh(2026, 10, 12, 10, 59)) == 0
	assert escalation_level(OFFICE, FIRST_REPLY, d, sh(2026, 10, 12, 11, 0)) == 1
	assert escalation_level(OFFICE, FIRST_REPLY, d, sh(2026, 12, 31, 11, 0)) == 1
	assert escalation_at(OFFICE, FIRST_REPLY, d, 1) == d.due_at
	assert escalation_party(FIRST_REPLY, 1) is None


@pytest.mark.parametrize("level", [0, 4, -1, True, 2.0])
def test_escalation_at_rejects_levels_never_reached(level: object) -> None:
	d = deadline(OFFICE, MEMO, sh(2026, 10, 12, 9, 0))
	with pytest.raises(ValueError, match="level"):
		escalation_at(OFFICE, MEMO, d, level)  # type: ignore[arg-type]


def test_overdue_by_counts_working_or_clock_time() -> None:
	working = deadline(OFFICE, MEMO, sh(2026, 10, 12, 8, 30))  # due 10:30
	assert overdue_by(OFFICE, MEMO, working, sh(2026, 10, 12, 10, 0)) == timedelta(0)
	assert overdue_by(OFFICE, MEMO, working, sh(2026, 10, 12, 14, 0)) == 2 * HOURS
	assert overdue_by(OFFICE, FIRST_REPLY, working, sh(2026, 10, 12, 14, 0)) == timedelta(hours=3.5)
	friday = deadline(OFFICE, MEMO, sh(2026, 10, 16, 15, 0))  # due Friday 17:00
	assert overdue_by(OFFICE, MEMO, friday, sh(2026, 10, 19, 9, 0)) == HOURS


# --- validation ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
	"kwargs, field",
	[
		({"allowed": timedelta(0)}, "allowed"),
		({"allowed": -HOURS}, "allowed"),
		({"warn_at": 0}, "warn_at"),
		({"warn_at": 1.01}, "warn_at"),
		({"warn_at": float("nan")}, "warn_at"),
		({"warn_at": True}, "warn_at"),
		({"escalate_every": timedelta(0)}, "escalate_every"),
		({"escalate_every": -MINUTES}, "escalate_every"),
		({"key": ""}, "key"),
		({"escalation": "Region Manager"}, "escalation"),
		({"escalation": ("Region Manager", "")}, "escalation"),
		({"working_time": 1}, "working_time"),
	],
)
def test_timer_validation_names_the_field(kwargs: dict, field: str) -> None:
	values = {"key": "t", "allowed": HOURS, "working_time": True, **kwargs}
	with pytest.raises(ValueError, match=field):
		Timer(**values)


def test_timer_escalation_list_is_frozen_into_a_tuple() -> None:
	assert Timer("t", HOURS, working_time=True, escalation=[REGION_MANAGER]).escalation == (REGION_MANAGER,)  # type: ignore[arg-type]


def test_naive_datetimes_are_rejected() -> None:
	naive = datetime(2026, 10, 12, 9, 0)
	d = deadline(OFFICE, MEMO, sh(2026, 10, 12, 9, 0))
	for timer in (MEMO, FIRST_REPLY):
		with pytest.raises(ValueError, match="timezone-aware"):
			deadline(OFFICE, timer, naive)
		with pytest.raises(ValueError, match="timezone-aware"):
			pause_length(OFFICE, timer, naive, sh(2026, 10, 12, 9, 0))
		with pytest.raises(ValueError, match="timezone-aware"):
			escalation_level(OFFICE, timer, d, naive)
		with pytest.raises(ValueError, match="timezone-aware"):
			overdue_by(OFFICE, timer, d, naive)
	with pytest.raises(ValueError, match="timezone-aware"):
		status(d, naive)
	with pytest.raises(ValueError, match="due_at"):
		Deadline(d.started_at, d.warn_at, naive)


def test_deadline_instants_must_be_in_order() -> None:
	with pytest.raises(ValueError, match="started_at <= warn_at <= due_at"):
		Deadline(sh(2026, 10, 12, 10, 0), sh(2026, 10, 12, 9, 0), sh(2026, 10, 12, 11, 0))


# --- policy selection ----------------------------------------------------------------------------

QUALITY_VIP = ComplaintScope("Product Quality", "Urgent", True, "Distributor", "East China")


def test_most_specific_policy_wins() -> None:
	policies = [
		PolicyScope("Default"),
		PolicyScope("Quality", category="Product Quality"),
		PolicyScope("Quality Urgent", category="Product Quality", severity="Urgent"),
		PolicyScope("VIP", is_vip=True, priority=100),
	]
	assert select_policy(policies, QUALITY_VIP) == "Quality Urgent"
	assert specificity(policies[2]) == 2 and specificity(policies[0]) == 0


def test_priority_breaks_ties_among_equally_specific() -> None:
	policies = [
		PolicyScope("Quality", category="Product Quality"),
		PolicyScope("VIP", is_vip=True, priority=5),
	]
	assert select_policy(policies, QUALITY_VIP) == "VIP"


def test_name_breaks_remaining_ties() -> None:
	policies = [
		PolicyScope("b East", territory="East China"),
		PolicyScope("a Distributor", customer_group="Distributor"),
	]
	assert select_policy(policies, QUALITY_VIP) == "a Distributor"
	assert select_policy(reversed(policies), QUALITY_VIP) == "a Distributor"


def test_none_criteria_match_anything_and_set_ones_must_equal() -> None:
	standard = ComplaintScope("Product Quality", "General", False, None, None)
	vip_only = PolicyScope("VIP", is_vip=True)
	not_vip = PolicyScope("Standard", is_vip=False)
	east = PolicyScope("East", territory="East China")
	assert not policy_applies(vip_only, standard)
	assert policy_applies(not_vip, standard)
	assert not policy_applies(east, standard)  # the complaint has no territory
	assert select_policy([vip_only, not_vip, east], standard) == "Standard"


def test_no_applicable_policy() -> None:
	assert select_policy([], QUALITY_VIP) is None
	assert select_policy([PolicyScope("Staff", category="Staff Conduct")], QUALITY_VIP) is None


def test_blank_form_values_count_as_unset() -> None:
	policy = PolicyScope("Blank", category="", territory="  ", is_vip=0)
	assert (policy.category, policy.territory, policy.is_vip) == (None, None, False)
	complaint = ComplaintScope("", None, 1, "", "East China")  # type: ignore[arg-type]
	assert (complaint.category, complaint.is_vip, complaint.customer_group) == (None, True, None)
	assert select_policy([PolicyScope("Quality", category="Product Quality")], complaint) is None


@pytest.mark.parametrize(
	"kwargs, field",
	[
		({"name": ""}, "name"),
		({"priority": 1.5}, "priority"),
		({"priority": True}, "priority"),
		({"is_vip": 2}, "is_vip"),
	],
)
def test_policy_scope_validation(kwargs: dict, field: str) -> None:
	with pytest.raises(ValueError, match=field):
		PolicyScope(**{"name": "p", **kwargs})


# --- properties ----------------------------------------------------------------------------------

calendars = st.sampled_from([OFFICE, NY_OFFICE])
events = st.datetimes(
	min_value=datetime(2026, 1, 1),
	max_value=datetime(2027, 6, 30),
	timezones=st.sampled_from([SHANGHAI, NEW_YORK, UTC]),
)
durations = st.integers(min_value=1, max_value=5 * 24 * 60).map(lambda m: timedelta(minutes=m))
offsets = st.integers(min_value=-2 * 24 * 3600, max_value=60 * 24 * 3600).map(lambda s: timedelta(seconds=s))
timers = st.builds(
	Timer,
	key=st.just("t"),
	allowed=durations,
	working_time=st.booleans(),
	warn_at=st.floats(min_value=0, max_value=1, exclude_min=True),
	escalation=st.lists(st.sampled_from(CHAIN), max_size=4).map(tuple),
	escalate_every=st.none() | durations,
)
pauses = st.integers(min_value=0, max_value=3 * 24 * 60).map(lambda m: timedelta(minutes=m))


def utc(value: datetime) -> datetime:
	return value.astimezone(UTC)


@examples(120)
@given(calendars, timers, events, pauses)
def test_due_after_warn_after_start(cal: Calendar, timer: Timer, event: datetime, paused: timedelta) -> None:
	d = deadline(cal, timer, event, paused)
	assert utc(event) <= utc(d.started_at) <= utc(d.warn_at) <= utc(d.due_at)
	if timer.working_time:
		assert is_working(cal, d.started_at)
		assert working_time_between(cal, d.started_at, d.due_at) == timer.allowed + paused
	else:
		assert utc(d.due_at) - utc(d.started_at) == timer.allowed + paused


@examples(100)
@given(calendars, timers, events, st.lists(offsets, min_size=2, max_size=8))
def test_status_and_escalation_never_go_back(
	cal: Calendar, timer: Timer, event: datetime, deltas: list[timedelta]
) -> None:
	d = deadline(cal, timer, event)
	# later instants, counted in UTC: wall arithmetic from a time in a DST gap could step back in time
	nows = [event.astimezone(timezone.utc) + delta for delta in sorted(deltas)]
	ranks = [STATUSES.index(status(d, now)) for now in nows]
	levels = [escalation_level(cal, timer, d, now) for now in nows]
	assert ranks == sorted(ranks) and levels == sorted(levels)
	assert all(0 <= level <= max(1, len(timer.escalation)) for level in levels)
	assert all((level > 0) == (rank == 2) for level, rank in zip(levels, ranks, strict=True))


@examples(60)
@given(calendars, timers, events)
def test_escalation_at_reaches_exactly_its_level(cal: Calendar, timer: Timer, event: datetime) -> None:
	d = deadline(cal, timer, event)
	for level in range(1, max(1, len(timer.escalation)) + 1):
		at = escalation_at(cal, timer, d, level)
		assert escalation_level(cal, timer, d, at) == level
		# one microsecond earlier as an instant: wall-clock arithmetic on an aware datetime is wrong in a
		# repeated DST hour (fold=1 minus 1 µs lands an hour earlier)
		assert escalation_level(cal, timer, d, at.astimezone(timezone.utc) - US) == level - 1


@examples(100)
@given(calendars, timers, events, pauses, pauses)
def test_more_pause_never_makes_due_earlier(
	cal: Calendar, timer: Timer, event: datetime, a: timedelta, b: timedelta
) -> None:
	less, more = deadline(cal, timer, event, min(a, b)), deadline(cal, timer, event, max(a, b))
	assert utc(less.due_at) <= utc(more.due_at) and utc(less.warn_at) <= utc(more.warn_at)


@examples(100)
@given(calendars, timers, events, offsets)
def test_pause_length_is_never_negative(
	cal: Calendar, timer: Timer, since: datetime, delta: timedelta
) -> None:
	length = pause_length(cal, timer, since, since + delta)
	assert timedelta(0) <= length <= max(utc(since + delta) - utc(since), timedelta(0))


criteria = st.none() | st.sampled_from(["A", "B"])
policy_scopes = st.builds(
	PolicyScope,
	name=st.sampled_from(["p1", "p2", "p3", "p4"]),
	category=criteria,
	severity=criteria,
	is_vip=st.none() | st.booleans(),
	customer_group=criteria,
	territory=criteria,
	priority=st.integers(min_value=-2, max_value=2),
)
complaint_scopes = st.builds(
	ComplaintScope,
	category=criteria,
	severity=criteria,
	is_vip=st.booleans(),
	customer_group=criteria,
	territory=criteria,
)


policy_lists = st.lists(policy_scopes, max_size=8).flatmap(
	lambda ps: st.tuples(st.just(ps), st.permutations(ps))
)


@examples(80)
@given(policy_lists, complaint_scopes)
def test_select_policy_ignores_input_order(
	lists: tuple[list[PolicyScope], list[PolicyScope]], complaint: ComplaintScope
) -> None:
	policies, shuffled = lists
	chosen = select_policy(policies, complaint)
	assert select_policy(shuffled, complaint) == chosen
	applicable = [p for p in policies if policy_applies(p, complaint)]
	assert (chosen is None) == (not applicable)
	if chosen is not None:
		best = max(specificity(p) for p in applicable)
		assert any(p.name == chosen and specificity(p) == best for p in applicable)
