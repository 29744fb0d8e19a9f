"""P5: every role's screens at 1.1 M complaints, over HTTP as each user, beside ERPNext's Issue on as many rows.

Run with the bench's Python from its sites folder, on the benchmark site of P2 (its 1.1 M BENCH- complaints),
with the site served (scripts/dev-bench serves every site of the bench on its port):

    cd ~/frappe-bench/sites && PYTHONPATH=/path/to/complaint_handling \\
        ../env/bin/python /path/to/complaint_handling/benchmarks/p5_screens.py \\
        --site bench-complaints.localhost --url http://127.0.0.1:8000 [--json PATH] [--explain]

The first run shapes the data as a group of companies' complaints look (one set-based UPDATE, idempotent):
two territories of one region manager each (half the complaints each), eleven customers (about 100,000
complaints each, one with a portal user), three years of dates for the closed ones (their clocks moved with
them; the open ones were received in the last five weeks), the open complaints spread over the open
statuses with handlers, approvers, assignments and SLA statuses; and it writes 1,100,000 ERPNext Issues
(100,000 open) as the baseline, read by a Support Team user. Every request is sent as the desk or the portal
sends it, warm (one call first), and timed as the median of `--repeat` calls. "Workspace settles": all the
calls the workspace makes, six at a time as a browser does, until the last answers.
"""

import argparse
import json
import statistics
import time
from concurrent.futures import ThreadPoolExecutor

import frappe
import requests

from complaint_handling.setup import demo

PASSWORD = demo.DEMO_PASSWORD
COORDINATOR = f"coordinator@{demo.EMAIL_DOMAIN}"
REGION_MANAGER = demo.TERRITORIES[0].manager_email
PORTAL_USER = "portal.bench@customers.example.com"
SUPPORT_USER = "support.bench@demo.example.com"
OPEN_STATUSES = ("Registered", "In Progress", "Proposed", "Approved", "Replied", "Disputed")
ISSUES = 1_100_000
OPEN_ISSUES = 100_000


# Data ---------------------------------------------------------------------------------------------------


def ensure_user(email: str, roles: list[str], user_type: str = "System User") -> None:
	if not frappe.db.exists("User", email):
		user = frappe.get_doc(
			{"doctype": "User", "email": email, "first_name": email.split("@")[0], "user_type": user_type}
		)
		user.insert(ignore_permissions=True)
		user.add_roles(*roles)
	from frappe.utils.password import update_password

	update_password(email, PASSWORD)


def customers() -> list[str]:
	names = frappe.get_all("Customer", pluck="name", order_by="name")
	for i in range(len(names), 11):
		territory = demo.TERRITORIES[i % 2].name
		names.append(demo.ensure_customer(f"Bench Customer {i + 1}", territory))
	return sorted(names)[:11]


def shape() -> None:
	"""Spread the BENCH- complaints as described above (once)."""
	names = customers()
	ensure_user(PORTAL_USER, ["Customer"], "Website User")
	first = frappe.get_doc("Customer", names[0])
	if PORTAL_USER not in [row.user for row in first.get("portal_users", [])]:
		first.append("portal_users", {"user": PORTAL_USER})
		first.save(ignore_permissions=True)
	ensure_user(SUPPORT_USER, ["Support Team"])
	frappe.db.commit()
	done = frappe.db.sql(
		"select count(distinct customer) from `tabCustomer Complaint` where name like 'BENCH-%%'"
	)[0][0]
	if done >= 11:
		return
	east, south = demo.TERRITORIES
	categories = frappe.get_all("Complaint Category", pluck="name")
	feedback = frappe.db.get_value("Quality Feedback", {}, "name") or "BENCH-FEEDBACK"

	def case(expr: str, values: list) -> str:
		whens = " ".join(f"when {i} then {frappe.db.escape(v)}" for i, v in enumerate(values))
		return f"case {expr} % {len(values)} {whens} end"

	handlers = [COORDINATOR, east.manager_email, south.manager_email, f"director@{demo.EMAIL_DOMAIN}"]
	started = time.perf_counter()
	frappe.db.sql(
		f"""update `tabCustomer Complaint` set
			received_on = if(docstatus = 1, timestampadd(minute, -(crc32(name) % (3 * 365 * 24 * 60)), now()),
				received_on),
			creation = received_on, modified = received_on,
			category = {case("crc32(concat(name, 'c'))", categories)},
			territory = if(crc32(concat(name, 't')) % 2, {frappe.db.escape(east.name)},
				{frappe.db.escape(south.name)}),
			region_manager = if(territory = {frappe.db.escape(east.name)},
				{frappe.db.escape(east.manager_email)}, {frappe.db.escape(south.manager_email)}),
			customer = {case("crc32(concat(name, 'u'))", names)},
			status = if(docstatus = 1, 'Closed', {case("crc32(concat(name, 's'))", list(OPEN_STATUSES))}),
			handler = if(docstatus = 1 or status = 'Registered', null,
				{case("crc32(concat(name, 'h'))", handlers)}),
			sla_status = if(docstatus = 1, 'Met', {case("crc32(concat(name, 'l'))", ["On Track"] * 18 + ["Warning", "Breached"])}),
			quality_feedback = if(docstatus = 1 and crc32(name) % 3 = 0, {frappe.db.escape(feedback)}, null),
			satisfaction_score = if(docstatus = 1 and crc32(name) % 3 = 0, 50 + crc32(name) % 51, 0)
		where name like 'BENCH-%%'"""
	)
	frappe.db.sql(
		f"""update `tabCustomer Complaint` set
			pending_approver_user = if(status = 'Proposed', {frappe.db.escape(f"director@{demo.EMAIL_DOMAIN}")}, null),
			waiting_for_user = if(status = 'Proposed', {frappe.db.escape(f"director@{demo.EMAIL_DOMAIN}")}, handler),
			_assign = if(docstatus = 0, json_array(coalesce(if(status = 'Proposed',
				{frappe.db.escape(f"director@{demo.EMAIL_DOMAIN}")}, handler), {frappe.db.escape(COORDINATOR)})), null)
		where name like 'BENCH-%%'"""
	)  # fmt: skip
	# a closed complaint's clocks started when it was received (make_bulk_clocks: answered in 30 minutes)
	frappe.db.sql(
		"""update `tabComplaint SLA Clock` k join `tabCustomer Complaint` c on c.name = k.complaint set
			k.started_at = c.received_on, k.creation = c.received_on, k.modified = c.received_on,
			k.due_at = if(k.timer = 'first_response', c.received_on + interval 2 hour,
				c.received_on + interval 15 day),
			k.warn_at = if(k.timer = 'first_response', c.received_on + interval 96 minute,
				c.received_on + interval 12 day),
			k.stopped_at = c.received_on + interval 30 minute
		where c.name like 'BENCH-C-%%'"""
	)
	# what the app keeps beside the complaints, changed here in SQL: the clocks' rule columns, the summaries
	from complaint_handling.customer import satisfaction
	from complaint_handling.intake import received_weeks
	from complaint_handling.service_levels.clocks import carry_visibility_everywhere

	carry_visibility_everywhere()
	satisfaction.rebuild()
	received_weeks.rebuild()
	frappe.db.commit()
	print(f"shaped the benchmark complaints in {time.perf_counter() - started:.1f} s", flush=True)


def make_assignments() -> None:
	"""The complaints' ToDos, as the app's assignments leave them (once): an open ToDo for each user in an open
	complaint's `_assign`, two closed ToDos for each closed complaint (2.1 M ToDos in all)."""
	if frappe.db.exists("ToDo", {"name": ["like", "BENCH-TD-%"]}):
		return
	started = time.perf_counter()
	columns = """(name, creation, modified, owner, modified_by, docstatus, idx, status, priority, date,
		allocated_to, description, reference_type, reference_name, assigned_by)"""
	for i in (0, 1):
		frappe.db.sql(
			f"""insert into `tabToDo` {columns}
			select concat('BENCH-TD-', name, '-{i}'), creation, modified, 'Administrator', 'Administrator', 0, 0,
				if(docstatus = 0, 'Open', 'Closed'), 'Medium', date(received_on),
				if(docstatus = 0, json_unquote(json_extract(_assign, '$[{i}]')),
					if({i} = 0, {frappe.db.escape(COORDINATOR)}, region_manager)),
				subject, 'Customer Complaint', name, 'Administrator'
			from `tabCustomer Complaint`
			where name like 'BENCH-%%' and (docstatus = 1 or json_extract(_assign, '$[{i}]') is not null)"""
		)  # fmt: skip
		frappe.db.commit()
	print(f"wrote the complaints' ToDos in {time.perf_counter() - started:.1f} s", flush=True)


def make_issues() -> None:
	"""The baseline: 1.1 M ERPNext Issues (100,000 open) written in bulk, named BENCH-ISS-…."""
	if frappe.db.count("Issue", {"name": ["like", "BENCH-ISS-%"]}) >= ISSUES:
		return
	frappe.db.sql("delete from `tabIssue` where name like 'BENCH-ISS-%%'")
	from frappe.utils import add_to_date, now_datetime

	now = now_datetime()
	customer_names = customers()
	fields = ["name", "creation", "modified", "owner", "modified_by", "docstatus", "idx", "subject", "status",
		"priority", "customer", "raised_by", "opening_date", "_assign"]  # fmt: skip
	started = time.perf_counter()
	for start in range(0, ISSUES, 20_000):
		rows = []
		for i in range(start, min(start + 20_000, ISSUES)):
			opened = add_to_date(now, minutes=-(i * 997 % (3 * 365 * 24 * 60)))
			status = "Open" if i < OPEN_ISSUES else "Closed"
			assign = json.dumps([SUPPORT_USER]) if i % 4 == 0 else None
			rows.append(
				(f"BENCH-ISS-{i:07d}", opened, opened, "Administrator", "Administrator", 0, 0,
				f"Benchmark issue {i}", status, "Medium", customer_names[i % 11], "buyer@example.com",
				opened.date(), assign)
			)  # fmt: skip
		frappe.db.bulk_insert("Issue", fields, rows)
		frappe.db.commit()
	print(f"wrote {ISSUES} Issues in {time.perf_counter() - started:.1f} s", flush=True)


# Requests -----------------------------------------------------------------------------------------------

LIST_FIELDS = '["`tabCustomer Complaint`.`name`", "`tabCustomer Complaint`.`subject`", "`tabCustomer Complaint`.`status`", "`tabCustomer Complaint`.`modified`", "`tabCustomer Complaint`.`_assign`"]'
OPEN_FILTER = json.dumps([["Customer Complaint", "status", "in", list(OPEN_STATUSES)]])
ISSUE_FIELDS = '["`tabIssue`.`name`", "`tabIssue`.`subject`", "`tabIssue`.`status`", "`tabIssue`.`modified`", "`tabIssue`.`_assign`"]'
ISSUE_OPEN = json.dumps([["Issue", "status", "=", "Open"]])


def list_requests(doctype: str, fields: str, filters: str) -> dict[str, tuple[str, dict]]:
	"""A list view's page and its two counts, as the desk sends them."""
	base = {"doctype": doctype, "filters": filters}
	return {
		"list view, 20 rows": (
			"frappe.desk.reportview.get",
			{
				**base,
				"fields": fields,
				"order_by": f"`tab{doctype}`.`modified` desc",
				"start": 0,
				"page_length": 20,
				"view": "List",
				"with_comment_count": 1,
			},
		),
		"count as the desk sends it (limit 1001)": (
			"frappe.desk.reportview.get_count",
			{**base, "fields": "[]", "distinct": "false", "limit": 1001},
		),
		"exact count, open": (
			"frappe.desk.reportview.get_count",
			{**base, "fields": "[]", "distinct": "false"},
		),
	}


def complaint_list_requests() -> dict[str, tuple[str, dict]]:
	return list_requests("Customer Complaint", LIST_FIELDS, OPEN_FILTER)


def issue_requests() -> dict[str, tuple[str, dict]]:
	return list_requests("Issue", ISSUE_FIELDS, ISSUE_OPEN)


def workspace_requests(user: str) -> dict[str, tuple[str, dict]]:
	"""What the workspace "Complaint Handling" calls: each number card and its "% since", each shortcut's
	count (its stats filter evaluated as the desk does), the chart."""
	requests_: dict[str, tuple[str, dict]] = {}
	workspace = frappe.get_doc("Workspace", "Complaint Handling")
	for row in workspace.number_cards:
		card = frappe.get_doc("Number Card", row.number_card_name)
		doc = json.dumps({"name": card.name, **card.as_dict(no_default_fields=True)}, default=str)
		if card.type == "Custom":
			requests_[f"card {card.name}"] = (card.method, {"filters": card.filters_json or "[]"})
			continue
		requests_[f"card {card.name}"] = (
			"frappe.desk.doctype.number_card.number_card.get_result",
			{"doc": doc, "filters": card.filters_json},
		)
		if card.show_percentage_stats:
			requests_[f"card {card.name} % since"] = (
				"frappe.desk.doctype.number_card.number_card.get_percentage_difference",
				{"doc": doc, "filters": card.filters_json, "result": 0},
			)
	today = frappe.utils.nowdate()
	for row in workspace.shortcuts:
		if row.type != "DocType" or not row.stats_filter:
			continue
		text = (
			row.stats_filter.replace('"%" + frappe.session.user + "%"', json.dumps(f"%{user}%"))
			.replace("frappe.session.user", json.dumps(user))
			.replace('frappe.datetime.now_date() + " 23:59:59"', json.dumps(f"{today} 23:59:59"))
			.replace("frappe.datetime.now_date()", json.dumps(today))
		)
		requests_[f"shortcut {row.label}"] = (
			"frappe.client.get_count",
			{"doctype": row.link_to, "filters": json.dumps(json.loads(text))},
		)
	for row in workspace.charts:
		chart = frappe.get_doc("Dashboard Chart", row.chart_name)
		source = frappe.scrub(chart.source)
		# a custom chart: the desk calls its source's method (chart_widget.js)
		requests_[f"chart {row.chart_name}"] = (
			f"complaint_handling.complaint_handling.dashboard_chart_source.{source}.{source}.get",
			{"chart_name": row.chart_name, "filters": chart.filters_json, "refresh": 1},
		)
	return requests_


def report_requests() -> dict[str, tuple[str, dict]]:
	"""Each report with its default filters as the desk opens it; the SLA report also over three months."""
	today = frappe.utils.getdate()
	year_ago = frappe.utils.add_months(today, -12)
	reports = [
		("Complaint Analysis", "Complaint Analysis",
			{"group_by": "Category", "period": "Monthly", "from_date": year_ago, "to_date": today}),
		("Open Complaints by Age", "Open Complaints by Age", {"group_by": "Territory", "age_buckets": "1,3,7,15"}),
		("Complaint SLA Compliance", "Complaint SLA Compliance",
			{"group_by": "Timer", "from_date": frappe.utils.add_months(today, -1), "to_date": today}),
		("Complaint SLA Compliance, 3 months", "Complaint SLA Compliance",
			{"group_by": "Timer", "from_date": frappe.utils.add_months(today, -3), "to_date": today}),
		("Complaint Satisfaction", "Complaint Satisfaction", {"group_by": "Territory", "from_date": year_ago, "to_date": today}),
	]  # fmt: skip
	return {
		f"report {label}": (
			"frappe.desk.query_report.run",
			{"report_name": name, "filters": json.dumps(filters, default=str), "ignore_prepared_report": 1},
		)
		for label, name, filters in reports
	}


# Measuring ----------------------------------------------------------------------------------------------


class Client:
	def __init__(self, url: str, host: str, user: str) -> None:
		self.url, self.session = url, requests.Session()
		self.session.headers["Host"] = host
		self.session.headers["X-Frappe-Site-Name"] = host  # scripts/dev-bench names its own site otherwise
		response = self.session.post(f"{url}/api/method/login", data={"usr": user, "pwd": PASSWORD})
		response.raise_for_status()

	def call(self, method: str, params: dict) -> float:
		started = time.perf_counter()
		response = self.session.post(f"{self.url}/api/method/{method}", data=params)
		elapsed = time.perf_counter() - started
		if response.status_code != 200:
			raise RuntimeError(f"{method}: {response.status_code} {response.text[:400]}")
		return elapsed

	def get(self, path: str) -> float:
		started = time.perf_counter()
		response = self.session.get(f"{self.url}{path}")
		elapsed = time.perf_counter() - started
		response.raise_for_status()
		return elapsed


def median_ms(client: Client, method: str, params: dict, repeat: int) -> float:
	client.call(method, params)  # warm
	return round(statistics.median(client.call(method, params) for _ in range(repeat)) * 1000, 1)


def settle_ms(client: Client, calls: dict[str, tuple[str, dict]], repeat: int) -> float:
	"""All the calls, six at a time (a browser's connections per host), until the last answers."""

	def once() -> float:
		started = time.perf_counter()
		with ThreadPoolExecutor(6) as pool:
			list(pool.map(lambda c: client.call(*c), calls.values()))
		return time.perf_counter() - started

	once()
	return round(statistics.median(once() for _ in range(repeat)) * 1000, 1)


def explain(user: str) -> dict[str, list]:
	"""The query plans of a region manager's open count and list (Frappe's own SQL for this user)."""
	from frappe.model.db_query import DatabaseQuery

	frappe.set_user(user)
	filters = json.loads(OPEN_FILTER)
	queries = {
		"exact count, open": DatabaseQuery("Customer Complaint").execute(
			fields=["count(`tabCustomer Complaint`.name) as total"], filters=filters, run=0
		),
		"card open % since": DatabaseQuery("Customer Complaint").execute(
			fields=["count(*) as result"],
			filters=[["docstatus", "=", 0], ["creation", "<", frappe.utils.add_days(None, -7)]],
			run=0,
		),
	}
	frappe.set_user("Administrator")
	return {name: frappe.db.sql(f"explain {sql}", as_dict=True) for name, sql in queries.items()}


def main() -> None:
	parser = argparse.ArgumentParser()
	parser.add_argument("--site", default="bench-complaints.localhost")
	parser.add_argument("--url", default="http://127.0.0.1:8000")
	parser.add_argument("--repeat", type=int, default=5)
	parser.add_argument("--json")
	parser.add_argument("--explain", action="store_true")
	parser.add_argument("--only", help="a role: coordinator, region_manager, portal, issue")
	args = parser.parse_args()
	frappe.init(site=args.site)
	frappe.connect()
	if not frappe.db.exists("Customer Complaint", {"name": ["like", "BENCH-%"]}):
		from benchmarks.bulk_data import make_bulk_complaints

		make_bulk_complaints()
	shape()
	make_assignments()
	make_issues()
	users = {"coordinator": COORDINATOR, "region_manager": REGION_MANAGER}
	results: dict[str, dict[str, float]] = {}
	for role, user in users.items():
		if args.only and args.only != role:
			continue
		client = Client(args.url, args.site, user)
		calls = {**complaint_list_requests(), **workspace_requests(user), **report_requests()}
		results[role] = {name: median_ms(client, *call, args.repeat) for name, call in calls.items()}
		results[role]["workspace settles"] = settle_ms(client, workspace_requests(user), args.repeat)
		print(role, json.dumps(results[role], indent=1), flush=True)
	if not args.only or args.only == "portal":
		client = Client(args.url, args.site, PORTAL_USER)
		client.get("/complaints")
		results[
			"portal"
		] = {  # the desk's list API is closed to portal users (access/doors.py): the page only
			"portal page /complaints": round(
				statistics.median(client.get("/complaints") for _ in range(args.repeat)) * 1000, 1
			)
		}
		print("portal", json.dumps(results["portal"], indent=1), flush=True)
	if not args.only or args.only == "issue":
		client = Client(args.url, args.site, SUPPORT_USER)
		results["issue"] = {name: median_ms(client, *c, args.repeat) for name, c in issue_requests().items()}
		print("issue", json.dumps(results["issue"], indent=1), flush=True)
	if args.explain:
		for name, plan in explain(REGION_MANAGER).items():
			print(f"\nEXPLAIN ({name}, region manager)")
			for row in plan:
				print(" ", {k: row[k] for k in ("table", "type", "key", "rows", "Extra")})
	if args.json:
		with open(args.json, "w") as f:
			json.dump({"results": results, "site": args.site, "repeat": args.repeat}, f, indent=1)
	frappe.destroy()


if __name__ == "__main__":
	main()
