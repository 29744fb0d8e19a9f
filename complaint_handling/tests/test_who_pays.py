"""Tier 2: who pays, exactly as promised (issue 22), through the inspection and resolution documents over
HTTP as their users click: an out-of-warranty quality defect under each reading of the company's documents,
a day-16 case counted from the customer's acceptance (ERPNext Installation Note), freight legs recorded after
the decision with their document and invoiced as they come, a part priced by the customer's price list and
held to it on the invoice, and a contracted supplier's third low satisfaction score."""

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_days, nowdate

from complaint_handling.quality.resolutions import ResolutionError
from complaint_handling.setup import demo
from complaint_handling.tests.factories import service_items
from complaint_handling.tests.test_customer_side import CustomerSideCase
from complaint_handling.tests.test_quality_path import DIRECTOR, EAST, QA, WAREHOUSE, QualityPathDriver
from complaint_handling.tests.test_workflow import act
from complaint_handling.tests.utils import SettingsMixin

PART = "WHO-PAYS-SEAL"  # a spare part, priced by the customer's price list
PRICE_LIST = "Who Pays Contract Prices"
FREIGHT_ITEM = "COMPLAINT-FREIGHT"
RULE_DOCTYPE = "Penalty Rule"
PAID_SERVICE = {
	"Labour": "Customer",
	"Parts": "Customer",
	"Freight to the Company": "Customer",
	"Freight to the Customer": "Customer",
}


class TestWhoPays(SettingsMixin, QualityPathDriver, FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		frappe.set_user("Administrator")
		service_items()
		if not frappe.db.exists("Item", PART):
			frappe.get_doc(
				{
					"doctype": "Item",
					"item_code": PART,
					"item_name": "Pump seal",
					"item_group": demo.leaf_of("Item Group"),
					"stock_uom": "Nos",
					"is_stock_item": 0,
				}
			).insert()
		frappe.db.commit()

	def setUp(self):
		super().setUp()
		self.setting("warranty_day_one", "Acceptance, Else Delivery")
		self.setting("quality_defect_reading", "Service Commitments")

	# --- helpers ---------------------------------------------------------------------------------------

	def out_of_warranty(self, delivery) -> None:
		expiry = frappe.db.get_value("Serial No", delivery.serial_no, "warranty_expiry_date")
		frappe.db.set_value("Serial No", delivery.serial_no, "warranty_expiry_date", add_days(nowdate(), -30))
		frappe.db.commit()
		self.addCleanup(
			lambda: (
				frappe.db.set_value("Serial No", delivery.serial_no, "warranty_expiry_date", expiry),
				frappe.db.commit(),
			)
		)

	def kept_with_customer(self, delivery, determination: str = "Obvious Quality Defect", **fields) -> str:
		complaint = self.quality_complaint(
			delivery, serial_no=delivery.serial_no, delivery_note=delivery.delivery_note
		)
		name = self.inspected(complaint, determination, **fields)
		self.through(name, (EAST, "Submit for Approval"), (DIRECTOR, "Approve"), (EAST, "Keep with Customer"))
		return name

	def propose(self, name: str, remedy: str, status: int = 200, **fields):
		proposal = {
			"root_cause": "Seal hardened",
			"remedy": remedy,
			"customer_proposal": f"{remedy}.",
			"corrective_action": "New seal compound.",
			**fields,
		}
		self.ok(self.users[QA].put(name, proposal))
		return self.act(QA, name, "Propose", status)

	def invoice_rows(self, made: dict) -> dict:
		invoice = frappe.get_doc("Sales Invoice", made["name"])
		return {(row.item_code, row.qty): row.rate for row in invoice.items}

	# --- an obvious quality defect after the warranty, under each reading --------------------------------

	def test_out_of_warranty_quality_defect_is_paid_service_under_the_service_commitments(self):
		d = self.other_delivery
		self.out_of_warranty(d)
		self.setting("engineer_day_rate", 500)
		name = self.kept_with_customer(d)
		stored = frappe.get_doc("Defect Inspection", name)
		self.assertEqual(
			(stored.in_warranty, stored.labour_rate, stored.parts_basis), (0, 500, "Contract Price")
		)
		self.assertEqual(self.costs(name), PAID_SERVICE)
		# no free replacement after the warranty: exchange is not one of the remedies
		refused = self.propose(name, "Exchange", 417)
		self.assertIn("not one of the remedies", refused.get_data(as_text=True))
		self.propose(name, "Repair", labour_days=2)
		self.act(EAST, name, "Approve Proposal")
		self.make(name, "Replacement", status=417)
		made = self.make(name, "Invoice")
		self.assertEqual(self.invoice_rows(made), {("COMPLAINT-ENGINEER-DAY", 2): 500})

	def test_out_of_warranty_quality_defect_is_replaced_free_under_the_procedures_reading(self):
		d = self.other_delivery
		self.out_of_warranty(d)
		self.setting("quality_defect_reading", "Free Replacement Always")
		name = self.kept_with_customer(d)
		stored = frappe.get_doc("Defect Inspection", name)
		self.assertEqual((stored.in_warranty, stored.labour_rate), (0, 0))
		self.assertEqual(set(self.costs(name).values()), {"Company"})
		self.assertIn("Replacement", self.costs(name))
		self.propose(name, "Exchange")
		self.act(EAST, name, "Approve Proposal")
		made = self.make(name, "Replacement")
		note = frappe.get_doc("Delivery Note", made["name"])
		self.assertEqual([(r.item_code, r.rate, r.is_free_item) for r in note.items], [(d.item, 0, 1)])
		self.make(name, "Invoice", status=417)  # nothing is the customer's

	# --- day 1 is the acceptance: a day-16 case ----------------------------------------------------------

	def accepted(self, delivery, days_ago: int) -> str:
		"""The customer's acceptance of the delivered pump, as ERPNext records an installation."""
		row = frappe.db.get_value(
			"Delivery Note Item",
			{"parent": delivery.delivery_note, "item_code": delivery.item},
			["name", "parent"],
			as_dict=True,
		)
		note = frappe.get_doc(
			{
				"doctype": "Installation Note",
				"customer": delivery.customer,
				"company": frappe.db.get_value("Delivery Note", delivery.delivery_note, "company"),
				"territory": delivery.territory,
				"inst_date": add_days(nowdate(), -days_ago),
				"items": [
					{
						"item_code": delivery.item,
						"serial_no": delivery.serial_no,
						"qty": 1,
						"prevdoc_doctype": "Delivery Note",
						"prevdoc_docname": row.parent,
						"prevdoc_detail_docname": row.name,
					}
				],
			}
		)
		note.insert()
		note.submit()
		frappe.db.commit()
		self.made.append(("Installation Note", note.name))
		return note.name

	def test_day_16_from_the_acceptance_is_repaired_not_exchanged(self):
		d = self.serial_delivery
		self.accepted(d, days_ago=15)  # accepted 15 days ago: today is day 16
		complaint = self.quality_complaint(d, serial_no=d.serial_no, delivery_note=d.delivery_note)
		name = self.inspected(complaint, "Obvious Quality Defect")
		stored = frappe.get_doc("Defect Inspection", name)
		self.assertEqual((stored.ownership_day, stored.in_warranty), (16, 1))
		self.assertEqual(
			set(self.costs(name)), {"Labour", "Parts", "Freight to the Company", "Freight to the Customer"}
		)
		# counted from the delivery instead (the other reading), the same pump is much older
		self.setting("warranty_day_one", "Delivery")
		self.ok(self.users[EAST].put(name, {"findings": "Seen on site again"}))
		delivered = frappe.db.get_value("Delivery Note", d.delivery_note, "posting_date")
		expected = (frappe.utils.getdate(nowdate()) - delivered).days + 1
		self.assertEqual(frappe.db.get_value("Defect Inspection", name, "ownership_day"), expected)
		self.setting("warranty_day_one", "Acceptance, Else Delivery")
		self.ok(self.users[EAST].put(name, {"findings": "Seen on site, day 16"}))
		self.assertEqual(frappe.db.get_value("Defect Inspection", name, "ownership_day"), 16)
		self.through(name, (EAST, "Submit for Approval"), (DIRECTOR, "Approve"), (EAST, "Keep with Customer"))
		refused = self.propose(name, "Exchange", 417)  # days 8-15 only
		self.assertIn("not one of the remedies", refused.get_data(as_text=True))
		self.propose(name, "Repair")
		self.assertEqual(self.status(name), "Proposal Review")

	# --- freight legs recorded when they happen ----------------------------------------------------------

	def test_freight_legs_recorded_after_the_decision_with_their_document_and_invoiced_as_they_come(self):
		d = self.other_delivery
		complaint = self.quality_complaint(d, serial_no=d.serial_no, delivery_note=d.delivery_note)
		name = self.inspected(complaint, "Obvious Misuse", misuse_handling="Complex or Needs Parts")
		self.act(EAST, name, "Settle on Site")
		east = self.users[EAST]
		inbound = {"leg": "Freight to the Company", "amount": 50, "carrier": "SF"}
		# after the decision a leg comes with the document that carried it
		self.ok(east.put(name, {"freight": [inbound]}), 417)
		document = {"document_type": "Delivery Note", "document": d.delivery_note, "shipped_on": nowdate()}
		self.ok(east.put(name, {"freight": [{**inbound, **document}]}))
		stored = frappe.get_doc("Defect Inspection", name)
		self.assertEqual(
			[(r.leg, r.amount, r.paid_by) for r in stored.freight],
			[("Freight to the Company", 50, "Customer")],
		)
		first = self.make(name, "Invoice")
		self.assertEqual(self.invoice_rows(first), {(FREIGHT_ITEM, 1): 50})
		# a leg recorded stands as it was
		recorded = stored.freight[0].as_dict()
		changed = {k: recorded[k] for k in ("name", "leg", "carrier", "document_type", "document")}
		self.ok(east.put(name, {"freight": [{**changed, "amount": 40}]}), 417)
		self.ok(east.put(name, {"freight": []}), 417)
		# the way back, recorded days later, is invoiced on its own; the first invoice is not reopened
		outbound = {"leg": "Freight to the Customer", "amount": 70, "carrier": "SF", **document}
		self.ok(east.put(name, {"freight": [{**changed, "amount": 50}, outbound]}))
		second = self.make(name, "Invoice")
		self.assertNotEqual(second, first)
		self.assertEqual(self.invoice_rows(second), {(FREIGHT_ITEM, 1): 70})
		self.assertEqual(self.invoice_rows(first), {(FREIGHT_ITEM, 1): 50})
		self.assertEqual(self.make(name, "Invoice"), second, "nothing more to invoice: the latest made")

	# --- the region manager's negligence: a share of the freight the company paid ----------------------

	def back_in_qa(self, delivery, **fields) -> str:
		complaint = self.quality_complaint(
			delivery, serial_no=delivery.serial_no, delivery_note=delivery.delivery_note
		)
		name = self.inspected(complaint, "Cannot Be Determined", **fields)
		self.through(name, (EAST, "Submit for Approval"), (DIRECTOR, "Approve"), (EAST, "Return Goods"))
		made = self.goods_return(name)
		self.ok(self.users[WAREHOUSE].submit(made["doctype"], made["name"]))
		self.act(QA, name, "Start QA Review")
		return name

	def verdict(self, qa_determination: str, **fields) -> dict:
		return {
			"qa_determination": qa_determination,
			"could_have_determined": 1,
			"root_cause": "Loose terminal, visible on site",
			"remedy": "Repair",
			"customer_proposal": "Repair.",
			"corrective_action": "Site checklist.",
			**fields,
		}

	def penalties(self, name: str) -> list:
		found = frappe.get_all(
			"Complaint Penalty",
			filters={"inspection": name},
			fields=["name", "base_amount", "band_low", "band_high", "status"],
		)
		self.made.extend(
			("Complaint Penalty", p.name) for p in found if ("Complaint Penalty", p.name) not in self.made
		)
		return [(p.base_amount, p.band_low, p.band_high, p.status) for p in found]

	def test_negligence_is_proposed_on_the_freight_the_company_paid_including_a_later_leg(self):
		d = self.serial_delivery
		name = self.back_in_qa(d)
		inbound = {"leg": "Freight to the Company", "amount": 80, "carrier": "SF"}
		self.ok(self.users[QA].put(name, self.verdict("Obvious Quality Defect", freight=[inbound])))
		self.act(QA, name, "Propose")
		self.assertEqual(self.penalties(name), [(80, 24, 48, "Proposed")])
		self.assertEqual(
			frappe.db.get_value("Defect Inspection", name, ["negligence_low", "negligence_high"]), (24, 48)
		)
		# the way back happens after QA's proposal: recorded with its document, the proposed base follows
		stored = frappe.get_doc("Defect Inspection", name).freight[0].as_dict()
		kept = {k: stored[k] for k in ("name", "leg", "amount", "carrier")}
		outbound = {
			"leg": "Freight to the Customer",
			"amount": 60,
			"carrier": "SF",
			"document_type": "Delivery Note",
			"document": d.delivery_note,
		}
		self.ok(self.users[EAST].put(name, {"freight": [kept, outbound]}))
		self.assertEqual(self.penalties(name), [(140, 42, 84, "Proposed")])

	def test_an_inspector_without_an_employee_is_named_and_no_penalty_is_proposed(self):
		from complaint_handling.tests.factories import make_user

		nobody = make_user("who.pays.rm@example.com", ["Region Manager"])
		frappe.db.commit()
		name = self.back_in_qa(self.other_delivery, inspector=nobody)
		self.ok(self.users[QA].put(name, self.verdict("Obvious Misuse")))
		response = self.act(QA, name, "Propose")
		self.assertIn("not proposed", response.get_data(as_text=True))
		self.assertEqual(self.penalties(name), [])
		comments = frappe.get_all(
			"Comment",
			filters={"reference_doctype": "Defect Inspection", "reference_name": name},
			pluck="content",
		)
		self.assertTrue(any(nobody in (c or "") and "not proposed" in c for c in comments), comments)

	# --- parts at no more than the contract price --------------------------------------------------------

	def test_a_part_is_priced_by_the_customers_price_list_and_held_to_it(self):
		d = self.other_delivery
		self.out_of_warranty(d)
		company = frappe.db.get_value("Delivery Note", d.delivery_note, "company")
		currency = frappe.get_cached_value("Company", company, "default_currency")
		if not frappe.db.exists("Price List", PRICE_LIST):
			frappe.get_doc(
				{"doctype": "Price List", "price_list_name": PRICE_LIST, "selling": 1, "currency": currency}
			).insert()
		price = frappe.get_doc(
			{"doctype": "Item Price", "item_code": PART, "price_list": PRICE_LIST, "price_list_rate": 80}
		).insert()
		self.made.append(("Item Price", price.name))
		before = frappe.db.get_value("Customer", d.customer, "default_price_list")
		frappe.db.set_value("Customer", d.customer, "default_price_list", PRICE_LIST)
		frappe.db.commit()
		self.addCleanup(
			lambda: (
				frappe.db.set_value("Customer", d.customer, "default_price_list", before),
				frappe.db.commit(),
			)
		)
		complaint = self.quality_complaint(d, serial_no=d.serial_no, delivery_note=d.delivery_note)
		name = self.inspected(
			complaint,
			"Obvious Misuse",
			misuse_handling="Simple Part Swap",
			parts_used=[{"item": PART, "qty": 2}],
		)
		part = frappe.get_doc("Defect Inspection", name).parts_used[0]
		self.assertEqual(
			(part.contract_price, part.rate, part.price_source), (80, 80, f"Price List {PRICE_LIST}")
		)
		self.act(EAST, name, "Settle on Site")
		made = self.make(name, "Invoice")
		self.assertEqual(self.invoice_rows(made), {(PART, 2): 80})
		# nobody raises the part above the contract price on the draft
		invoice = frappe.get_doc("Sales Invoice", made["name"])
		invoice.items[0].rate = invoice.items[0].price_list_rate = 95
		with self.assertRaises(ResolutionError):
			invoice.save()
		frappe.db.rollback()


class TestSupplierStrikes(SettingsMixin, CustomerSideCase):
	"""Satisfaction under 60 % three times ends a contractor's contract: counted per contracted supplier."""

	SUBMIT = "/api/method/complaint_handling.customer.surveys.submit_survey"
	SUPPLIER = "Who Pays Canteen Contractor"
	RULE = "Canteen: Satisfaction Under 60 % Three Times"

	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		frappe.set_user("Administrator")
		if not frappe.db.exists("Supplier", cls.SUPPLIER):
			frappe.get_doc(
				{
					"doctype": "Supplier",
					"supplier_name": cls.SUPPLIER,
					"supplier_group": demo.leaf_of("Supplier Group"),
				}
			).insert()
		if not frappe.db.exists(RULE_DOCTYPE, cls.RULE):
			frappe.get_doc(
				{
					"doctype": RULE_DOCTYPE,
					"rule_name": cls.RULE,
					"party_type": "Supplier",
					"kind": "Fixed",
					"amount": 0,
					"terminates_cooperation": 1,
				}
			).insert()
		company = frappe.db.get_single_value(
			"Complaint Settings", "company"
		) or frappe.defaults.get_global_default("company")
		cls.department = frappe.db.get_value("Department", {"department_name": "Who Pays Canteen"}, "name")
		if not cls.department:
			cls.department = (
				frappe.get_doc(
					{
						"doctype": "Department",
						"department_name": "Who Pays Canteen",
						"company": company,
						"parent_department": frappe.db.get_value("Department", {"is_group": 1}, "name"),
					}
				)
				.insert()
				.name
			)
		frappe.db.set_value("Department", cls.department, "complaint_contractor", cls.SUPPLIER)
		frappe.db.commit()

	def closed(self, subject: str) -> str:
		name = self.submitted(subject=subject)
		complaint = self.replied(name)
		act(self.clerk, complaint, "Close")
		frappe.db.set_value("Customer Complaint", name, "handling_department", self.department)
		frappe.db.delete("Email Queue", {"reference_name": name})
		frappe.db.commit()
		return name

	def test_a_suppliers_third_low_score_proposes_ending_the_contract(self):
		from complaint_handling.customer.surveys import questions
		from complaint_handling.tests.factories import remove_complaint

		self.setting("low_satisfaction_rule", self.RULE)
		self.setting("survey_low_score", 60)
		self.setting("survey_strikes", 3)
		self.setting("survey_strike_days", 365)
		frappe.db.set_value(
			"Department",
			self.department,
			{"complaint_low_satisfaction": 0, "complaint_satisfaction_flagged_on": None},
		)
		frappe.db.commit()
		names: list[str] = []

		def clean():
			frappe.set_user("Administrator")
			frappe.db.rollback()
			for penalty in frappe.get_all("Complaint Penalty", {"party": self.SUPPLIER}, pluck="name"):
				frappe.delete_doc("Complaint Penalty", penalty, force=True, ignore_permissions=True)
			for name in names:
				frappe.db.delete("Quality Feedback", {"customer_complaint": name})
				frappe.db.delete("ToDo", {"reference_name": name})
				remove_complaint(name)
			frappe.db.commit()

		self.addCleanup(clean)
		low = frappe.as_json({question: 2 for question in questions()})  # 40 %
		for n in range(3):
			name = self.closed(f"Canteen meal {n}")
			names.append(name)
			rated = self.buyer.post(self.SUBMIT, {"complaint": name, "ratings": low})
			self.assertEqual(rated.status_code, 200, rated.get_data(as_text=True)[:400])
			frappe.db.commit()
			proposed = frappe.get_all(
				"Complaint Penalty",
				filters={"party": self.SUPPLIER, "rule": self.RULE},
				fields=["name", "party_type", "status", "terminates_cooperation", "complaint"],
			)
			if n < 2:
				self.assertEqual(proposed, [], n)
		self.assertEqual(
			[(p.party_type, p.status, p.terminates_cooperation, p.complaint) for p in proposed],
			[("Supplier", "Proposed", 1, names[-1])],
		)
