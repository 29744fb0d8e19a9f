"""Tier 2: two real processes acting on one complaint at the same moment.

Two approvals of the same step, as two HTTP requests to a served site: one wins; the other gets a clear
conflict (4xx), and the complaint holds exactly one approval. A user's action over HTTP while a worker runs
the registration's follow-up job: both are done, and one assignment is open.
"""

import json
import os
import threading

import frappe
import requests
from frappe.tests.utils import FrappeTestCase

from complaint_handling.intake import received_weeks
from complaint_handling.setup import demo
from complaint_handling.tests.browser import served_site
from complaint_handling.tests.factories import demo_delivery, make_complaint
from complaint_handling.tests.test_workflow import act

DIRECTOR = f"director@{demo.EMAIL_DOMAIN}"
EAST = demo.TERRITORIES[0].manager_email


class TestConcurrentApprovals(FrappeTestCase):
	def session(self, base: str, host: str) -> requests.Session:
		session = requests.Session()
		session.headers["Host"] = host
		response = session.post(f"{base}/api/method/login", data={"usr": DIRECTOR, "pwd": demo.DEMO_PASSWORD})
		self.assertEqual(response.status_code, 200, response.text[:300])
		return session

	def test_one_of_two_simultaneous_approvals_wins(self):
		delivery = demo_delivery(0)
		complaint = make_complaint(
			customer=delivery.customer, subject="Concurrent approval", unconfirmed_reason="x"
		)
		complaint = act("Administrator", complaint, "Dispatch")
		complaint = act(EAST, complaint, "Propose", proposal="Refund", amount_at_stake=20000)
		self.assertEqual(complaint.pending_approver, "Marketing Director")
		frappe.db.commit()
		try:
			with served_site() as url:
				host = url.split("//", 1)[1]
				base = "http://127.0.0.1:" + host.rsplit(":", 1)[1]
				sessions = [self.session(base, host) for _ in range(2)]
				doc = json.dumps(frappe.get_doc("Customer Complaint", complaint.name).as_dict(), default=str)
				barrier, results = threading.Barrier(2), [None, None]

				def approve(i: int) -> None:
					barrier.wait()
					results[i] = sessions[i].post(
						f"{base}/api/method/frappe.model.workflow.apply_workflow",
						data={"doc": doc, "action": "Approve"},
					)

				threads = [threading.Thread(target=approve, args=(i,)) for i in range(2)]
				for thread in threads:
					thread.start()
				for thread in threads:
					thread.join(60)
			codes = sorted(r.status_code for r in results)
			loser = next(r for r in results if r.status_code != 200)
			self.assertTrue(
				any(
					w in loser.text
					for w in ("modified after you have opened it", "not allowed", "awaits approval")
				),
				loser.text[:500],
			)
			self.assertEqual(codes[0], 200, [r.text[:300] for r in results])
			self.assertTrue(400 <= codes[1] < 500, [r.text[:300] for r in results])
			frappe.db.commit()
			approved = frappe.get_doc("Customer Complaint", complaint.name)
			self.assertEqual(approved.status, "Approved")
			self.assertEqual(len(approved.approvals), 1)
		finally:
			frappe.db.set_value("Customer Complaint", complaint.name, "docstatus", 2)
			frappe.delete_doc("Customer Complaint", complaint.name, force=True, ignore_permissions=True)
			frappe.db.commit()


# A live site's worker running the registration's follow-up job as `frappe.utils.background_jobs.execute_job`
# does, in a process of its own: one line on stdin ("<complaint> <user> <delay>") runs it once, one line on
# stdout tells how it ended. No retry on a deadlock (the worker would retry the job): here every deadlock is
# seen. Not as a worker under CI runs (the `CI` variable makes its jobs tests, and Frappe then sends each
# assignment's mail at once and commits in the middle of the job, which no live site does).
JOB_RUNNER = """
import sys, time, traceback
import frappe
from complaint_handling.intake.registration import follow_up_registration
site = sys.argv[1]
print("ready", flush=True)
for line in sys.stdin:
	name, user, delay = line.split()
	time.sleep(float(delay))
	frappe.init(site=site)
	frappe.connect()
	frappe.set_user(user)
	try:
		follow_up_registration(name)
		frappe.db.commit()
		outcome = "ok"
	except Exception:
		frappe.db.rollback()
		outcome = "error " + traceback.format_exc().replace(chr(10), " | ")
	finally:
		frappe.destroy()
	print(outcome, flush=True)
"""


def weekly_summary() -> list:
	summary = received_weeks.SUMMARY
	columns = ", ".join(("name", *summary.key_columns, *summary.value_columns))
	return frappe.db.sql(f"select {columns} from {summary.table} where complaints != 0 order by name")


class TestActingWhileTheRegistrationJobRuns(FrappeTestCase):
	"""A user acts on a complaint a moment after registering it, while a worker runs the registration's
	follow-up job (acknowledgement, shares, assignment) in another process: the user's action is done, the
	job's work is kept, and exactly one assignment is open — for whose move it is after the action."""

	ROUNDS = 20
	CLERK = f"clerk@{demo.EMAIL_DOMAIN}"
	COORDINATOR = f"coordinator@{demo.EMAIL_DOMAIN}"

	def login(self, base: str, host: str, user: str) -> requests.Session:
		session = requests.Session()
		session.headers["Host"] = host
		response = session.post(f"{base}/api/method/login", data={"usr": user, "pwd": demo.DEMO_PASSWORD})
		self.assertEqual(response.status_code, 200, response.text[:300])
		return session

	def test_dispatch_while_the_registration_job_runs_keeps_both_and_assigns_once(self):
		import subprocess
		import sys
		import time
		from pathlib import Path

		from complaint_handling.tests.factories import make_email_account, remove_complaint
		from complaint_handling.tests.utils import drop_queued_jobs, run_background_jobs

		delivery = demo_delivery(0)
		make_email_account()  # the acknowledgement is e-mailed, as on a live site
		received_weeks.rebuild()
		frappe.db.commit()
		names: list[str] = []
		outcomes: list[tuple[str, int, str, str]] = []
		try:
			with served_site() as url:
				host = url.split("//", 1)[1]
				base = "http://127.0.0.1:" + host.rsplit(":", 1)[1]
				clerk = self.login(base, host, self.CLERK)
				coordinator = self.login(base, host, self.COORDINATOR)
				# registered over REST by the clerk: the follow-up job is queued, and waits for our runner
				for i in range(self.ROUNDS):
					response = clerk.post(
						f"{base}/api/resource/Customer Complaint",
						json={
							"customer": delivery.customer,
							"category": "Policy / Customer Service",
							"subject": f"Race {i}: delivery arrived late",
							"channel": "Phone",
							"complainant_email": "race.buyer@customers.example.com",
							"unconfirmed_reason": "The customer hung up before the read-back.",
						},
					)
					self.assertEqual(response.status_code, 200, response.text[:500])
					names.append(response.json()["data"]["name"])
				runner = subprocess.Popen(
					[sys.executable, "-c", JOB_RUNNER, frappe.local.site],
					cwd=Path(frappe.utils.get_bench_path()) / "sites",
					stdin=subprocess.PIPE,
					stdout=subprocess.PIPE,
					text=True,
					env={k: v for k, v in os.environ.items() if k != "CI"},
				)
				try:
					self.assertEqual(runner.stdout.readline().strip(), "ready")
					for i, name in enumerate(names):
						# from the job 0.15 s ahead to 0.33 s behind the request: every interleaving of the two
						offset = -0.15 + i * 0.025
						doc = json.dumps(frappe.get_doc("Customer Complaint", name).as_dict(), default=str)
						barrier, result = threading.Barrier(2), {}

						def job(name=name, offset=offset, barrier=barrier, result=result):
							barrier.wait()
							runner.stdin.write(f"{name} {self.CLERK} {max(offset, 0):.3f}\n")
							runner.stdin.flush()
							result["job"] = runner.stdout.readline().strip()

						def dispatch(doc=doc, offset=offset, barrier=barrier, result=result):
							barrier.wait()
							time.sleep(max(-offset, 0))
							result["user"] = coordinator.post(
								f"{base}/api/method/frappe.model.workflow.apply_workflow",
								data={"doc": doc, "action": "Dispatch"},
							)

						threads = [threading.Thread(target=job), threading.Thread(target=dispatch)]
						for thread in threads:
							thread.start()
						for thread in threads:
							thread.join(120)
						user = result.get("user")
						outcomes.append(
							(
								name,
								user.status_code if user is not None else 0,
								user.text[:300] if user is not None and user.status_code != 200 else "",
								result.get("job", "no answer")[-400:],
							)
						)
				finally:
					runner.stdin.close()
					runner.wait(30)
			failed = [o for o in outcomes if o[1] != 200 or o[3] != "ok"]
			self.assertEqual(failed, [], f"{len(failed)} of {len(outcomes)}: every action and job succeeds")
			# the assignments a request left to a job (its view was older than the registration job's
			# commit) run as a worker runs them; the rest of the queue (mail) is not what is tested here
			run_background_jobs(queue="short", live=True)
			frappe.db.rollback()
			for name in names:
				stored = frappe.db.get_value(
					"Customer Complaint", name, ["status", "handler", "registration_followup"], as_dict=True
				)
				self.assertEqual((stored.status, stored.registration_followup), ("In Progress", 0), name)
				self.assertTrue(stored.handler, name)
				todos = frappe.get_all(
					"ToDo",
					filters={
						"reference_type": "Customer Complaint",
						"reference_name": name,
						"status": "Open",
					},
					pluck="allocated_to",
				)
				self.assertEqual(todos, [stored.handler], f"{name}: one open assignment, the handler's")
				shares = frappe.get_all(
					"DocShare",
					filters={
						"share_doctype": "Customer Complaint",
						"share_name": name,
						"user": stored.handler,
					},
				)
				self.assertEqual(len(shares), 1, f"{name}: shared once with the handler")
				acknowledgements = frappe.get_all(
					"Communication",
					filters={
						"reference_doctype": "Customer Complaint",
						"reference_name": name,
						"communication_type": "Automated Message",
						"subject": ["like", "%We received your complaint%"],
					},
				)
				self.assertEqual(len(acknowledgements), 1, f"{name}: acknowledged once")
			# the job counted each complaint into the weekly intake summary and the dispatch moved it to its
			# handler, in whichever order they met: what they added is what a recount finds
			counted = weekly_summary()
			received_weeks.rebuild()
			self.assertEqual(weekly_summary(), counted, "the weekly intake summary, as a recount finds it")
		finally:
			drop_queued_jobs()
			frappe.db.rollback()
			for name in names:
				frappe.db.delete(
					"Communication", {"reference_doctype": "Customer Complaint", "reference_name": name}
				)
				frappe.db.delete(
					"Email Queue", {"reference_doctype": "Customer Complaint", "reference_name": name}
				)
				frappe.db.delete("DocShare", {"share_doctype": "Customer Complaint", "share_name": name})
				remove_complaint(name)
			frappe.db.commit()
