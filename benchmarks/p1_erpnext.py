"""P1 against ERPNext itself: our working-time arithmetic beside ERPNext's own SLA arithmetic
(`erpnext.support.doctype.service_level_agreement.service_level_agreement.get_expected_time_for`), on the
same random starts, in one process.

Run with the bench's Python from its sites folder (the Holiday List it needs is created when missing):

    cd ~/frappe-bench/sites && PYTHONPATH=/path/to/checkout \\
        ../env/bin/python /path/to/checkout/benchmarks/p1_erpnext.py --site test-complaints.localhost

The calendar both can express: Monday-Friday 08:30-17:30 in one window, National Day 2026-10-01..07 as
holidays in an ERPNext Holiday List, naive wall times (ERPNext's convention). Targets: 2 hours, and 15
working days (15 x 9 h). Agreement means the same instant, to the second.
Then ours alone on what ERPNext cannot express: a lunch break and a make-up working Saturday.
Each figure is the median of --repeat runs after one warm-up run (caches filled: our year expansion,
ERPNext's cached Holiday List).
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
	from complaint_handling.domain.calendar import Calendar, add_working_time, weekly_windows
except ImportError:
	sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
	from complaint_handling.domain.calendar import Calendar, add_working_time, weekly_windows

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


def timed(fn, items, repeat: int) -> tuple[float, list]:
	fn(items[:50])  # warm-up: caches filled
	runs, results = [], None
	for _ in range(repeat):
		started = time.perf_counter()
		results = fn(items)
		runs.append(time.perf_counter() - started)
	return statistics.median(runs), results


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

			def ours_breaks(items, duration=duration):
				return [add_working_time(ours_only, start, duration) for start in items]

			erp_seconds, erp_results = timed(erpnext, cases, repeat)
			our_seconds, our_results = timed(ours, aware_cases, repeat)
			breaks_seconds, _ = timed(ours_breaks, aware_cases, repeat)
			agree = sum(
				e == o.astimezone(zone).replace(tzinfo=None)
				for e, o in zip(erp_results, our_results, strict=True)
			)
			figures["targets"][label] = {
				"erpnext_calls_per_s": round(count / erp_seconds),
				"ours_calls_per_s": round(count / our_seconds),
				"ratio": round(erp_seconds / our_seconds, 1),
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
