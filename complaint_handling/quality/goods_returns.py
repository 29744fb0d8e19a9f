"""Returned goods into ERPNext's stock (docs/procedure.md §7): deciding to return makes the document that
brings the item, with its serial or batch number, into the QA-hold warehouse.

- With the original Delivery Note: a sales return against it (what an ERPNext user expects: the return is
  counted against the delivery, the serial number's history stays one chain, a credit note can follow).
- Without one: a Stock Entry (Material Receipt) into the QA hold.

The app makes the draft; the warehouse (Stock User) submits it in its own screen when the goods arrive,
which records the receipt on the inspection. Both documents link back through their `defect_inspection`
field, which only this module sets.
"""

import frappe
from frappe import _
from frappe.utils import flt, now_datetime

from complaint_handling.domain.statuses import AWAITING_GOODS
from complaint_handling.integrations.erpnext import companies
from complaint_handling.integrations.erpnext.warehouse import serials_of
from complaint_handling.quality.create_menu import inspection_for_action, map_as_the_app

INSPECTION = "Defect Inspection"
RETURN_DOCTYPES = ("Delivery Note", "Stock Entry")


class GoodsReturnError(frappe.ValidationError):
	"""The goods return cannot be made or stand as it is."""


@frappe.whitelist(methods=["POST"])
def make_goods_return(inspection: str) -> dict:
	"""Create ▸ Goods Return on an inspection awaiting its goods; repeating it returns the same document."""
	doc = inspection_for_action(inspection)
	existing = current_return(inspection)
	if existing:
		return existing
	if doc.status != AWAITING_GOODS:
		frappe.throw(
			_("{0}: decide the return first (status {1}).").format(_("Goods Return"), _(AWAITING_GOODS)),
			GoodsReturnError,
		)
	warehouse = qa_hold_warehouse(doc.company)
	row = delivered_row(doc)
	target = sales_return(doc, row, warehouse) if row else material_receipt(doc, warehouse)
	target.defect_inspection = doc.name
	target.flags.made_for_inspection = doc.name
	target.insert(ignore_permissions=True)  # the app's draft; the warehouse submits it
	frappe.db.set_value(
		INSPECTION,
		doc.name,
		{"goods_return_doctype": target.doctype, "goods_return": target.name},
		update_modified=False,
	)
	doc.add_comment(
		"Info",
		_("Goods return {0} {1} made; the warehouse submits it.").format(_(target.doctype), target.name),
	)
	return {"doctype": target.doctype, "name": target.name}


def current_return(inspection: str) -> dict | None:
	"""The inspection's goods return that is not cancelled, if any."""
	doctype, name = frappe.db.get_value(INSPECTION, inspection, ["goods_return_doctype", "goods_return"])
	if doctype in RETURN_DOCTYPES and name and frappe.db.get_value(doctype, name, "docstatus") in (0, 1):
		return {"doctype": doctype, "name": name}
	return None


def qa_hold_warehouse(company: str | None) -> str:
	"""The QA hold of the inspection's company (Complaint Settings, per company)."""
	return companies.qa_hold_warehouse(company)


def delivered_row(doc):
	"""The original delivery's row of this item (the one that carried the serial number, if there is one)."""
	if not doc.delivery_note or frappe.db.get_value("Delivery Note", doc.delivery_note, "docstatus") != 1:
		return None
	from erpnext.stock.serial_batch_bundle import get_serial_nos

	rows = frappe.get_all(
		"Delivery Note Item",
		filters={"parent": doc.delivery_note, "item_code": doc.item},
		fields=["name", "serial_no", "batch_no", "serial_and_batch_bundle", "qty"],
		order_by="idx asc",
	)
	for row in rows:
		if not doc.serial_no:
			return row
		delivered = serials_of(row.serial_no)
		if row.serial_and_batch_bundle:
			delivered += get_serial_nos(row.serial_and_batch_bundle)
		if doc.serial_no in delivered:
			return row
	return None


def returned_units(doc) -> tuple[float, str | None, str | None]:
	"""How many units come back, and their serial number or batch."""
	if doc.serial_no:
		return 1.0, doc.serial_no, None
	return flt(doc.return_qty) or 1.0, None, doc.batch_no or None


def sales_return(doc, row, warehouse: str):
	"""A Delivery Note return against the original delivery, one row, into the QA hold."""
	from erpnext.stock.doctype.delivery_note.delivery_note import make_sales_return

	target = map_as_the_app(make_sales_return, doc.delivery_note)
	rows = [item for item in target.items if item.dn_detail == row.name]
	target.set("items", rows)
	item = rows[0]
	item.idx = 1
	qty, serial_no, batch_no = returned_units(doc)
	item.qty = -qty
	item.stock_qty = item.qty * flt(item.conversion_factor or 1)
	item.warehouse = warehouse
	target.set_warehouse = warehouse
	item.use_serial_batch_fields = 1
	item.serial_no = serial_no
	item.batch_no = batch_no or (row.batch_no if not serial_no else item.batch_no)
	target.remarks = _("Goods returned for complaint {0}, inspection {1}.").format(doc.complaint, doc.name)
	return target


def material_receipt(doc, warehouse: str):
	"""A Stock Entry bringing the goods into the QA hold when there is no delivery to return against."""
	qty, serial_no, batch_no = returned_units(doc)
	company = frappe.db.get_value("Warehouse", warehouse, "company")
	return frappe.get_doc(
		{
			"doctype": "Stock Entry",
			"company": company,
			"stock_entry_type": "Material Receipt",
			"purpose": "Material Receipt",
			"remarks": _("Goods returned for complaint {0}, inspection {1}.").format(doc.complaint, doc.name),
			"items": [
				{
					"item_code": doc.item,
					"qty": qty,
					"t_warehouse": warehouse,
					"use_serial_batch_fields": 1,
					"serial_no": serial_no,
					"batch_no": batch_no,
					# goods held for inspection, not bought: no valuation of their own
					"allow_zero_valuation_rate": 1,
				}
			],
		}
	)


# --- the stock document's side (doc_events of Delivery Note and Stock Entry) --------------------------


def is_goods_return(doc) -> bool:
	if doc.doctype == "Delivery Note":
		return bool(doc.get("is_return"))
	return doc.doctype == "Stock Entry" and doc.get("purpose") == "Material Receipt"


def check_link(doc, method: str | None = None) -> None:
	"""validate of Delivery Note, Stock Entry, Sales Invoice: only the inspection's Create menu links a
	document to an inspection (nobody adds, moves or removes the link), returned goods go into the QA hold
	and scrapped goods leave from it."""
	name = doc.get("defect_inspection")
	stored = None if doc.is_new() else frappe.db.get_value(doc.doctype, doc.name, "defect_inspection")
	if (name or None) != (stored or None) and doc.flags.made_for_inspection != name:
		frappe.throw(
			_("{0}: only the inspection's Create menu links a document to it.").format(
				_("Defect Inspection")
			),
			GoodsReturnError,
		)
	if doc.doctype == "Sales Invoice":
		return  # its prices: resolutions.check_contract_prices, the next validate hook
	if not name:
		return
	item, company = frappe.db.get_value(INSPECTION, name, ["item", "company"])
	warehouse = qa_hold_warehouse(company)
	for row in doc.items:
		if doc.doctype == "Stock Entry":
			place = row.get("t_warehouse") if is_goods_return(doc) else row.get("s_warehouse")
		else:
			place = row.get("warehouse")
		held = is_goods_return(doc) or doc.doctype == "Stock Entry"
		if row.item_code != item or (held and place != warehouse):
			frappe.throw(
				_("Row {0}: the goods of inspection {1} ({2}) go into the QA hold warehouse {3}.").format(
					row.idx, name, item, warehouse
				)
				if is_goods_return(doc)
				else _("Row {0}: only item {1} of inspection {2} (from {3}).").format(
					row.idx, item, name, warehouse
				),
				GoodsReturnError,
			)


def on_submit(doc, method: str | None = None) -> None:
	"""The warehouse received the goods: the inspection records when, and QA may begin."""
	name = doc.get("defect_inspection")
	if not name or not is_goods_return(doc):
		return
	frappe.db.set_value(INSPECTION, name, "goods_received_on", now_datetime(), update_modified=False)
	frappe.get_doc(INSPECTION, name).add_comment(
		"Info",
		_("Goods received into the QA hold by {0} ({1} {2}).").format(
			frappe.session.user, _(doc.doctype), doc.name
		),
	)


def on_cancel(doc, method: str | None = None) -> None:
	name = doc.get("defect_inspection")
	if name and is_goods_return(doc):
		frappe.db.set_value(INSPECTION, name, "goods_received_on", None, update_modified=False)
