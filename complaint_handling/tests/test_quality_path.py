"""Tier 2: the product-quality path after the site visit (docs/procedure.md §5-§7) through the doors its users
use: the region manager's REST saves and workflow buttons, the director's, QA's, the management
representative's and the general manager's workflow buttons, Create ▸ Goods Return, and the warehouse
submitting the return in its own screen — checked in ERPNext's stock ledger (quantity, serial or batch,
QA-hold warehouse) and in who pays what."""

import json
from datetime import timedelta

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import now_datetime

from complaint_handling.setup import demo
from complaint_handling.tests.factories import demo_delivery, make_complaint
from complaint_handling.tests.test_defect_inspection import EAST, SOUTH, Inspector
from complaint_handling.tests.utils import run_background_jobs

DOMAIN = demo.EMAIL_DOMAIN
DIRECTOR, QA, GM, MR, WAREHOUSE, CLERK = (
	f"{login}@{DOMAIN}" for login in ("director", "quality", "gm", "mr", "warehouse", "clerk")
)
RETURN = "/api/method/complaint_handling.quality.goods_returns.make_goods_return"
MAKE = "/api/method/complaint_handling.quality.resolutions.make_resolution"


class Desk(Inspector):
	def act(self, name: str, action: str):
		"""The workflow button: what the desk sends."""
		return self.act_on("Defect Inspection", name, action)

	def act_on(self, doctype: str, name: str, action: str):
		doc = frappe.get_doc(doctype, name)
		return self.post(
			"/api/method/frappe.model.workflow.apply_workflow",
			{"doc": json.dumps(doc.as_dict(), default=str), "action": action},
		)

	def put_resource(self, doctype: str, name: str, fields: dict):
		from frappe.tests.test_api import make_request

		return make_request(
			target=self.client.put,
			args=(f"/api/resource/{doctype}/{name}",),
			kwargs={"data": json.dumps(fields, default=str), "content_type": "application/json"},
		)

	def submit(self, doctype: str, name: str):
		"""The Submit button of a stock document's form."""
		doc = frappe.get_doc(doctype, name)
		return self.post(
			"/api/method/frappe.desk.form.save.savedocs",
			{"doc": json.dumps(doc.as_dict(), default=str), "action": "Submit"},
		)


class QualityPathDriver:
	"""Drives inspections through their doors as their users; each test's documents are removed after it."""

	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.serial_delivery = demo_delivery(1)
		cls.other_delivery = demo_delivery(2)
		cls.qa_hold = frappe.db.get_single_value("Complaint Settings", "qa_hold_warehouse")
		cls.users = {user: Desk(user) for user in (EAST, DIRECTOR, QA, GM, MR, WAREHOUSE, CLERK)}

	def setUp(self):
		self.made: list[tuple[str, str]] = []
		self.addCleanup(self.remove_made)

	def remove_made(self):
		frappe.set_user("Administrator")
		frappe.db.rollback()
		for doctype, name in reversed(self.made):
			if not frappe.db.exists(doctype, name):
				continue
			doc = frappe.get_doc(doctype, name)
			if doc.docstatus == 1:
				doc.cancel()
			frappe.delete_doc(doctype, name, force=True, ignore_permissions=True)
		frappe.db.commit()

	# --- helpers -----------------------------------------------------------------------------------------

	def quality_complaint(self, delivery, **fields):
		complaint = make_complaint(customer=delivery.customer, category="Product Quality", **fields)
		frappe.db.commit()
		self.made.append(("Customer Complaint", complaint.name))
		return complaint

	def ok(self, response, status: int = 200):
		self.assertEqual(response.status_code, status, response.get_data(as_text=True)[-1500:])
		frappe.db.commit()
		return response

	def inspected(self, complaint, determination: str, **fields) -> str:
		east = self.users[EAST]
		arrived = (now_datetime() - timedelta(minutes=30)).replace(microsecond=0)
		response = self.ok(
			east.create({"complaint": complaint.name, "findings": "Seen on site", "arrived_at": arrived})
		)
		name = response.json["data"]["name"]
		self.made.append(("Defect Inspection", name))
		url = east.upload_photo(name)
		self.ok(east.put(name, {"determination": determination, "photos": [{"photo": url}], **fields}))
		return name

	def act(self, user: str, name: str, action: str, status: int = 200):
		return self.ok(self.users[user].act(name, action), status)

	def status(self, name: str) -> str:
		return frappe.db.get_value("Defect Inspection", name, "status")

	def goods_return(self, name: str) -> dict:
		response = self.ok(self.users[EAST].post(RETURN, {"inspection": name}))
		made = response.json["message"]
		self.made.append((made["doctype"], made["name"]))
		return made

	def make(self, name: str, kind: str, user: str = EAST, status: int = 200) -> dict | None:
		"""A resolution document (Create ▸ … on the inspection), as `user` makes it over HTTP."""
		response = self.ok(self.users[user].post(MAKE, {"inspection": name, "kind": kind}), status)
		if status != 200:
			return None
		made = response.json["message"]
		if (made["doctype"], made["name"]) not in self.made:
			self.made.append((made["doctype"], made["name"]))
		return made

	def ledger(self, doctype: str, name: str) -> list[tuple]:
		rows = []
		for sle in frappe.get_all(
			"Stock Ledger Entry",
			filters={"voucher_type": doctype, "voucher_no": name, "is_cancelled": 0},
			fields=["item_code", "warehouse", "actual_qty", "serial_and_batch_bundle"],
		):
			entries = frappe.get_all(
				"Serial and Batch Entry",
				filters={"parent": sle.serial_and_batch_bundle},
				fields=["serial_no", "batch_no", "qty"],
			)
			rows.extend(
				(sle.item_code, sle.warehouse, sle.actual_qty, e.serial_no or None, e.batch_no or None, e.qty)
				for e in entries
			)
		return rows

	def costs(self, name: str) -> dict:
		return {
			row.cost_item: row.paid_by
			for row in frappe.get_all(
				"Defect Inspection Cost", filters={"parent": name}, fields=["cost_item", "paid_by"]
			)
		}

	def through(self, name: str, *steps: tuple[str, str]) -> None:
		for user, action in steps:
			self.act(user, name, action)


class TestQualityPath(QualityPathDriver, FrappeTestCase):
	# --- the whole path ----------------------------------------------------------------------------------

	def test_undetermined_serial_goods_come_back_against_the_delivery_and_go_through_every_approval(self):
		d = self.serial_delivery
		exchange_days = frappe.db.get_single_value("Complaint Settings", "exchange_days")
		frappe.db.set_single_value(
			"Complaint Settings", "exchange_days", 100_000
		)  # the demo pump is months old
		frappe.db.commit()
		self.addCleanup(
			lambda: (
				frappe.db.set_single_value("Complaint Settings", "exchange_days", exchange_days),
				frappe.db.commit(),
			)
		)
		complaint = self.quality_complaint(d, serial_no=d.serial_no, delivery_note=d.delivery_note)
		name = self.inspected(complaint, "Cannot Be Determined")
		stored = frappe.get_doc("Defect Inspection", name)
		self.assertEqual(
			(stored.status, stored.delivery_note, stored.item), ("Draft", d.delivery_note, d.item)
		)
		self.assertTrue(stored.in_warranty, "the pump's serial number carries a 12-month warranty")
		self.assertEqual(self.costs(name), {"Freight to the Company": "Company"})

		self.act(EAST, name, "Submit for Approval")
		# the site report is frozen once it goes to the director
		refused = self.users[EAST].put(name, {"determination": "Obvious Quality Defect"})
		self.assertEqual(refused.status_code, 403, refused.get_data(as_text=True)[:400])
		refused = self.users[EAST].post(
			"/api/method/frappe.client.set_value",
			{
				"doctype": "Defect Inspection",
				"name": name,
				"fieldname": "determination",
				"value": "Obvious Misuse",
			},
		)
		self.assertEqual(refused.status_code, 403, refused.get_data(as_text=True)[:400])
		self.act(CLERK, name, "Approve", 417)  # not the clerk's button
		self.act(DIRECTOR, name, "Approve")
		self.act(EAST, name, "Return Goods")
		self.assertEqual(self.status(name), "Awaiting Goods")
		self.ok(self.users[EAST].put(name, {"freight": [{"leg": "Freight to the Company", "amount": 80}]}))
		self.assertEqual(
			frappe.db.get_value("Defect Inspection Freight", {"parent": name}, "paid_by"),
			"Company",
			"inbound freight of an undetermined case is always the company's",
		)

		made = self.goods_return(name)
		self.assertEqual(made["doctype"], "Delivery Note")
		self.assertEqual(self.goods_return(name), made, "a second click returns the same document")
		note = frappe.get_doc("Delivery Note", made["name"])
		self.assertEqual((note.is_return, note.return_against, note.docstatus), (1, d.delivery_note, 0))
		self.assertEqual(note.defect_inspection, name)
		self.assertEqual(
			[(r.item_code, r.qty, r.warehouse, r.serial_no) for r in note.items],
			[(d.item, -1, self.qa_hold, d.serial_no)],
		)
		self.assertEqual(frappe.db.get_value("Defect Inspection", name, "goods_return"), note.name)

		# QA determines only goods that are back
		self.act(QA, name, "Start QA Review", 417)
		self.ok(self.users[WAREHOUSE].submit("Delivery Note", note.name))
		self.assertEqual(
			self.ledger("Delivery Note", note.name), [(d.item, self.qa_hold, 1.0, d.serial_no, None, 1.0)]
		)
		self.assertEqual(frappe.db.get_value("Serial No", d.serial_no, "warehouse"), self.qa_hold)
		self.assertTrue(frappe.db.get_value("Defect Inspection", name, "goods_received_on"))

		self.act(QA, name, "Start QA Review")
		# ERPNext takes no Quality Inspection against a Delivery Note return on this site: told, not a 500
		refused = self.users[QA].post(
			"/api/method/complaint_handling.quality.actions.make_quality_inspection", {"inspection": name}
		)
		self.assertEqual(refused.status_code, 417, refused.get_data(as_text=True)[:400])
		# a verdict is QA's: not the region manager's
		self.assertEqual(self.users[EAST].put(name, {"qa_determination": "Obvious Misuse"}).status_code, 403)
		self.act(QA, name, "Propose", 417)  # no verdict, cause or proposal yet
		self.ok(
			self.users[QA].put(
				name,
				{
					"qa_determination": "Obvious Quality Defect",
					"root_cause": "Porous casting",
					"remedy": "Exchange",
					"customer_proposal": "Free exchange, freight both ways ours.",
					"corrective_action": "Casting supplier audit; X-ray sampling.",
					"costs": [{"cost_item": "Replacement", "paid_by": "Customer"}],  # forged: recomputed
				},
			)
		)
		stored = frappe.get_doc("Defect Inspection", name)
		self.assertEqual((stored.final_determination, stored.qa_by), ("Obvious Quality Defect", QA))
		self.assertEqual(set(self.costs(name).values()), {"Company"})
		self.assertEqual(
			set(self.costs(name)),
			{"Replacement", "Freight to the Company", "Freight to the Customer", "Labour", "Parts"},
		)
		self.act(QA, name, "Propose")
		self.assertEqual(self.users[QA].put(name, {"root_cause": "Rewritten"}).status_code, 403)
		self.act(EAST, name, "Approve Proposal")
		self.act(GM, name, "Approve Corrective Action", 417)  # the management representative first
		self.act(MR, name, "Approve Corrective Action")
		self.act(GM, name, "Approve Corrective Action")
		self.assertEqual(self.status(name), "Closed")
		# the general manager and the management representative hear of each decision
		run_background_jobs()
		for user in (GM, MR):
			told = frappe.get_all(
				"Notification Log",
				filters={"for_user": user, "document_type": "Defect Inspection", "document_name": name},
			)
			self.assertGreaterEqual(len(told), 5, user)

	def test_batch_goods_come_back_into_the_qa_hold_with_their_batch(self):
		d = self.other_delivery
		complaint = self.quality_complaint(
			d, item=demo.BATCH_ITEM, batch_no=d.filter_batch, delivery_note=d.delivery_note
		)
		name = self.inspected(complaint, "Obvious Quality Defect")
		for user, action in ((EAST, "Submit for Approval"), (DIRECTOR, "Approve"), (EAST, "Return Goods")):
			self.act(user, name, action)
		made = self.goods_return(name)
		self.assertEqual(made["doctype"], "Delivery Note")
		# the warehouse may not send the goods anywhere but the QA hold
		note = frappe.get_doc("Delivery Note", made["name"])
		other = frappe.db.get_value(
			"Warehouse", {"company": note.company, "is_group": 0, "name": ["!=", self.qa_hold]}, "name"
		)
		note.items[0].warehouse = other
		refused = self.users[WAREHOUSE].post(
			"/api/method/frappe.desk.form.save.savedocs",
			{"doc": json.dumps(note.as_dict(), default=str), "action": "Submit"},
		)
		self.assertEqual(refused.status_code, 417, refused.get_data(as_text=True)[:400])
		self.assertIn("GoodsReturnError", refused.json["exc_type"])
		self.ok(self.users[WAREHOUSE].submit("Delivery Note", made["name"]))
		self.assertEqual(
			self.ledger("Delivery Note", made["name"]),
			[(demo.BATCH_ITEM, self.qa_hold, 1.0, None, d.filter_batch, 1.0)],
		)

	def test_without_a_delivery_the_goods_come_back_as_a_material_receipt(self):
		d = self.other_delivery
		complaint = self.quality_complaint(d, serial_no=d.serial_no)
		# the region manager finds the unit did not come with a delivery of ours on record
		name = self.inspected(complaint, "Cannot Be Determined", delivery_note=None)
		for user, action in ((EAST, "Submit for Approval"), (DIRECTOR, "Approve"), (EAST, "Return Goods")):
			self.act(user, name, action)
		made = self.goods_return(name)
		self.assertEqual(made["doctype"], "Stock Entry")
		entry = frappe.get_doc("Stock Entry", made["name"])
		self.assertEqual((entry.purpose, entry.defect_inspection), ("Material Receipt", name))
		self.ok(self.users[WAREHOUSE].submit("Stock Entry", made["name"]))
		self.assertEqual(
			self.ledger("Stock Entry", made["name"]), [(d.item, self.qa_hold, 1.0, d.serial_no, None, 1.0)]
		)
		self.act(QA, name, "Start QA Review")
		self.assertEqual(self.status(name), "QA Review")
		# QA's verdict as ERPNext's Quality Inspection of the goods, against the receipt
		made_qi = "/api/method/complaint_handling.quality.actions.make_quality_inspection"
		self.assertEqual(
			self.users[QA].post(made_qi, {"inspection": name}).status_code, 417
		)  # no verdict yet
		self.ok(
			self.users[QA].put(name, {"qa_determination": "Obvious Quality Defect", "root_cause": "Weld"})
		)
		qi = self.ok(self.users[QA].post(made_qi, {"inspection": name})).json["message"]
		self.made.append(("Quality Inspection", qi["name"]))
		self.assertEqual(self.ok(self.users[QA].post(made_qi, {"inspection": name})).json["message"], qi)
		found = frappe.get_doc("Quality Inspection", qi["name"])
		self.assertEqual(
			(found.reference_type, found.reference_name, found.item_serial_no, found.status),
			("Stock Entry", made["name"], d.serial_no, "Rejected"),
		)
		self.ok(self.users[QA].submit("Quality Inspection", qi["name"]))
		self.assertEqual(frappe.db.get_value("Defect Inspection", name, "quality_inspection"), qi["name"])

	def test_misuse_is_settled_on_site_and_the_customer_pays_the_part(self):
		d = self.serial_delivery
		complaint = self.quality_complaint(d, serial_no=d.serial_no, delivery_note=d.delivery_note)
		name = self.inspected(complaint, "Obvious Misuse", misuse_handling="Simple Part Swap")
		self.act(EAST, name, "Submit for Approval", 417)  # misuse is not sent up the chain
		self.act(EAST, name, "Settle on Site")
		self.assertEqual(self.status(name), "Settled on Site")
		self.assertEqual(self.costs(name), {"Labour": "Company", "Parts": "Customer"})

	def test_nobody_links_their_own_stock_entry_to_an_inspection_or_asks_for_a_return_without_right(self):
		d = self.other_delivery
		complaint = self.quality_complaint(d, serial_no=d.serial_no)
		name = self.inspected(complaint, "Cannot Be Determined")
		# the clerk reads the inspection but may not make its goods return
		self.assertEqual(self.users[CLERK].post(RETURN, {"inspection": name}).status_code, 403)
		# not before the return is decided
		self.assertEqual(self.users[EAST].post(RETURN, {"inspection": name}).status_code, 417)
		forged = self.users[WAREHOUSE].post(
			"/api/resource/Stock Entry",
			{
				"data": json.dumps(
					{
						"stock_entry_type": "Material Receipt",
						"purpose": "Material Receipt",
						"company": frappe.db.get_value("Warehouse", self.qa_hold, "company"),
						"defect_inspection": name,
						"items": [
							{
								"item_code": d.item,
								"qty": 1,
								"t_warehouse": self.qa_hold,
								"allow_zero_valuation_rate": 1,
							}
						],
					}
				)
			},
		)
		self.assertEqual(forged.status_code, 417, forged.get_data(as_text=True)[:400])
		self.assertIn("GoodsReturnError", forged.json["exc_type"])
		# another region's manager neither reads, writes, acts on nor makes documents for it
		south = Desk(SOUTH)
		self.assertEqual(south.get(f"/api/resource/Defect Inspection/{name}").status_code, 403)
		self.assertEqual(south.put(name, {"findings": "Not mine"}).status_code, 403)
		self.assertIn(south.act(name, "Submit for Approval").status_code, (403, 417))
		self.assertEqual(south.post(RETURN, {"inspection": name}).status_code, 403)
		for path in ("resolutions.make_resolution", "quality_actions.make_non_conformance"):
			response = south.post(
				f"/api/method/complaint_handling.{path}", {"inspection": name, "kind": "Scrap"}
			)
			self.assertEqual(response.status_code, 403, path)
		listed = south.get("/api/resource/Defect Inspection", filters=json.dumps([["name", "=", name]]))
		self.assertEqual(listed.json["data"], [])
		# nor does anyone jump the workflow by posting a state
		jumped = self.users[EAST].put(name, {"workflow_state": "Closed"})
		self.assertIn(jumped.status_code, (403, 417), jumped.get_data(as_text=True)[:400])
		frappe.db.commit()
		self.assertEqual(self.status(name), "Draft")
