"""Tier 2: a batch over the promised failure rate opens one Non Conformance and tells QA, once (the daily job,
run here as the scheduler runs it), against the quantity ERPNext's stock ledger says was delivered."""

import frappe
from frappe.tests.utils import FrappeTestCase

from complaint_handling.quality.failure_rates import check_batches
from complaint_handling.setup import demo
from complaint_handling.tests.factories import demo_delivery, make_complaint

QA = f"quality@{demo.EMAIL_DOMAIN}"


class TestFailureRates(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.delivery = demo_delivery(3)
		cls.batch = cls.delivery.filter_batch

	def setUp(self):
		frappe.set_user("Administrator")
		self.addCleanup(self.clean)
		self.clean()
		complaint = make_complaint(
			customer=self.delivery.customer,
			category="Product Quality",
			item=demo.BATCH_ITEM,
			batch_no=self.batch,
		)
		self.complaint = complaint.name
		inspection = frappe.get_doc(
			{
				"doctype": "Defect Inspection",
				"complaint": complaint.name,
				"determination": "Obvious Quality Defect",
				"photos": [{"photo": "/private/files/failure-rate.png"}],
			}
		).insert()
		# confirmed by QA and the chain (the path itself is test_quality_path's)
		frappe.db.set_value(
			"Defect Inspection",
			inspection.name,
			{"status": "Closed", "final_determination": "Obvious Quality Defect"},
		)
		frappe.db.commit()

	def clean(self):
		frappe.set_user("Administrator")
		frappe.db.rollback()
		frappe.db.delete("Non Conformance", {"failure_batch": self.batch})
		for name in frappe.get_all("Customer Complaint", filters={"batch_no": self.batch}, pluck="name"):
			frappe.db.delete("Defect Inspection", {"complaint": name})
			frappe.delete_doc("Customer Complaint", name, force=True, ignore_permissions=True)
		frappe.db.set_single_value("Complaint Settings", "promised_failure_rate", 1)
		frappe.db.commit()

	def delivered(self) -> float:
		return -frappe.db.sql(
			"""select sum(sbe.qty) from `tabSerial and Batch Entry` sbe
			join `tabSerial and Batch Bundle` sbb on sbb.name = sbe.parent
			where sbb.voucher_type = 'Delivery Note' and sbb.type_of_transaction = 'Outward'
				and sbb.docstatus = 1 and sbb.is_cancelled = 0 and sbe.batch_no = %s""",
			self.batch,
		)[0][0]

	def opened_for_batch(self) -> list[str]:
		return frappe.get_all("Non Conformance", filters={"failure_batch": self.batch}, pluck="name")

	def test_a_batch_over_the_promise_opens_one_non_conformance_and_tells_qa_once(self):
		delivered = self.delivered()
		self.assertGreater(delivered, 0)
		opened = [name for name in check_batches() if name in self.opened_for_batch()]
		frappe.db.commit()
		self.assertEqual(len(opened), 1)
		found = frappe.get_doc("Non Conformance", opened[0])
		rate = round(1000 / delivered, 3)
		self.assertIn(f"{rate} ‰", found.subject)
		self.assertEqual((found.status, found.procedure), ("Open", "Customer Complaint Handling"))
		self.assertTrue(
			frappe.db.exists(
				"Notification Log",
				{"for_user": QA, "document_type": "Non Conformance", "document_name": found.name},
			),
			"QA is told",
		)
		# the next runs stay quiet
		self.assertFalse(set(check_batches()) & set(self.opened_for_batch()))
		self.assertEqual(self.opened_for_batch(), opened)

	def test_a_batch_within_the_promise_opens_nothing(self):
		frappe.db.set_single_value("Complaint Settings", "promised_failure_rate", 1000)
		frappe.db.commit()
		check_batches()
		self.assertEqual(self.opened_for_batch(), [])
