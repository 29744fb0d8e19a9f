"""Smoke test of benchmarks/p1_calendar.py on a few cases: baseline, module and oracle agree (no numpy needed)."""

import importlib.util
import json
import random
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path
from types import ModuleType
from zoneinfo import ZoneInfo

import pytest

from complaint_handling.domain.calendar import Calendar, add_working_time, weekly_windows

BENCHMARK = Path(__file__).resolve().parent.parent / "benchmarks" / "p1_calendar.py"
SHANGHAI = ZoneInfo("Asia/Shanghai")
UTC = timezone.utc
HOURS = timedelta(hours=1)


def load_benchmark() -> ModuleType:
	"""Import the script by path (benchmarks/ is not a package); registered first so dataclasses resolve."""
	spec = importlib.util.spec_from_file_location("p1_calendar", BENCHMARK)
	assert spec is not None and spec.loader is not None
	module = importlib.util.module_from_spec(spec)
	sys.modules[spec.name] = module
	spec.loader.exec_module(module)
	return module


p1 = load_benchmark()


def near_national_day(cases: list, rng: random.Random) -> list:
	"""Move case starts into a three-week window so the oracle's masks stay small."""
	lo = datetime(2026, 9, 20, tzinfo=UTC)
	return [(cal, lo + rng.randrange(21 * 1440) * timedelta(minutes=1), d) for cal, _, d in cases]


def test_naive_walk_matches_module_on_random_cases() -> None:
	rng = random.Random(7)
	cases = p1.random_cases(rng, p1.calendar_pool(rng, 6), 150, whole_minutes=False)
	_, naive = p1.run_all(p1.naive_add_working_time, cases)
	_, module = p1.run_all(add_working_time, cases)
	assert p1.disagreements([p1.instant_us(r) for r in naive], module) == []


@pytest.mark.parametrize(
	("cal", "start", "duration"),
	[
		# New York fall back: a window inside the repeated hour occurs twice.
		(Calendar(weekly_windows([6], ("01:00", "01:30")), "America/New_York"), (2026, 11, 1), HOURS),
		# New York spring forward: a window starting in the gap snaps to the transition.
		(Calendar(weekly_windows([6], ("02:30", "04:00")), "America/New_York"), (2026, 3, 8), HOURS),
		# London fall back, past-midnight window ending inside the repeated hour.
		(Calendar(weekly_windows([5], ("22:00", "01:30")), "Europe/London"), (2026, 10, 24), 4 * HOURS),
	],
)
def test_naive_walk_handles_dst(cal: Calendar, start: tuple[int, int, int], duration: timedelta) -> None:
	for hours in range(0, 30, 3):
		at = datetime(*start, tzinfo=UTC) + hours * HOURS
		for d in (duration / 4, duration, 3 * duration):
			expected = add_working_time(cal, at, d)
			assert p1.instant_us(p1.naive_add_working_time(cal, at, d)) == p1.instant_us(expected)


def test_office_known_answer_from_all_three() -> None:
	office = p1.office_calendar()
	start, expected = datetime(2026, 9, 30, 17, tzinfo=SHANGHAI), datetime(2026, 10, 8, 10, tzinfo=SHANGHAI)
	case = (office, start, 2 * HOURS)
	assert p1.naive_add_working_time(*case) == expected
	assert p1.oracle_answers([case], use_numpy=False, margin_days=30) == [p1.instant_us(expected)]
	# The make-up Saturday 2026-10-10 counts; a day later it would not.
	saturday = (office, datetime(2026, 10, 9, 17, tzinfo=SHANGHAI), 2 * HOURS)
	assert p1.naive_add_working_time(*saturday) == datetime(2026, 10, 10, 10, tzinfo=SHANGHAI)


@pytest.mark.parametrize("use_numpy", [False, True])
def test_oracle_agrees_with_module(use_numpy: bool) -> None:
	if use_numpy and p1.np is None:
		pytest.skip("numpy is not installed: the pure-Python oracle path is tested alone")
	rng = random.Random(11)
	pool = [p1.office_calendar(), p1.random_calendar(rng)]
	cases = near_national_day(p1.random_cases(rng, pool, 200, whole_minutes=True), rng)
	expected = p1.oracle_answers(cases, use_numpy=use_numpy, margin_days=60)
	_, module = p1.run_all(add_working_time, cases)
	assert p1.disagreements(expected, module) == []


def test_oracle_detects_a_wrong_answer() -> None:
	office = p1.office_calendar()
	no_holidays = Calendar(office.windows, office.timezone)
	case = (office, datetime(2026, 9, 30, 17, tzinfo=SHANGHAI), 2 * HOURS)
	expected = p1.oracle_answers([case], use_numpy=False, margin_days=30)
	assert p1.disagreements(expected, [add_working_time(no_holidays, *case[1:])]) == [0]


def test_main_writes_json_and_exits_zero(tmp_path: Path) -> None:
	out = tmp_path / "p1.json"
	argv = ["--cases", "40", "--oracle-cases", "0", "--calendars", "3", "--repeat", "1", "--json", str(out)]
	assert p1.main(argv) == 0
	figures = json.loads(out.read_text(encoding="utf-8"))
	assert figures["cases"] == 40
	assert figures["naive_agreement"] == 40
	assert figures["ratio"] > 0
	assert {"module_calls_per_s", "naive_calls_per_s", "python", "machine"} <= figures.keys()
