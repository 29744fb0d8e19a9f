"""Tier 2: the resolution documents and QA's Non Conformance, made from an approved inspection with one action
each over HTTP (Create ▸ Replacement / Invoice / Credit Note / Scrap / Non Conformance), checked for their
parties, amounts, the stock ledger, and that asking twice makes one document."""

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_days, nowdate

from complaint_handling.setup import demo
from complaint_handling.tests.factories import service_items, spare_pump
from complaint_handling.tests.test_quality_path import DIRECTOR, EAST, MR, QA, WAREHOUSE, QualityPathDriver
from complaint_handling.tests.utils import SettingsMixin

NC = "/api/method/complaint_handling.quality.actions.make_non_conformance"
SPARE = "PUMP-SPARE-00001"  # a pump put in the stores by this test (with whatever else they hold)


class TestResolutions(SettingsMixin, QualityPathDriver, FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		frappe.set_user("Administrator")
		cls.stores = spare_pump(SPARE)
		service_items()
		frappe.db.commit()

	def back_in_qa(self, complaint, determination: str, **fields) -> str:
		"""Inspected, approved by the director, goods returned and received: QA's turn."""
		name = self.inspected(complaint, determination, **fields)
		self.through(name, (EAST, "Submit for Approval"), (DIRECTOR, "Approve"), (EAST, "Return Goods"))
		made = self.goods_return(name)
		self.ok(self.users[WAREHOUSE].submit(made["doctype"], made["name"]))
		self.act(QA, name, "Start QA Review")
		return name

	def test_an_exchange_is_replaced_free_the_returned_unit_scrapped_and_qa_opens_a_non_conformance(self):
		d = self.serial_delivery
		self.setting("exchange_days", 100_000)  # the demo pump is months old: exchanged as within the window
		complaint = self.quality_complaint(d, serial_no=d.serial_no, delivery_note=d.delivery_note)
		name = self.back_in_qa(complaint, "Obvious Quality Defect")
		self.ok(
			self.users[QA].put(
				name,
				{
					"root_cause": "Porous casting",
					"containment": "Lot on hold",
					"remedy": "Exchange",
					"customer_proposal": "Free exchange.",
					"corrective_action": "Supplier audit.",
					"preventive_action": "X-ray sampling.",
				},
			)
		)
		self.act(QA, name, "Propose")
		self.make(name, "Replacement", status=417)  # not before the region manager approves the proposal
		self.act(EAST, name, "Approve Proposal")

		# QA's 8D record as ERPNext's Non Conformance, once
		made = self.ok(self.users[QA].post(NC, {"inspection": name})).json["message"]
		self.made.append(("Non Conformance", made["name"]))
		self.assertEqual(self.ok(self.users[QA].post(NC, {"inspection": name})).json["message"], made)
		nc = frappe.get_doc("Non Conformance", made["name"])
		self.assertEqual(
			(nc.defect_inspection, nc.status, nc.procedure), (name, "Open", "Customer Complaint Handling")
		)
		self.assertIn("Porous casting", nc.details)
		self.assertIn("Lot on hold", nc.details)
		self.assertEqual((nc.corrective_action, nc.preventive_action), ("Supplier audit.", "X-ray sampling."))
		self.assertEqual(frappe.db.get_value("Defect Inspection", name, "non_conformance"), nc.name)
		# QA supervises it to closure in the Quality module
		self.ok(self.users[QA].put_resource("Non Conformance", nc.name, {"status": "Resolved"}))

		# free replacement from the stores, once
		made = self.make(name, "Replacement")
		self.assertEqual(self.make(name, "Replacement"), made)
		note = frappe.get_doc("Delivery Note", made["name"])
		self.assertEqual((note.customer, note.is_return, note.defect_inspection), (d.customer, 0, name))
		self.assertEqual(
			[(r.item_code, r.qty, r.rate, r.is_free_item, r.warehouse) for r in note.items],
			[(d.item, 1, 0, 1, self.stores)],
		)
		self.assertEqual(note.grand_total, 0)
		# the stores ship one of their pumps — which one is the stock's pick (first in, first out), not ours
		spares = set(
			frappe.get_all("Serial No", {"item_code": d.item, "warehouse": self.stores}, pluck="name")
		)
		self.assertIn(SPARE, spares)
		self.ok(self.users[WAREHOUSE].submit("Delivery Note", note.name))
		[shipped] = self.ledger("Delivery Note", note.name)
		self.assertEqual(
			(shipped[0], shipped[1], shipped[2], shipped[4], shipped[5]),
			(d.item, self.stores, -1.0, None, -1.0),
		)
		self.assertIn(shipped[3], spares)
		self.assertEqual(
			frappe.db.get_value("Serial No", shipped[3], "warehouse"), None
		)  # it left the stores

		# nothing is the customer's to pay, and an exchange is not refunded
		self.make(name, "Invoice", status=417)
		self.make(name, "Credit Note", status=417)

		# the printed form (附件三), as the region manager opens it
		response = self.ok(
			self.users[EAST].get(
				"/printview", doctype="Defect Inspection", name=name, format="Defect Inspection Form"
			)
		)
		html = response.get_data(as_text=True)
		for expected in (
			"Defect Complaint Handling Form",
			name,
			"Porous casting",
			"Supplier audit.",
			"/private/files/",
		):
			self.assertIn(expected, html)
		for step in ("Director Review", "Return Decision", "QA Review", "Corrective Action Review"):
			self.assertIn(step, html)

		# the returned unit is scrapped out of the QA hold
		made = self.make(name, "Scrap")
		self.ok(self.users[WAREHOUSE].submit("Stock Entry", made["name"]))
		self.assertEqual(
			self.ledger("Stock Entry", made["name"]), [(d.item, self.qa_hold, -1.0, d.serial_no, None, -1.0)]
		)

	def test_misuse_found_by_qa_is_invoiced_at_the_settings_rate_after_the_warranty(self):
		d = self.other_delivery
		expiry = frappe.db.get_value("Serial No", d.serial_no, "warranty_expiry_date")
		frappe.db.set_value("Serial No", d.serial_no, "warranty_expiry_date", add_days(nowdate(), -30))
		frappe.db.commit()
		self.addCleanup(
			lambda: (
				frappe.db.set_value("Serial No", d.serial_no, "warranty_expiry_date", expiry),
				frappe.db.commit(),
			)
		)
		self.setting(
			"engineer_day_rate", 600
		)  # policy is data: the administrator's rate, not the procedure's 500
		complaint = self.quality_complaint(d, serial_no=d.serial_no, delivery_note=d.delivery_note)
		name = self.back_in_qa(
			complaint, "Cannot Be Determined", parts_used=[{"item": demo.BATCH_ITEM, "qty": 2}]
		)
		self.ok(
			self.users[QA].put(
				name,
				{
					"qa_determination": "Obvious Misuse",
					"root_cause": "Run dry",
					"remedy": "Repair",
					"customer_proposal": "Repair at the customer's cost.",
					"corrective_action": "Dry-run warning label.",
					"labour_days": 1.5,
					"could_have_determined": 1,
					"freight": [
						{"leg": "Freight to the Company", "amount": 80},
						{"leg": "Freight to the Customer", "amount": 60},
					],
				},
			)
		)
		stored = frappe.get_doc("Defect Inspection", name)
		self.assertEqual((stored.in_warranty, stored.labour_rate), (0, 600))
		self.assertEqual(
			{row.leg: row.paid_by for row in stored.freight},
			{"Freight to the Company": "Company", "Freight to the Customer": "Customer"},
		)
		self.through(name, (QA, "Propose"))
		# QA found it determinable on site: the region manager's share of the freight is proposed, once
		proposed = frappe.get_all(
			"Complaint Penalty",
			filters={"inspection": name},
			fields=["name", "party_type", "party", "base_amount", "band_low", "band_high", "status", "rule"],
		)
		self.made.extend(("Complaint Penalty", p.name) for p in proposed)
		employee = frappe.db.get_value("Employee", {"user_id": EAST}, "name")
		self.assertEqual(
			[(p.party_type, p.party, p.base_amount, p.band_low, p.band_high, p.status) for p in proposed],
			[("Employee", employee, 80, 24, 48, "Proposed")],  # the freight the company paid
		)
		self.through(name, (EAST, "Send Back"), (QA, "Propose"))
		self.assertEqual(len(frappe.get_all("Complaint Penalty", filters={"inspection": name})), 1)
		self.through(name, (EAST, "Approve Proposal"))
		self.make(name, "Replacement", status=417)  # misuse is not replaced free
		made = self.make(name, "Invoice")
		self.assertEqual(self.make(name, "Invoice"), made)
		invoice = frappe.get_doc("Sales Invoice", made["name"])
		self.assertEqual(
			(invoice.customer, invoice.is_return, invoice.defect_inspection), (d.customer, 0, name)
		)
		rows = {(r.item_code, r.qty): r.amount for r in invoice.items}
		self.assertEqual(rows[("COMPLAINT-ENGINEER-DAY", 1.5)], 900)
		self.assertEqual(rows[("COMPLAINT-FREIGHT", 1)], 60, "only the leg the customer pays")
		self.assertIn((demo.BATCH_ITEM, 2), rows)
		self.assertEqual(len(rows), 3)

	def test_a_return_is_refunded_by_a_credit_note_against_the_original_invoice(self):
		from erpnext.stock.doctype.delivery_note.delivery_note import make_sales_invoice

		d = self.serial_delivery
		self.setting("return_days", 100_000)  # the three-guarantee window as the administrator set it
		self.setting("exchange_days", 100_000)
		original = make_sales_invoice(d.delivery_note)
		original.submit()
		frappe.db.commit()
		self.made.append(("Sales Invoice", original.name))
		complaint = self.quality_complaint(d, serial_no=d.serial_no, delivery_note=d.delivery_note)
		name = self.inspected(complaint, "Obvious Quality Defect")
		self.through(name, (EAST, "Submit for Approval"), (DIRECTOR, "Approve"), (EAST, "Keep with Customer"))
		self.ok(
			self.users[QA].put(
				name,
				{
					"root_cause": "Seal",
					"remedy": "Return",
					"customer_proposal": "Refund.",
					"corrective_action": "New seal.",
				},
			)
		)
		self.through(name, (QA, "Propose"), (EAST, "Approve Proposal"), (MR, "Approve Corrective Action"))
		made = self.make(name, "Credit Note")
		self.assertEqual(self.make(name, "Credit Note"), made)
		credit = frappe.get_doc("Sales Invoice", made["name"])
		pump = next(r for r in original.items if r.item_code == d.item)
		self.assertEqual(
			(credit.is_return, credit.return_against, credit.customer), (1, original.name, d.customer)
		)
		self.assertEqual([(r.item_code, r.qty, r.rate) for r in credit.items], [(d.item, -1, pump.rate)])
		self.make(name, "Replacement", status=417)  # a returned product is refunded, not replaced
