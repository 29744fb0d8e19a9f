"""P2: the SLA sweep over 100k open + 1M closed complaints — queries and seconds per sweep — against a
per-document loop over 10k open complaints, side by side in one run.

Run with the bench's Python from its sites folder (the site is created when missing):

    cd ~/frappe-bench/sites && PYTHONPATH=/path/to/complaint_handling \\
        ../env/bin/python /path/to/complaint_handling/benchmarks/p2_sweep.py --site bench-complaints.localhost

The baseline is how SLA code is often written: load every open document and check its timer in Python.
"""

import argparse
import json
import statistics
import time
from datetime import timedelta

import frappe

REGENERATE_CLOCKS = False  # set by --regenerate-clocks


class QueryCounter:
	"""Counts statements sent through frappe.db.sql while active."""

	def __init__(self) -> None:
		self.count = 0

	def __enter__(self):
		self.original = frappe.db.sql

		def counted(*args, **kwargs):
			self.count += 1
			return self.original(*args, **kwargs)

		frappe.db.sql = counted
		return self

	def __exit__(self, *exc) -> None:
		frappe.db.sql = self.original


def ensure_data(open_count: int, closed_count: int) -> None:
	import bulk_data  # benchmarks/bulk_data.py, beside this script

	have = frappe.db.sql("select count(*) from `tabCustomer Complaint` where name like 'BENCH-%%'")[0][0]
	clocks = frappe.db.sql("select count(*) from `tabComplaint SLA Clock` where complaint like 'BENCH-%%'")[
		0
	][0]
	if have != open_count + closed_count:
		bulk_data.drop_bulk_complaints()
		started = time.perf_counter()
		bulk_data.make_bulk_complaints(open_count, closed_count)
		print(
			f"generated {open_count} open + {closed_count} closed complaints in {time.perf_counter() - started:.1f} s"
		)
	elif clocks != 2 * have or REGENERATE_CLOCKS:
		started = time.perf_counter()
		bulk_data.make_bulk_clocks(open_count, closed_count)
		print(f"generated {2 * have} clocks in {time.perf_counter() - started:.1f} s")


def reset_due(now) -> None:
	"""Put the due share back to 'not yet warned or escalated' so every measured sweep does the same work."""
	frappe.db.sql(
		"""update `tabCustomer Complaint` set timer_warned = 0, timer_level = 0, sla_status = '',
		timer_next_escalation = timer_due_at where name like 'BENCH-O-%%' and timer_due_at <= %s""",
		now,
	)
	frappe.db.sql(
		"""update `tabComplaint SLA Clock` set warned = 0, level = 0, status = 'On Track',
		next_escalation = due_at where complaint like 'BENCH-O-%%' and running = 1 and due_at <= %s""",
		now,
	)
	frappe.db.sql("delete from `tabComplaint SLA Breach` where reference_name like 'BENCH-%%'")
	frappe.db.commit()


def per_document_sweep(now, limit: int) -> int:
	"""Baseline: load each open complaint and decide in Python whether it needs a warning or escalation."""
	names = frappe.get_all(
		"Customer Complaint",
		filters={"docstatus": 0, "name": ("like", "BENCH-O-%")},
		pluck="name",
		limit=limit,
	)
	due = 0
	for name in names:
		doc = frappe.get_doc("Customer Complaint", name)
		if doc.timer_warn_at and not doc.timer_warned and doc.timer_warn_at <= now:
			due += 1
		if doc.timer_next_escalation and doc.timer_next_escalation <= now:
			due += 1
	return due


def measure(site: str, open_count: int, closed_count: int, baseline_open: int, repeats: int) -> dict:
	from frappe.utils.scheduler import disable_scheduler, enable_scheduler, is_scheduler_disabled

	from complaint_handling.service_levels.sweep import sweep

	frappe.init(site=site)
	frappe.connect()
	# the site's own scheduled sweep would race the bulk inserts (deadlocks) and the measured sweeps
	was_disabled = is_scheduler_disabled(verbose=False)
	disable_scheduler()
	frappe.db.commit()
	try:
		ensure_data(open_count, closed_count)
		now = frappe.utils.now_datetime()
		sweeps, queries, idle = [], [], []
		for _ in range(repeats):
			reset_due(now)
			with QueryCounter() as counter:
				started = time.perf_counter()
				result = sweep(now)
				sweeps.append(time.perf_counter() - started)
			queries.append(counter.count)
			with QueryCounter() as counter:
				started = time.perf_counter()
				again = sweep(now)
				idle.append(time.perf_counter() - started)
			assert again == {"warned": 0, "escalations": 0}, again
		frappe.db.rollback()
		started = time.perf_counter()
		per_document_sweep(now + timedelta(seconds=1), baseline_open)
		baseline = time.perf_counter() - started
		return {
			"open": open_count,
			"closed": closed_count,
			"due_per_sweep": result,
			"sweep_seconds": statistics.median(sweeps),
			"sweep_queries": statistics.median(queries),
			"idle_sweep_seconds": statistics.median(idle),
			"idle_sweep_queries": counter.count,
			"baseline_open": baseline_open,
			"baseline_seconds": baseline,
			"ratio_baseline_10k_over_sweep_100k": baseline / statistics.median(sweeps),
		}
	finally:
		if not was_disabled:
			enable_scheduler()
			frappe.db.commit()
		frappe.destroy()


def main() -> None:
	parser = argparse.ArgumentParser(
		description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
	)
	parser.add_argument("--site", required=True)
	parser.add_argument("--open", type=int, default=100_000)
	parser.add_argument("--closed", type=int, default=1_000_000)
	parser.add_argument("--baseline-open", type=int, default=10_000)
	parser.add_argument("--repeats", type=int, default=3)
	parser.add_argument("--json")
	parser.add_argument("--regenerate-clocks", action="store_true", help="make the bulk clocks again")
	args = parser.parse_args()
	global REGENERATE_CLOCKS
	REGENERATE_CLOCKS = args.regenerate_clocks
	figures = measure(args.site, args.open, args.closed, args.baseline_open, args.repeats)
	print(json.dumps(figures, indent=1, default=str))
	if args.json:
		with open(args.json, "w") as out:
			json.dump(figures, out, indent=1, default=str)


if __name__ == "__main__":
	main()
