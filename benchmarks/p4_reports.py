"""P4: the management reports on 1,000,000+ complaints — each report's own query against the same aggregation
written through `frappe.get_all` (Frappe's ORM with `group_by`), side by side in one process, warm, medians.

Run with the bench's Python from its sites folder, on the benchmark site of P2 (its 1.1 M BENCH- complaints):

    cd ~/frappe-bench/sites && PYTHONPATH=/path/to/complaint_handling \\
        ../env/bin/python /path/to/complaint_handling/benchmarks/p4_reports.py --site bench-complaints.localhost

The first run spreads the BENCH- complaints over three years, six categories, two territories and a few
items and customers (one set-based UPDATE, idempotent), so that the grouping has work to do. Runs as a
Complaint Coordinator (sees everything but what is about them: the permission condition is in every query).
"""

import argparse
import json
import statistics
import time

import frappe

COORDINATOR = "coordinator@demo.example.com"


def spread() -> None:
	"""Give the bulk complaints three years of dates and a spread of categories, territories, items, customers."""
	done = frappe.db.sql(
		"select count(distinct year(received_on)) from `tabCustomer Complaint` where name like 'BENCH-%%'"
	)[0][0]
	if done >= 3:
		return
	categories = frappe.get_all("Complaint Category", pluck="name")
	territories = frappe.get_all("Territory", filters={"is_group": 0}, pluck="name")[:6]
	items = frappe.get_all("Item", pluck="name", limit=8)
	customers = frappe.get_all("Customer", pluck="name", limit=20)

	def case(column: str, values: list[str]) -> str:
		if not values:
			return column
		whens = " ".join(f"when {i} then {frappe.db.escape(v)}" for i, v in enumerate(values))
		return f"case crc32(concat(name, '{column}')) % {len(values)} {whens} end"

	started = time.perf_counter()
	frappe.db.sql(
		f"""update `tabCustomer Complaint` set
			received_on = timestampadd(minute, -(crc32(name) % (3 * 365 * 24 * 60)), now()),
			category = {case("category", categories)},
			territory = {case("territory", territories)},
			item = {case("item", items)},
			customer = {case("customer", customers)}
		where name like 'BENCH-%%'"""
	)
	frappe.db.commit()
	print(f"spread the benchmark complaints in {time.perf_counter() - started:.1f} s")


def timed(fn, repeats: int) -> tuple[float, object]:
	times, result = [], None
	for _ in range(repeats):
		started = time.perf_counter()
		result = fn()
		times.append(time.perf_counter() - started)
	return statistics.median(times), result


def cases():
	"""(name, the report's run, the same aggregation through frappe.get_all)."""
	from frappe.utils import add_days, getdate

	from complaint_handling.domain.statuses import open_statuses

	today = getdate()
	start = add_days(today, -3 * 365)
	report = frappe.get_attr
	yield (
		"Complaint Analysis (category × month, 3 years)",
		lambda: report(
			"complaint_handling.complaint_handling.report.complaint_analysis.complaint_analysis.execute"
		)({"group_by": "Category", "period": "Monthly", "from_date": start, "to_date": today}),
		lambda: frappe.get_all(
			"Customer Complaint",
			filters={"received_on": ["between", [start, add_days(today, 1)]]},
			fields=["category", "extract(year_month from received_on) as period", "count(*) as n"],
			group_by="category, period",
		),
	)
	yield (
		"Complaint Analysis (territory × week, 1 year)",
		lambda: report(
			"complaint_handling.complaint_handling.report.complaint_analysis.complaint_analysis.execute"
		)(
			{
				"group_by": "Territory",
				"period": "Weekly",
				"from_date": add_days(today, -365),
				"to_date": today,
			}
		),
		lambda: frappe.get_all(
			"Customer Complaint",
			filters={"received_on": ["between", [add_days(today, -365), add_days(today, 1)]]},
			fields=["territory", "yearweek(received_on, 3) as period", "count(*) as n"],
			group_by="territory, period",
		),
	)
	yield (
		"Open Complaints by Age (territory)",
		lambda: report(
			"complaint_handling.complaint_handling.report.open_complaints_by_age.open_complaints_by_age.execute"
		)({"group_by": "Territory"}),
		lambda: frappe.get_all(
			"Customer Complaint",
			filters={"status": ["in", open_statuses("Customer Complaint")]},
			fields=["territory", "datediff(now(), received_on) as age", "count(*) as n"],
			group_by="territory, age",
		),
	)
	yield (
		"Complaint SLA Compliance (timer, 90 days)",
		lambda: report(
			"complaint_handling.complaint_handling.report.complaint_sla_compliance.complaint_sla_compliance.execute"
		)({"group_by": "Timer", "from_date": add_days(today, -90), "to_date": today}),
		lambda: frappe.get_all(
			"Complaint SLA Clock",
			filters={"started_at": ["between", [add_days(today, -90), add_days(today, 1)]]},
			fields=["timer", "running", "count(*) as n"],
			group_by="timer, running",
		),
	)
	yield (
		"Cost of Poor Quality (item, 1 year)",
		lambda: report(
			"complaint_handling.complaint_handling.report.cost_of_poor_quality.cost_of_poor_quality.execute"
		)({"group_by": "Item", "from_date": add_days(today, -365), "to_date": today}),
		lambda: frappe.get_all(
			"Defect Inspection",
			filters={"creation": [">=", add_days(today, -365)]},
			fields=["item", "count(*) as n"],
			group_by="item",
		),
	)
	yield (
		"Complaint Penalties by Party (1 year)",
		lambda: report(
			"complaint_handling.complaint_handling.report.complaint_penalties_by_party.complaint_penalties_by_party.execute"
		)({"from_date": add_days(today, -365), "to_date": today}),
		lambda: frappe.get_all(
			"Complaint Penalty",
			filters={"penalty_date": ["between", [add_days(today, -365), today]]},
			fields=["party_type", "party", "count(*) as n", "sum(amount) as amount"],
			group_by="party_type, party",
		),
	)
	yield (
		"Complaint Satisfaction (territory, 1 year)",
		lambda: report(
			"complaint_handling.complaint_handling.report.complaint_satisfaction.complaint_satisfaction.execute"
		)({"group_by": "Territory", "from_date": add_days(today, -365), "to_date": today}),
		lambda: frappe.get_all(
			"Quality Feedback",
			filters={"creation": [">=", add_days(today, -365)]},
			fields=["count(*) as n", "avg(satisfaction_score) as score"],
		),
	)


def main() -> None:
	parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
	parser.add_argument("--site", default="bench-complaints.localhost")
	parser.add_argument("--repeats", type=int, default=5)
	parser.add_argument("--json", help="write the figures here")
	args = parser.parse_args()
	frappe.init(site=args.site)
	frappe.connect()
	try:
		spread()
		count = frappe.db.count("Customer Complaint")
		frappe.set_user(COORDINATOR if frappe.db.exists("User", COORDINATOR) else "Administrator")
		figures = []
		print(f"{count:,} complaints; user {frappe.session.user}; median of {args.repeats} warm runs")
		print(f"{'report':52} {'report s':>9} {'get_all s':>10} {'ratio':>7}")
		for name, ours, baseline in cases():
			ours(), baseline()  # warm both
			mine, _rows = timed(ours, args.repeats)
			theirs, _ = timed(baseline, args.repeats)
			ratio = mine / theirs if theirs else float("nan")
			figures.append(
				{
					"report": name,
					"report_s": round(mine, 3),
					"get_all_s": round(theirs, 3),
					"ratio": round(ratio, 2),
				}
			)
			print(f"{name:52} {mine:9.3f} {theirs:10.3f} {ratio:7.2f}")
		if args.json:
			with open(args.json, "w") as out:
				json.dump(
					{"complaints": count, "user": frappe.session.user, "figures": figures}, out, indent=1
				)
	finally:
		frappe.destroy()


if __name__ == "__main__":
	main()
