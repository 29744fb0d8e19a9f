"""P6: concurrent intake — clients registering complaints over REST for two minutes, beside as many clients
creating ERPNext Issues, against a served site; then the background queue until it is empty.

Run with the bench's Python from its sites folder, the site served by gunicorn (e.g. 4 workers) and the
bench's background workers running (e.g. 2):

    cd ~/frappe-bench/sites && PYTHONPATH=/path/to/complaint_handling \\
        ../env/bin/python /path/to/complaint_handling/benchmarks/p6_concurrent_intake.py \\
        --site bench-complaints.localhost --url http://127.0.0.1:8001 [--clients 20] [--seconds 120] \\
        [--web-pids PIDS] [--worker-pids PIDS] [--json PATH]

Complaints are registered by the demo's clerk, Issues by a Support Team user (P5 makes both), for 40
customers of their own, each client a thread with its own session, one request after another. Measured: requests per second, p50/p95/max latency
and errors of each; how long after the end the site's queue took to empty; then every complaint of the run
is checked — deadlines, routing, the follow-up done (acknowledgement queued, shares, assignment). CPU: the
seconds the web and worker processes given (their children included) used during the run and the drain.
"""

import argparse
import json
import os
import random
import statistics
import threading
import time

import frappe
import requests

from complaint_handling.setup import demo

CLERK = f"clerk@{demo.EMAIL_DOMAIN}"
SUPPORT_USER = "support.bench@demo.example.com"
WORDS = (
	"delivery late invoice wrong address driver rude package damaged missing parts noise leak warranty refund "
	"exchange colour size scratch broken screen battery charger manual label courier weekend phone call"
).split()


def cpu_seconds(pids: list[int]) -> float:
	"""User + system CPU of the processes and their reaped children (/proc/PID/stat, clock ticks)."""
	total = 0
	for pid in pids:
		try:
			fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
		except OSError:
			continue
		total += sum(int(fields[i]) for i in (11, 12, 13, 14))  # utime stime cutime cstime
	return total / os.sysconf("SC_CLK_TCK")


def tree(pids: list[int]) -> list[int]:
	"""The processes and their live children (gunicorn's workers under its master)."""
	found = list(pids)
	for pid in pids:
		try:
			children = open(f"/proc/{pid}/task/{pid}/children").read().split()
		except OSError:
			continue
		found += tree([int(c) for c in children])
	return found


def session(url: str, site: str, user: str, password: str) -> requests.Session:
	s = requests.Session()
	s.headers.update({"Host": site, "X-Frappe-Site-Name": site, "Accept": "application/json"})
	r = s.post(f"{url}/api/method/login", data={"usr": user, "pwd": password})
	r.raise_for_status()
	return s


def queue_length(site: str) -> int:
	from frappe.utils.background_jobs import get_queues

	count = 0
	for queue in get_queues():
		for job in queue.get_jobs():
			if job.kwargs.get("site") == site:
				count += 1
		count += sum(
			1
			for job_id in queue.started_job_registry.get_job_ids()
			if (job := queue.fetch_job(job_id)) and job.kwargs.get("site") == site
		)
	return count


def main() -> None:
	parser = argparse.ArgumentParser()
	parser.add_argument("--site", default="bench-complaints.localhost")
	parser.add_argument("--url", default="http://127.0.0.1:8001")
	parser.add_argument("--clients", type=int, default=20)
	parser.add_argument("--seconds", type=int, default=120)
	parser.add_argument("--web-pids", default="")
	parser.add_argument("--worker-pids", default="")
	parser.add_argument("--json")
	args = parser.parse_args()
	frappe.init(site=args.site)
	frappe.connect()
	# customers of the size a customer usually is: P5's eleven carry 100,000 complaints each, 16,000 of them
	# open or recent, and each registration compares its subject with all of those (measured on its own)
	customers = [
		demo.ensure_customer(f"P6 Customer {i + 1}", demo.TERRITORIES[i % 2].name) for i in range(40)
	]
	frappe.db.commit()
	web = [int(p) for p in args.web_pids.split(",") if p]
	workers = [int(p) for p in args.worker_pids.split(",") if p]
	run_id = frappe.generate_hash(length=6)
	results: dict[str, list] = {"Customer Complaint": [], "Issue": []}
	errors: dict[str, list] = {"Customer Complaint": [], "Issue": []}
	names: dict[str, list] = {"Customer Complaint": [], "Issue": []}
	lock = threading.Lock()
	stop_at = [0.0]

	def body(doctype: str, rng: random.Random, n: int) -> dict:
		subject = f"P6 {run_id} " + " ".join(rng.sample(WORDS, 5))
		if doctype == "Issue":
			return {"subject": subject, "customer": customers[n % len(customers)],
				"raised_by": f"p6.buyer{n}@customers.example.com", "description": "Arrived late."}  # fmt: skip
		return {"customer": customers[n % len(customers)], "category": "Policy / Customer Service",
			"subject": subject, "channel": "Phone", "complainant_name": "P6 Buyer",
			"complainant_email": f"p6.buyer{n}@customers.example.com",
			"description": "The delivery arrived three days late and the driver was rude."}  # fmt: skip

	def client(doctype: str, index: int) -> None:
		user = CLERK if doctype == "Customer Complaint" else SUPPORT_USER
		s = session(args.url, args.site, user, demo.DEMO_PASSWORD)
		rng = random.Random(f"{doctype}{index}")
		n = index * 100_000
		while time.perf_counter() < stop_at[0]:
			n += 1
			started = time.perf_counter()
			try:
				r = s.post(f"{args.url}/api/resource/{doctype}", json=body(doctype, rng, n), timeout=120)
				elapsed = time.perf_counter() - started
				with lock:
					if r.status_code == 200:
						results[doctype].append(elapsed)
						names[doctype].append(r.json()["data"]["name"])
					else:
						errors[doctype].append(f"{r.status_code} {r.text[:200]}")
			except requests.RequestException as error:
				with lock:
					errors[doctype].append(str(error)[:200])

	cpu_before = cpu_seconds(tree(web)), cpu_seconds(tree(workers))
	threads = [
		threading.Thread(target=client, args=(doctype, i)) for doctype in results for i in range(args.clients)
	]
	start = time.perf_counter()
	stop_at[0] = start + args.seconds
	for t in threads:
		t.start()
	for t in threads:
		t.join()
	ended = time.perf_counter()
	cpu_run = cpu_seconds(tree(web)) - cpu_before[0], cpu_seconds(tree(workers)) - cpu_before[1]
	while queue_length(args.site) and time.perf_counter() - ended < 1800:
		time.sleep(1)
	drained = time.perf_counter() - ended
	time.sleep(2)  # the last job's commit
	cpu_all = cpu_seconds(tree(web)) - cpu_before[0], cpu_seconds(tree(workers)) - cpu_before[1]

	frappe.db.rollback()
	made = names["Customer Complaint"]
	checks = {}
	if made:
		rows = frappe.get_all(
			"Customer Complaint",
			filters={"name": ["in", made]},
			fields=[
				"name",
				"response_by",
				"resolution_by",
				"sla_policy",
				"registration_followup",
				"waiting_for",
				"route_timers",
			],
		)
		todos = set(
			frappe.get_all(
				"ToDo",
				filters={
					"reference_type": "Customer Complaint",
					"reference_name": ["in", made],
					"status": "Open",
				},
				pluck="reference_name",
			)
		)
		mails = set(
			frappe.get_all(
				"Email Queue",
				filters={"reference_doctype": "Customer Complaint", "reference_name": ["in", made]},
				pluck="reference_name",
			)
		)
		checks = {
			"complaints": len(rows),
			"with deadlines": sum(1 for r in rows if r.response_by and r.resolution_by and r.sla_policy),
			"routed (route timers, whose move)": sum(1 for r in rows if r.route_timers and r.waiting_for),
			"follow-up done": sum(1 for r in rows if not r.registration_followup),
			"assigned (open ToDo)": sum(1 for r in rows if r.name in todos),
			"acknowledgement queued": sum(1 for r in rows if r.name in mails),
		}

	def stats(values: list[float]) -> dict:
		if not values:
			return {}
		ordered = sorted(values)
		return {
			"requests": len(values),
			"per_second": round(len(values) / (ended - start), 2),
			"p50_ms": round(statistics.median(ordered) * 1000, 1),
			"p95_ms": round(ordered[int(0.95 * (len(ordered) - 1))] * 1000, 1),
			"max_ms": round(ordered[-1] * 1000, 1),
		}

	report = {
		"clients_each": args.clients,
		"seconds": args.seconds,
		"complaint": stats(results["Customer Complaint"]),
		"issue": stats(results["Issue"]),
		"errors": {k: len(v) for k, v in errors.items()},
		"error_samples": {k: v[:3] for k, v in errors.items()},
		"queue_drained_after_s": round(drained, 1),
		"cpu_s_during_run": {"web": round(cpu_run[0], 1), "workers": round(cpu_run[1], 1)},
		"cpu_s_run_and_drain": {"web": round(cpu_all[0], 1), "workers": round(cpu_all[1], 1)},
		"checks": checks,
	}
	if report["complaint"] and report["issue"]:
		report["p95_ratio"] = round(report["complaint"]["p95_ms"] / report["issue"]["p95_ms"], 2)
	print(json.dumps(report, indent=1))
	if args.json:
		with open(args.json, "w") as f:
			json.dump(report, f, indent=1)
	frappe.destroy()


if __name__ == "__main__":
	main()
