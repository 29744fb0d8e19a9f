"""P3: what registering a complaint over REST costs, side by side with an ERPNext Issue created the same way
on the same site.

Run against a served site (scripts/dev-bench serves complaints.localhost on 127.0.0.1:8000):

    python3 benchmarks/p3_intake.py [--url http://127.0.0.1:8000] [--host complaints.localhost] \\
        [--count 60] [--json PATH]

Both are POST /api/resource/<DocType> by the same logged-in user (Administrator, so that neither pays for
permission checks the other does not), interleaved one by one so that load and caches hit both alike,
after 5 warm-up requests of each. A complaint does its whole intake in the request: routing, SLA
deadlines and clocks, link checks, repeat detection, read-back state; shares, assignment and notifications
go to a background job after commit (docs/procedure.md §2, §8). The Issue is ERPNext's own intake: its
naming, its notifications, and in a second pass its SLA. Each pass starts once the site's background
queue is empty (what an earlier pass left: deletions, notifications).

Two passes, each interleaved: against a bare Issue (the site as installed: ERPNext's service level
tracking off), then against an Issue under an ERPNext Service Level Agreement (tracking on, a default
agreement for Issues: Monday-Friday 08:30-17:30, first response 2 h, resolution 135 working hours — like
the complaint's policy, its deadlines are computed at intake). The agreement, its holiday list and the
tracking setting are put back as they were afterwards; the documents are deleted.
Uses only the standard library.
"""

import argparse
import contextlib
import http.cookiejar
import json
import random
import statistics
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

WARM_UP = 5
# Subjects are drawn from these words so that the complaints are not repeats of each other (a repeat is a
# different, heavier intake: related complaints, raised severity).
WORDS = (
	"delivery late invoice wrong address driver rude package damaged missing parts noise leak "
	"warranty refund exchange colour size scratch broken screen battery charger manual label "
	"courier weekend phone call unanswered promise price discount order duplicate cancelled"
).split()


class Client:
	def __init__(self, url: str, host: str) -> None:
		self.url, self.host = url.rstrip("/"), host
		self.opener = urllib.request.build_opener(
			urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
		)

	def call(self, method: str, path: str, body: dict | None = None) -> tuple[float, dict]:
		data = json.dumps(body).encode() if body is not None else None
		request = urllib.request.Request(
			f"{self.url}{path}",
			data=data,
			method=method,
			headers={"Host": self.host, "Content-Type": "application/json", "Accept": "application/json"},
		)
		started = time.perf_counter()
		try:
			with self.opener.open(request, timeout=60) as response:
				payload = json.loads(response.read() or b"{}")
		except urllib.error.HTTPError as error:
			raise SystemExit(f"{method} {path}: HTTP {error.code}: {error.read()[:800]!r}") from None
		return time.perf_counter() - started, payload

	def forget(self, path: str) -> None:
		"""DELETE, whether or not it exists (a run that was interrupted may have left it)."""
		request = urllib.request.Request(
			f"{self.url}{path}", method="DELETE", headers={"Host": self.host, "Accept": "application/json"}
		)
		try:
			with self.opener.open(request, timeout=60) as response:
				response.read()
		except urllib.error.HTTPError:
			pass


def wait_until_quiet(client: "Client", limit_s: float = 900) -> float:
	"""Wait until the site's background queue is empty (the jobs an earlier pass left: its deletions, its
	notifications), so that each pass starts on an idle machine; returns the seconds waited."""
	started = time.perf_counter()
	for status in ("queued", "started"):
		query = urllib.parse.quote(json.dumps([["RQ Job", "status", "=", status]]))
		while time.perf_counter() - started < limit_s:
			_, found = client.call(
				"GET", f"/api/method/frappe.desk.reportview.get_count?doctype=RQ%20Job&filters={query}"
			)
			if not found.get("message"):
				break
			time.sleep(2)
	return time.perf_counter() - started


SLA_NAME = "P3 Benchmark Issue SLA"
SLA_DOC = f"SLA-Issue-{SLA_NAME}"  # its autoname: SLA-{document_type}-{service_level}
HOLIDAYS = "P3 Benchmark Holidays"


@contextlib.contextmanager
def issue_sla(client: "Client"):
	"""ERPNext's service level tracking on, with a default agreement for Issues, for the duration."""
	_, settings = client.call("GET", "/api/resource/Support%20Settings/Support%20Settings")
	tracking = settings["data"].get("track_service_level_agreement") or 0
	year = time.gmtime().tm_year
	client.forget(f"/api/resource/Service%20Level%20Agreement/{urllib.parse.quote(SLA_DOC)}")
	client.forget(f"/api/resource/Holiday%20List/{urllib.parse.quote(HOLIDAYS)}")
	client.call(
		"POST",
		"/api/resource/Holiday%20List",
		{
			"holiday_list_name": HOLIDAYS,
			"from_date": f"{year - 1}-01-01",
			"to_date": f"{year + 1}-12-31",
			"holidays": [
				{"holiday_date": f"{year}-10-0{day}", "description": "National Day"} for day in range(1, 8)
			],
		},
	)
	client.call(
		"PUT", "/api/resource/Support%20Settings/Support%20Settings", {"track_service_level_agreement": 1}
	)
	client.call(
		"POST",
		"/api/resource/Service%20Level%20Agreement",
		{
			"service_level": SLA_NAME,
			"document_type": "Issue",
			"enabled": 1,
			"default_service_level_agreement": 1,
			"default_priority": "Medium",
			"holiday_list": HOLIDAYS,
			"apply_sla_for_resolution": 1,
			"priorities": [
				{
					"priority": "Medium",
					"default_priority": 1,
					"response_time": 7200,
					"resolution_time": 135 * 3600,
				}
			],
			"support_and_resolution": [
				{"workday": day, "start_time": "08:30:00", "end_time": "17:30:00"}
				for day in ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")
			],
			"sla_fulfilled_on": [{"status": "Resolved"}, {"status": "Closed"}],
		},
	)
	try:
		yield
	finally:
		client.call("DELETE", f"/api/resource/Service%20Level%20Agreement/{urllib.parse.quote(SLA_DOC)}")
		client.call(
			"PUT",
			"/api/resource/Support%20Settings/Support%20Settings",
			{"track_service_level_agreement": tracking},
		)
		client.call("DELETE", f"/api/resource/Holiday%20List/{urllib.parse.quote(HOLIDAYS)}")


def main() -> int:
	parser = argparse.ArgumentParser(
		description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
	)
	parser.add_argument("--url", default="http://127.0.0.1:8000")
	parser.add_argument("--host", default="complaints.localhost")
	parser.add_argument("--user", default="Administrator")
	parser.add_argument("--password", default="admin")
	parser.add_argument("--count", type=int, default=60)
	parser.add_argument("--json")
	args = parser.parse_args()

	client = Client(args.url, args.host)
	client.call("POST", "/api/method/login", {"usr": args.user, "pwd": args.password})
	_, found = client.call("GET", "/api/resource/Customer?limit_page_length=0&order_by=name%20asc")
	customers = [row["name"] for row in found["data"]]
	rng = random.Random(2026)
	subjects = [" ".join(rng.sample(WORDS, 5)) for _ in range(2 * (args.count + WARM_UP))]

	def issue(n: int) -> dict:
		return {
			"subject": subjects[n],
			"customer": customers[n % len(customers)],
			"raised_by": f"p3.buyer{n}@customers.example.com",
			"description": "The delivery arrived three days late and the driver was rude.",
		}

	def complaint(n: int) -> dict:
		return {
			"customer": customers[n % len(customers)],
			"category": "Policy / Customer Service",
			"subject": subjects[n],
			"channel": "Phone",
			"complainant_name": "P3 Buyer",
			"complainant_email": f"p3.buyer{n}@customers.example.com",
			"description": "The delivery arrived three days late and the driver was rude.",
		}

	def measure(offset: int) -> tuple[dict, float]:
		wait_until_quiet(client)
		timings: dict[str, list[float]] = {"Issue": [], "Customer Complaint": []}
		made: dict[str, list[str]] = {"Issue": [], "Customer Complaint": []}
		for n in range(offset, offset + args.count + WARM_UP):
			for doctype, body in (("Issue", issue(n)), ("Customer Complaint", complaint(n))):
				seconds, payload = client.call("POST", f"/api/resource/{doctype.replace(' ', '%20')}", body)
				made[doctype].append(payload["data"]["name"])
				if n >= offset + WARM_UP:
					timings[doctype].append(seconds)
		# the registrations' background follow-ups (mails, shares, ToDos) finish before anything is deleted
		waited = time.perf_counter()
		pending_filter = urllib.parse.quote(
			json.dumps([["registration_followup", "=", 1], ["name", "in", made["Customer Complaint"]]])
		)
		while time.perf_counter() - waited < 300:
			_, pending = client.call(
				"GET", f"/api/resource/Customer%20Complaint?filters={pending_filter}&limit_page_length=0"
			)
			if not pending["data"]:
				break
			time.sleep(1)
		follow_up_seconds = time.perf_counter() - waited
		for doctype, names in made.items():
			for name in reversed(names):  # a later complaint may name an earlier one as related
				client.call("DELETE", f"/api/resource/{doctype.replace(' ', '%20')}/{name}")
		figures = {
			doctype: {
				"median_ms": round(statistics.median(values) * 1000, 1),
				"p90_ms": round(statistics.quantiles(values, n=10)[-1] * 1000, 1),
			}
			for doctype, values in timings.items()
		}
		figures["ratio_median"] = round(
			figures["Customer Complaint"]["median_ms"] / figures["Issue"]["median_ms"], 2
		)
		return figures, follow_up_seconds

	result: dict = {"count_each": args.count}
	result["bare_issue"], waited = measure(0)
	with issue_sla(client):
		result["issue_with_erpnext_sla"], waited_sla = measure(args.count + WARM_UP)
	result["follow_ups_done_after_last_request_s"] = round(max(waited, waited_sla), 1)
	print(json.dumps(result, indent=1))
	if args.json:
		with open(args.json, "w") as out:
			json.dump(result, out, indent=1)
	return 0


if __name__ == "__main__":
	sys.exit(main())
