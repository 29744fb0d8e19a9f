"""P1: calendar due-date computations per second, module vs a naive day-by-day walk, plus an oracle check.

Run from the repository root:

	python3 benchmarks/p1_calendar.py [--cases N] [--oracle-cases N] [--seed S] [--json PATH]

Three implementations of "start + duration of working time" are compared on the same random cases:

* the module, `complaint_handling.domain.calendar.add_working_time` (a year of working intervals
  expanded once per (calendar, year), queries answered by bisect);
* `naive_add_working_time`, a day-by-day walk written the way SLA code usually is (loop over local
  dates, take each date's windows, clip, subtract), DST-correct but with no caching and no precomputation;
* a minute-resolution oracle: per calendar, a boolean mask of every UTC minute decided by the wall-time
  rule (as in tests/test_calendar.py), its cumulative sum, and a search in it per case.

The exit status is non-zero when any answer disagrees.
"""

import argparse
import json
import os
import platform
import random
import statistics
import sys
import time as clock
from bisect import bisect_left
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from itertools import accumulate
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

try:
	from complaint_handling.domain import calendar as calmod
except ImportError:  # run as `python3 benchmarks/p1_calendar.py`: put the repository root on the path
	sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
	from complaint_handling.domain import calendar as calmod

from complaint_handling.domain.calendar import Calendar, WorkingWindow, add_working_time, weekly_windows

try:
	import numpy as np
except ImportError:  # the pure-Python path (bisect on an accumulated list) is used instead
	np = None

UTC = timezone.utc
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
ONE_US = timedelta(microseconds=1)
MINUTE = timedelta(minutes=1)
DAY = timedelta(days=1)
YEAR_START = datetime(2026, 1, 1, tzinfo=UTC)
YEAR_END = datetime(2027, 1, 1, tzinfo=UTC)
MAX_DURATION_MINUTES = 40 * 60
ORACLE_MARGIN_DAYS = 180  # past the last start, enough for 40 working hours on the sparsest random calendar
ZONES = ("UTC", "Asia/Shanghai", "America/New_York", "Europe/London")
# DST transitions of 2026 in the zones above (UTC); some case starts are drawn near them.
TRANSITIONS = (
	datetime(2026, 3, 8, 7, tzinfo=UTC),
	datetime(2026, 3, 29, 1, tzinfo=UTC),
	datetime(2026, 10, 25, 1, tzinfo=UTC),
	datetime(2026, 11, 1, 6, tzinfo=UTC),
)
# Wall minutes around the 01:00-03:00 transitions, so some windows start inside a gap or an overlap.
DST_EDGE_MINUTES = (0, 60, 90, 120, 150, 1380)
NAIVE_MAX_DAYS = 11 * 366

Case = tuple[Calendar, datetime, timedelta]
AddFn = Callable[[Calendar, datetime, timedelta], datetime]


# --- calendars and cases --------------------------------------------------------------------------


def office_calendar() -> Calendar:
	"""Chinese office hours with the 2026 National Day holidays and the make-up Saturday 2026-10-10."""
	return Calendar(
		weekly_windows(range(5), ("08:30", "12:00"), ("13:30", "17:30")),
		timezone="Asia/Shanghai",
		holidays=frozenset(date(2026, 10, day) for day in range(1, 8)),
		extra_working_days=frozenset({date(2026, 10, 10)}),
	)


def _wall(minute: int) -> time:
	return time(minute // 60, minute % 60)


def _random_date(rng: random.Random) -> date:
	"""A date in 2026 or the first quarter of 2027 (walks that cross the year see holidays too)."""
	return date(2026, 1, 1) + timedelta(days=rng.randrange(365 + 90))


def random_calendar(rng: random.Random) -> Calendar:
	"""1-3 whole-minute windows (2-10 h, some past midnight) each on 3-6 random weekdays, random extras."""
	windows: list[WorkingWindow] = []
	for _ in range(rng.randint(1, 3)):
		start = rng.choice(DST_EDGE_MINUTES) if rng.random() < 0.2 else rng.randrange(1440)
		end = (start + rng.randint(120, 600)) % 1440
		days = sorted(rng.sample(range(7), rng.randint(3, 6)))
		windows.extend(WorkingWindow(day, _wall(start), _wall(end)) for day in days)
	return Calendar(
		tuple(windows),
		timezone=rng.choice(ZONES),
		holidays=frozenset(_random_date(rng) for _ in range(rng.randint(0, 15))),
		extra_working_days=frozenset(_random_date(rng) for _ in range(rng.randint(0, 4))),
		make_up_weekday=rng.randrange(7),
	)


def calendar_pool(rng: random.Random, count: int) -> list[Calendar]:
	"""The office calendar followed by count - 1 random calendars."""
	return [office_calendar(), *(random_calendar(rng) for _ in range(count - 1))]


def random_start(rng: random.Random, zone: str, whole_minutes: bool) -> datetime:
	"""An aware instant in 2026 (10 % within three days of a DST transition), in UTC or the given zone."""
	if rng.random() < 0.1:
		lo, span = rng.choice(TRANSITIONS) - 3 * DAY, 6 * DAY
	else:
		lo, span = YEAR_START, YEAR_END - YEAR_START
	step = MINUTE if whole_minutes else ONE_US
	start = lo + rng.randrange(span // step) * step
	return start.astimezone(ZoneInfo(rng.choice(("UTC", zone))))


def random_cases(rng: random.Random, pool: Sequence[Calendar], count: int, whole_minutes: bool) -> list[Case]:
	"""(calendar, start, duration) with durations of 1 minute to 40 working hours in whole minutes."""
	cases = []
	for _ in range(count):
		cal = rng.choice(pool)
		start = random_start(rng, cal.timezone, whole_minutes)
		cases.append((cal, start, rng.randint(1, MAX_DURATION_MINUTES) * MINUTE))
	return cases


def instant_us(value: datetime) -> int:
	"""Epoch microseconds: compares instants exactly (same-zone datetime comparison ignores fold)."""
	return (value - EPOCH) // ONE_US


# --- the naive day-by-day walk (baseline) ---------------------------------------------------------


def naive_add_working_time(cal: Calendar, start: datetime, duration: timedelta) -> datetime:
	"""Walk local date by local date, subtracting each date's working pieces from the remaining duration.

	Correct (DST included) but slow by design: every call recomputes every day it crosses. Dates are
	taken in order, which assumes the zone never moves its clocks back across local midnight (true for
	the benchmark's zones); a violation is detected and raised rather than answered wrongly.
	"""
	zone = ZoneInfo(cal.timezone)
	if duration == timedelta(0):
		return start.astimezone(zone)
	remaining, cursor = duration, start.astimezone(UTC)
	seen_until = datetime.min.replace(tzinfo=UTC)
	day = start.astimezone(zone).date()
	for _ in range(NAIVE_MAX_DAYS):
		for lo, hi in naive_day_pieces(cal, zone, day):
			if lo < seen_until:
				raise RuntimeError(
					f"{cal.timezone}: dates out of order near {day}, day-by-day walk unsupported"
				)
			seen_until = hi
			if hi <= cursor:
				continue
			lo = max(lo, cursor)
			if hi - lo >= remaining:
				return (lo + remaining).astimezone(zone)
			remaining -= hi - lo
			cursor = hi
		day += DAY
	raise ValueError("no working time found within the walk limit")


def naive_day_pieces(cal: Calendar, zone: ZoneInfo, day: date) -> list[tuple[datetime, datetime]]:
	"""UTC pieces, sorted and merged, of the instants whose local wall time falls on `day` and is working."""
	spans = naive_wall_spans(cal, day)
	if not spans:
		return []
	midnight = datetime.combine(day, time(), tzinfo=UTC)  # the date's wall midnight read as if it were UTC
	segments = naive_offset_segments(zone, midnight - timedelta(hours=15), midnight + timedelta(hours=39))
	pieces = []
	for start, end in spans:
		for seg_lo, seg_hi, offset in segments:
			# Within a constant-offset segment, wall = utc + offset: the wall span maps to one UTC span.
			lo, hi = max(seg_lo, midnight + start - offset), min(seg_hi, midnight + end - offset)
			if lo < hi:
				pieces.append((lo, hi))
	return merge(pieces)


def naive_wall_spans(cal: Calendar, day: date) -> list[tuple[timedelta, timedelta]]:
	"""Working wall spans within [00:00, 24:00) of `day`: its own windows and yesterday's past-midnight tails."""
	spans = []
	for window in naive_windows_of(cal, day):
		start, end = naive_offset_of_day(window.start), naive_offset_of_day(window.end)
		spans.append((start, end if end > start else DAY))
	for window in naive_windows_of(cal, day - DAY):
		if window.end <= window.start and window.end != time(0):
			spans.append((timedelta(0), naive_offset_of_day(window.end)))
	return merge(spans)


def naive_windows_of(cal: Calendar, day: date) -> list[WorkingWindow]:
	"""Windows owned by a date: none on a holiday, the make-up weekday's too on an extra working day."""
	if day in cal.holidays:
		return []
	make_up = day in cal.extra_working_days
	weekday = day.weekday()
	return [w for w in cal.windows if w.weekday == weekday or (make_up and w.weekday == cal.make_up_weekday)]


def naive_offset_of_day(value: time) -> timedelta:
	return timedelta(
		hours=value.hour, minutes=value.minute, seconds=value.second, microseconds=value.microsecond
	)


def naive_offset_segments(
	zone: ZoneInfo, lo: datetime, hi: datetime
) -> list[tuple[datetime, datetime, timedelta]]:
	"""Split [lo, hi) into constant-UTC-offset pieces, probing daily and bisecting to the second.

	Daily probes find every transition because zones never leave and regain an offset within a day.
	"""
	segments = []
	seg_lo, offset = lo, utc_offset(zone, lo)
	probe = lo
	while probe < hi:
		ahead = min(probe + DAY, hi)
		if utc_offset(zone, ahead) != offset:
			change = first_change(zone, probe, ahead, offset)
			segments.append((seg_lo, change, offset))
			seg_lo, offset = change, utc_offset(zone, change)
		probe = ahead
	segments.append((seg_lo, hi, offset))
	return segments


def first_change(zone: ZoneInfo, lo: datetime, hi: datetime, offset: timedelta) -> datetime:
	"""First whole second in (lo, hi] whose offset differs from `offset`."""
	second = timedelta(seconds=1)
	while hi - lo > second:
		mid = lo + (hi - lo) // 2 // second * second
		if utc_offset(zone, mid) == offset:
			lo = mid
		else:
			hi = mid
	return hi


def utc_offset(zone: ZoneInfo, at: datetime) -> timedelta:
	offset = at.astimezone(zone).utcoffset()
	assert offset is not None
	return offset


def merge(spans: list[Any]) -> list[Any]:
	"""Union of half-open spans, touching spans joined."""
	merged: list[Any] = []
	for start, end in sorted(spans):
		if merged and start <= merged[-1][1]:
			merged[-1] = (merged[-1][0], max(merged[-1][1], end))
		else:
			merged.append((start, end))
	return merged


# --- the minute-resolution oracle -----------------------------------------------------------------


@dataclass(frozen=True)
class MinuteOracle:
	"""Cumulative count of working UTC minutes from `base`: cumulative[k] = working minutes in [0, k)."""

	base: datetime
	cumulative: Any  # list[int], or a numpy int64 array

	def end_minutes(self, starts: Sequence[int], minutes: Sequence[int]) -> list[int]:
		"""Minute index at which each (start index, duration) case has accumulated its working minutes."""
		if np is not None and not isinstance(self.cumulative, list):
			starts_arr = np.asarray(starts, dtype=np.int64)
			targets = self.cumulative[starts_arr] + np.asarray(minutes, dtype=np.int64)
			ends = np.searchsorted(self.cumulative, targets, side="left").tolist()
		else:
			cum = self.cumulative
			ends = [bisect_left(cum, cum[s] + m, lo=s) for s, m in zip(starts, minutes, strict=True)]
		if ends and max(ends) >= len(self.cumulative):
			raise ValueError("oracle horizon too short for a case: raise ORACLE_MARGIN_DAYS")
		return ends


@dataclass(frozen=True)
class ZoneMinutes:
	"""Local wall time, in minutes since 1970-01-01 00:00 wall, of each UTC minute from a base instant."""

	walls: Any  # list[int], or a numpy int64 array
	first_day: int
	last_day: int


def zone_minutes(zone: ZoneInfo, base: datetime, count: int, use_numpy: bool) -> ZoneMinutes:
	"""Convert every UTC minute to the zone's wall time (shared by all calendars of that zone)."""
	walls, moment, last_offset, shift = [], base, None, 0
	for k in range((base - EPOCH) // MINUTE, (base - EPOCH) // MINUTE + count):
		offset = moment.astimezone(zone).utcoffset()
		if offset != last_offset:
			assert offset is not None and offset % MINUTE == timedelta(0), "whole-minute offsets only"
			last_offset, shift = offset, offset // MINUTE
		walls.append(k + shift)
		moment += MINUTE
	first_day, last_day = min(walls) // 1440, max(walls) // 1440
	if use_numpy and np is not None:
		return ZoneMinutes(np.asarray(walls, dtype=np.int64), first_day, last_day)
	return ZoneMinutes(walls, first_day, last_day)


def oracle_windows_of(cal: Calendar, day: date) -> list[WorkingWindow]:
	"""As in tests/test_calendar.py: a holiday has no windows, a make-up day adds the pattern weekday's."""
	if day in cal.holidays:
		return []
	make_up = day in cal.extra_working_days
	return [
		w for w in cal.windows if w.weekday == day.weekday() or (make_up and w.weekday == cal.make_up_weekday)
	]


def minute_of_day(value: time) -> int:
	assert value.second == 0 and value.microsecond == 0, "the oracle needs whole-minute windows"
	return value.hour * 60 + value.minute


def oracle_day_cover(cal: Calendar, day: date) -> bytearray:
	"""1 for each wall minute of `day` that is working: own windows, and yesterday's past-midnight tails."""
	cover = bytearray(1440)
	for w in oracle_windows_of(cal, day):
		start, end = minute_of_day(w.start), minute_of_day(w.end)
		stop = end if start < end else 1440
		cover[start:stop] = b"\x01" * (stop - start)
	for w in oracle_windows_of(cal, day - DAY):
		if w.end <= w.start:
			end = minute_of_day(w.end)
			cover[:end] = b"\x01" * end
	return cover


def build_oracle(cal: Calendar, base: datetime, zone: ZoneMinutes) -> MinuteOracle:
	"""Mask every UTC minute by the wall-time rule, then take its cumulative sum."""
	epoch_ordinal, first = date(1970, 1, 1).toordinal(), zone.first_day
	rows = [
		oracle_day_cover(cal, date.fromordinal(epoch_ordinal + d)) for d in range(first, zone.last_day + 1)
	]
	if isinstance(zone.walls, list):
		mask = [rows[w // 1440 - first][w % 1440] for w in zone.walls]
		return MinuteOracle(base, list(accumulate(mask, initial=0)))
	cover = np.frombuffer(b"".join(rows), dtype=np.uint8).reshape(-1, 1440)
	mask = cover[zone.walls // 1440 - first, zone.walls % 1440]
	cumulative = np.concatenate((np.zeros(1, dtype=np.int64), np.cumsum(mask, dtype=np.int64)))
	return MinuteOracle(base, cumulative)


def oracle_answers(
	cases: Sequence[Case], use_numpy: bool, margin_days: int = ORACLE_MARGIN_DAYS
) -> list[int]:
	"""Oracle end instants (epoch µs) for whole-minute cases, one mask per distinct calendar."""
	base = min(start for _, start, _ in cases).astimezone(UTC)
	count = (max(start for _, start, _ in cases) - base) // MINUTE + 1 + margin_days * 1440
	zones: dict[str, ZoneMinutes] = {}
	by_calendar: dict[Calendar, list[int]] = {}
	for index, (cal, _, _) in enumerate(cases):
		by_calendar.setdefault(cal, []).append(index)
	answers = [0] * len(cases)
	for cal, indexes in by_calendar.items():
		if cal.timezone not in zones:
			zones[cal.timezone] = zone_minutes(ZoneInfo(cal.timezone), base, count, use_numpy)
		oracle = build_oracle(cal, base, zones[cal.timezone])
		starts = [(cases[i][1] - base) // MINUTE for i in indexes]
		ends = oracle.end_minutes(starts, [cases[i][2] // MINUTE for i in indexes])
		for i, end in zip(indexes, ends, strict=True):
			answers[i] = instant_us(base + end * MINUTE)
	return answers


# --- timing and checks ----------------------------------------------------------------------------


def clear_module_cache() -> None:
	"""Forget every expanded year, so the next calls pay for their expansions (a cold run)."""
	calmod._block.cache_clear()
	calmod._weekday_spans.cache_clear()
	calmod._zone.cache_clear()


def run_all(add: AddFn, cases: Sequence[Case]) -> tuple[float, list[datetime]]:
	started = clock.perf_counter()
	results = [add(cal, start, duration) for cal, start, duration in cases]
	return clock.perf_counter() - started, results


def disagreements(expected: Sequence[int], results: Sequence[datetime]) -> list[int]:
	"""Indexes of cases whose result instant differs from the expected epoch µs."""
	return [i for i, (e, r) in enumerate(zip(expected, results, strict=True)) if instant_us(r) != e]


@dataclass
class Timing:
	"""Seconds of every run per implementation, and the indexes of cases where they disagreed."""

	naive_runs: list[float]
	cold_runs: list[float]
	warm_runs: list[float]
	mismatches: list[int]

	def calls_per_s(self, cases: int) -> tuple[float, float, float]:
		"""Median calls per second of (naive, module cold, module warm)."""
		naive, cold, warm = (
			cases / statistics.median(runs) for runs in (self.naive_runs, self.cold_runs, self.warm_runs)
		)
		return naive, cold, warm


def time_implementations(cases: Sequence[Case], repeat: int) -> Timing:
	"""Median of `repeat` runs each: naive walk, module from an empty cache (cold), module again (warm)."""
	naive, cold, warm, mismatches = [], [], [], set()
	for _ in range(repeat):
		seconds, naive_results = run_all(naive_add_working_time, cases)
		naive.append(seconds)
		expected = [instant_us(r) for r in naive_results]
		clear_module_cache()
		for bucket in (cold, warm):
			seconds, results = run_all(add_working_time, cases)
			bucket.append(seconds)
			mismatches.update(disagreements(expected, results))
	return Timing(naive, cold, warm, sorted(mismatches))


@dataclass
class OracleCheck:
	cases: int
	agreements: int
	mismatches: list[int]
	oracle_s: float
	module_s: float


def check_oracle(cases: Sequence[Case], use_numpy: bool) -> OracleCheck:
	started = clock.perf_counter()
	expected = oracle_answers(cases, use_numpy)
	oracle_s = clock.perf_counter() - started
	module_s, results = run_all(add_working_time, cases)
	mismatches = disagreements(expected, results)
	return OracleCheck(len(cases), len(cases) - len(mismatches), mismatches, oracle_s, module_s)


# --- command line ---------------------------------------------------------------------------------


def machine_info() -> dict[str, Any]:
	load = os.getloadavg() if hasattr(os, "getloadavg") else None
	return {
		"platform": platform.platform(),
		"processor": platform.processor() or platform.machine(),
		"cpu_count": os.cpu_count(),
		"load_average_1_5_15": load,
	}


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
	parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
	parser.add_argument("--cases", type=int, default=20_000, help="timed cases (default 20000)")
	parser.add_argument("--oracle-cases", type=int, default=100_000, help="oracle cases (default 100000)")
	parser.add_argument("--calendars", type=int, default=20, help="distinct calendars, office included")
	parser.add_argument("--repeat", type=int, default=3, help="timed runs per implementation (median)")
	parser.add_argument("--seed", type=int, default=2026)
	parser.add_argument("--no-numpy", action="store_true", help="pure-Python oracle even if numpy exists")
	parser.add_argument("--json", type=Path, help="write the figures to this file")
	return parser.parse_args(argv)


def report_timing(cases: int, timing: Timing) -> dict[str, Any]:
	naive, cold, warm = timing.calls_per_s(cases)
	print(f"timed cases: {cases} (median of runs; module cold = cache cleared first, expansions included)")
	print(f"  naive day-by-day walk : {naive:12,.0f} calls/s")
	print(f"  module, cold cache    : {cold:12,.0f} calls/s   ratio {cold / naive:8.1f}x")
	print(f"  module, warm cache    : {warm:12,.0f} calls/s   ratio {warm / naive:8.1f}x")
	print(f"  naive vs module agreement: {cases - len(timing.mismatches)}/{cases}")
	return {
		"module_calls_per_s": round(cold),
		"module_warm_calls_per_s": round(warm),
		"naive_calls_per_s": round(naive),
		"ratio": round(cold / naive, 2),
		"ratio_warm": round(warm / naive, 2),
		"naive_agreement": cases - len(timing.mismatches),
		"run_seconds": {
			"naive": [round(s, 3) for s in timing.naive_runs],
			"module_cold": [round(s, 3) for s in timing.cold_runs],
			"module_warm": [round(s, 3) for s in timing.warm_runs],
		},
	}


def report_oracle(check: OracleCheck, use_numpy: bool) -> dict[str, Any]:
	path = "numpy searchsorted" if use_numpy else "pure Python bisect"
	print(f"oracle cases: {check.cases} (whole minutes, {path})")
	print(f"  agreement: {check.agreements}/{check.cases}")
	print(
		f"  oracle masks + queries: {check.oracle_s:.2f} s; module on the same cases: {check.module_s:.2f} s"
	)
	return {
		"oracle_cases": check.cases,
		"oracle_agreement": check.agreements / check.cases if check.cases else None,
		"oracle_agreements": check.agreements,
		"oracle_seconds": round(check.oracle_s, 2),
		"oracle_numpy": use_numpy,
	}


def main(argv: Sequence[str] | None = None) -> int:
	args = parse_args(argv)
	rng = random.Random(args.seed)
	pool = calendar_pool(rng, args.calendars)
	machine = machine_info()
	print(
		f"P1 calendar benchmark: seed {args.seed}, {len(pool)} calendars, Python {platform.python_version()}"
	)
	print(
		f"machine: {machine['platform']}, {machine['cpu_count']} CPUs, load {machine['load_average_1_5_15']}"
	)
	figures: dict[str, Any] = {"cases": args.cases, "seed": args.seed, "calendars": len(pool)}
	failed = False
	if args.cases:
		timing = time_implementations(random_cases(rng, pool, args.cases, whole_minutes=False), args.repeat)
		figures.update(report_timing(args.cases, timing))
		failed |= bool(timing.mismatches)
	use_numpy = np is not None and not args.no_numpy
	figures.update({"oracle_cases": 0, "oracle_agreement": None})
	if args.oracle_cases:
		check = check_oracle(random_cases(rng, pool, args.oracle_cases, whole_minutes=True), use_numpy)
		figures.update(report_oracle(check, use_numpy))
		failed |= bool(check.mismatches)
	machine["load_average_after"] = os.getloadavg() if hasattr(os, "getloadavg") else None
	figures.update({"python": platform.python_version(), "machine": machine})
	if args.json:
		args.json.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
	print("FAILED: disagreements found" if failed else "OK: all answers agree")
	return 1 if failed else 0


if __name__ == "__main__":
	sys.exit(main())
