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
SLA, its naming, its notifications. The documents are deleted afterwards.
Uses only the standard library.
"""

import argparse
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
	subjects = [" ".join(rng.sample(WORDS, 5)) for _ in range(args.count + WARM_UP)]

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

	timings: dict[str, list[float]] = {"Issue": [], "Customer Complaint": []}
	made: dict[str, list[str]] = {"Issue": [], "Customer Complaint": []}
	warm_up = WARM_UP
	for n in range(args.count + warm_up):
		for doctype, body in (("Issue", issue(n)), ("Customer Complaint", complaint(n))):
			seconds, payload = client.call("POST", f"/api/resource/{doctype.replace(' ', '%20')}", body)
			made[doctype].append(payload["data"]["name"])
			if n >= warm_up:
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
	figures["count_each"] = args.count
	figures["follow_ups_done_after_last_request_s"] = round(follow_up_seconds, 1)
	print(json.dumps(figures, indent=1))
	if args.json:
		with open(args.json, "w") as out:
			json.dump(figures, out, indent=1)
	return 0


if __name__ == "__main__":
	sys.exit(main())
