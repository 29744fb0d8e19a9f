"""Tier 2: two approvals of the same step at the same moment, as two real HTTP requests to a served site.

One wins; the other gets a clear conflict (4xx), and the complaint holds exactly one approval.
"""

import json
import threading

import frappe
import requests
from frappe.tests.utils import FrappeTestCase

from complaint_handling import demo
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
