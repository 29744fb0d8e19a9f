"""P1 against ERPNext itself: our working-time arithmetic beside ERPNext's own SLA arithmetic
(`erpnext.support.doctype.service_level_agreement.service_level_agreement.get_expected_time_for`), on the
same random starts, in one process.

Run with the bench's Python from its sites folder (the Holiday List it needs is created when missing):

    cd ~/frappe-bench/sites && PYTHONPATH=/path/to/checkout \\
        ../env/bin/python /path/to/checkout/benchmarks/p1_erpnext.py --site test-complaints.localhost

The calendar both can express: Monday-Friday 08:30-17:30 in one window, National Day 2026-10-01..07 as
holidays in an ERPNext Holiday List, naive wall times (ERPNext's convention, and Frappe's: naive datetimes
in the system time zone). `ratio` compares like with like: ERPNext's `get_expected_time_for` against ours
in the same convention (`add_working_time_wall`); `ratio_aware` is ours on aware instants (what the SLA
engine calls). Agreement requires all three answers to be the same instant. Targets: 2 hours, and 15
working days (15 x 9 h). Agreement means the same instant, to the second.
Then ours alone on what ERPNext cannot express: a lunch break and a make-up working Saturday.
The sides run interleaved, 500 cases of each in turn, so that both meet the same machine load; each figure
is the median over --repeat rounds after a warm-up (caches filled: our year expansion, ERPNext's cached
Holiday List).
"""

import argparse
import json
import os
import platform
import random
import statistics
import sys
import time
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import frappe

try:
	from complaint_handling.domain.calendar import (
		Calendar,
		add_working_time,
		add_working_time_wall,
		weekly_windows,
	)
except ImportError:
	sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
	from complaint_handling.domain.calendar import (
		Calendar,
		add_working_time,
		add_working_time_wall,
		weekly_windows,
	)

HOLIDAY_LIST = "P1 Benchmark Holidays"
NATIONAL_DAY = [date(2026, 10, day) for day in range(1, 8)]
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")
OPEN, CLOSE = timedelta(hours=8, minutes=30), timedelta(hours=17, minutes=30)
TARGETS = {"2 hours": timedelta(hours=2), "15 working days": timedelta(hours=15 * 9)}
ZONE = "Asia/Shanghai"


def holiday_list() -> str:
	if not frappe.db.exists("Holiday List", HOLIDAY_LIST):
		frappe.get_doc(
			{
				"doctype": "Holiday List",
				"holiday_list_name": HOLIDAY_LIST,
				"from_date": "2026-01-01",
				"to_date": "2027-12-31",
				"holidays": [{"holiday_date": day, "description": "National Day"} for day in NATIONAL_DAY],
			}
		).insert(ignore_permissions=True)
		frappe.db.commit()
	return HOLIDAY_LIST


def service_level(seconds: int) -> frappe._dict:
	"""What get_expected_time_for reads from a Service Level Agreement."""
	return frappe._dict(
		holiday_list=holiday_list(),
		response_time=seconds,
		resolution_time=seconds,
		support_and_resolution=[
			frappe._dict(workday=day, start_time=OPEN, end_time=CLOSE) for day in WEEKDAYS
		],
	)


def starts(seed: int, count: int) -> list[datetime]:
	"""Whole-second naive starts in 2026 (ERPNext drops sub-seconds from a start inside the window)."""
	rng = random.Random(seed)
	first = datetime(2026, 1, 1)
	return [first + timedelta(seconds=rng.randrange(0, 350 * 86400)) for _ in range(count)]


def side_by_side(sides: dict, repeat: int, chunk: int = 500) -> tuple[dict, dict]:
	"""Time each side on the same cases, interleaved chunk by chunk so that both meet the same machine load;
	returns each side's median total seconds over `repeat` rounds and its answers."""
	for fn, items in sides.values():
		fn(items[:50])  # warm-up: caches filled
	totals: dict = {name: [] for name in sides}
	answers: dict = {name: [] for name in sides}
	count = len(next(iter(sides.values()))[1])
	for round_ in range(repeat):
		spent = dict.fromkeys(sides, 0.0)
		for lo in range(0, count, chunk):
			for name, (fn, items) in sides.items():
				started = time.perf_counter()
				found = fn(items[lo : lo + chunk])
				spent[name] += time.perf_counter() - started
				if round_ == 0:
					answers[name].extend(found)
		for name in sides:
			totals[name].append(spent[name])
	return {name: statistics.median(runs) for name, runs in totals.items()}, answers


def measure(site: str, count: int, seed: int, repeat: int) -> dict:
	from erpnext.support.doctype.service_level_agreement.service_level_agreement import (
		get_expected_time_for,
	)

	frappe.init(site=site)
	frappe.connect()
	try:
		zone = ZoneInfo(ZONE)
		both = Calendar(
			weekly_windows(range(5), ("08:30", "17:30")), timezone=ZONE, holidays=frozenset(NATIONAL_DAY)
		)
		ours_only = Calendar(
			weekly_windows(range(5), ("08:30", "12:00"), ("13:30", "17:30")),
			timezone=ZONE,
			holidays=frozenset(NATIONAL_DAY),
			extra_working_days=frozenset({date(2026, 10, 10)}),
		)
		cases = starts(seed, count)
		# each in its own convention, converted outside the timing: ERPNext takes naive wall times, ours
		# aware instants (the shell converts once per document, not per deadline)
		aware_cases = [start.replace(tzinfo=zone) for start in cases]
		figures: dict = {"cases": count, "seed": seed, "repeat": repeat, "targets": {}}
		for label, duration in TARGETS.items():
			level = service_level(int(duration.total_seconds()))

			def erpnext(items, level=level):
				return [get_expected_time_for("response", level, start) for start in items]

			def ours(items, duration=duration):
				return [add_working_time(both, start, duration) for start in items]

			def ours_wall(items, duration=duration):
				return [add_working_time_wall(both, start, duration) for start in items]

			def ours_breaks(items, duration=duration):
				return [add_working_time(ours_only, start, duration) for start in items]

			seconds, results = side_by_side(
				{
					"erpnext": (erpnext, cases),
					"wall": (ours_wall, cases),
					"aware": (ours, aware_cases),
					"breaks": (ours_breaks, aware_cases),
				},
				repeat,
			)
			erp_seconds, wall_seconds = seconds["erpnext"], seconds["wall"]
			our_seconds, breaks_seconds = seconds["aware"], seconds["breaks"]
			erp_results, wall_results, our_results = results["erpnext"], results["wall"], results["aware"]
			agree = sum(
				e == o.astimezone(zone).replace(tzinfo=None) == w
				for e, o, w in zip(erp_results, our_results, wall_results, strict=True)
			)
			figures["targets"][label] = {
				"erpnext_calls_per_s": round(count / erp_seconds),
				# the same convention as ERPNext: naive wall times in, naive wall time out
				"ours_wall_calls_per_s": round(count / wall_seconds),
				"ratio": round(erp_seconds / wall_seconds, 1),
				# aware instants in and out (what the SLA engine calls), conversions outside the timing
				"ours_aware_calls_per_s": round(count / our_seconds),
				"ratio_aware": round(erp_seconds / our_seconds, 1),
				"agreement": f"{agree}/{count}",
				"ours_with_breaks_and_make_up_day_calls_per_s": round(count / breaks_seconds),
			}
		figures["machine"] = {
			"python": platform.python_version(),
			"cpus": os.cpu_count(),
			"load_average": os.getloadavg(),
		}
		return figures
	finally:
		frappe.destroy()


def main() -> int:
	parser = argparse.ArgumentParser(
		description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
	)
	parser.add_argument("--site", required=True)
	parser.add_argument("--cases", type=int, default=2000)
	parser.add_argument("--seed", type=int, default=2026)
	parser.add_argument("--repeat", type=int, default=3)
	parser.add_argument("--json")
	args = parser.parse_args()
	figures = measure(args.site, args.cases, args.seed, args.repeat)
	print(json.dumps(figures, indent=1))
	if args.json:
		Path(args.json).write_text(json.dumps(figures, indent=1))
	return (
		0 if all(t["agreement"].split("/")[0] == str(args.cases) for t in figures["targets"].values()) else 1
	)


if __name__ == "__main__":
	sys.exit(main())
