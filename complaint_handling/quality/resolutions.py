"""The resolution documents of a product-quality complaint (docs/procedure.md §6), made from the inspection's
cost allocation with one action each, as ERPNext drafts linked both ways:

- Replacement: a free-of-charge Delivery Note of the same item to the customer (rate 0, free item).
- Invoice: a Sales Invoice for what the rules put on the customer — parts, labour (engineer person-days at
  the rate of the allocation), freight legs the customer pays.
- Credit Note: a return against the original Sales Invoice, for a refund.
- Scrap: a Material Issue of the returned goods out of the QA hold.

Asking again returns the document already made (a cancelled one is made anew); nobody links a document of
their own to an inspection (goods_returns.check_link).
"""

import frappe
from frappe import _
from frappe.utils import flt

from complaint_handling.domain.costs import (
	AT_COST,
	CUSTOMER,
	FREIGHT_INBOUND,
	FREIGHT_OUTBOUND,
	LABOUR,
	PARTS,
	QUALITY_DEFECT,
	REPLACEMENT,
	RETURN,
	above_contract,
)
from complaint_handling.domain.statuses import (
	CORRECTIVE_ACTION_REVIEW,
	GM_REVIEW,
	INSPECTION_CLOSED,
	SETTLED_ON_SITE,
)
from complaint_handling.integrations.erpnext.companies import settings_company
from complaint_handling.integrations.erpnext.warehouse import stores_warehouse
from complaint_handling.quality.create_menu import inspection_for_action, map_as_the_app
from complaint_handling.quality.goods_returns import (
	INSPECTION,
	delivered_row,
	qa_hold_warehouse,
	returned_units,
)

REPLACEMENT_NOTE, INVOICE, CREDIT_NOTE, SCRAP = "Replacement", "Invoice", "Credit Note", "Scrap"
KINDS: dict[str, tuple[str, dict]] = {
	# kind -> (doctype, filters that tell it from the inspection's other documents of that doctype)
	REPLACEMENT_NOTE: ("Delivery Note", {"is_return": 0}),
	INVOICE: ("Sales Invoice", {"is_return": 0}),
	CREDIT_NOTE: ("Sales Invoice", {"is_return": 1}),
	SCRAP: ("Stock Entry", {"purpose": "Material Issue"}),
}
# the decision stands once the region manager approved QA's proposal (§7.5); misuse settled on site at once
DECIDED = (CORRECTIVE_ACTION_REVIEW, GM_REVIEW, INSPECTION_CLOSED, SETTLED_ON_SITE)


class ResolutionError(frappe.ValidationError):
	"""The resolution document asked for does not follow from the inspection's decision."""


@frappe.whitelist(methods=["POST"])
def make_resolution(inspection: str, kind: str) -> dict:
	"""Create ▸ Replacement / Invoice / Credit Note / Scrap on a decided inspection; idempotent."""
	if kind not in KINDS:
		frappe.throw(
			_("{0}: choose one of {1}.").format(_("Document"), ", ".join(_(k) for k in KINDS)),
			ResolutionError,
		)
	doc = inspection_for_action(inspection)
	existing = find_resolution(inspection, kind)
	if existing and not (kind == INVOICE and legs_to_invoice(doc)):
		return existing
	if doc.status not in DECIDED:
		frappe.throw(
			_("{0}: the decision is not approved yet (status {1}).").format(_(kind), _(doc.status)),
			ResolutionError,
		)
	# a freight leg the customer pays, recorded after the first invoice, is invoiced on its own
	target = freight_invoice(doc) if existing else MAKERS[kind](doc)
	target.defect_inspection = doc.name
	target.flags.made_for_inspection = doc.name
	target.insert(ignore_permissions=True)  # the app's draft, from the approved decision; accounts submit it
	if kind == INVOICE:
		for leg in legs_to_invoice(doc):
			frappe.db.set_value("Defect Inspection Freight", leg.name, "sales_invoice", target.name)
	doc.add_comment("Info", _("{0} {1} made from the decision.").format(_(kind), target.name))
	return {"doctype": target.doctype, "name": target.name}


def find_resolution(inspection: str, kind: str) -> dict | None:
	doctype, filters = KINDS[kind]
	name = frappe.db.get_value(
		doctype, {"defect_inspection": inspection, "docstatus": ["<", 2], **filters}, "name"
	)
	return {"doctype": doctype, "name": name} if name else None


def list_resolutions(inspection: str) -> list[dict]:
	"""Every resolution document made for the inspection, for its form."""
	return [found | {"kind": kind} for kind in KINDS if (found := find_resolution(inspection, kind))]


def allocation_of(doc) -> dict[str, str]:
	payers = {row.cost_item: row.paid_by for row in doc.costs}
	if not payers:
		frappe.throw(_("{0}: the inspection has no decision on who pays.").format(doc.name), ResolutionError)
	return payers


def company_of(doc) -> str:
	"""The inspection's company (its complaint's); an inspection from before companies: the settings' one."""
	return doc.get("company") or settings_company()


def replacement(doc):
	payers = allocation_of(doc)
	if (
		doc.final_determination != QUALITY_DEFECT
		or payers.get(REPLACEMENT) != "Company"
		or doc.remedy == RETURN
	):
		frappe.throw(
			_("{0}: only a quality defect exchanged at the company's cost is replaced free.").format(
				_(REPLACEMENT_NOTE)
			),
			ResolutionError,
		)
	row = delivered_row(doc)
	qty, _serial, _batch = returned_units(doc)
	warehouse = (row and frappe.db.get_value("Delivery Note Item", row.name, "warehouse")) or default_stores(
		doc
	)
	return frappe.get_doc(
		{
			"doctype": "Delivery Note",
			"company": company_of(doc),
			"customer": doc.customer,
			"ignore_pricing_rule": 1,
			"remarks": _("Free replacement for complaint {0}, inspection {1}.").format(
				doc.complaint, doc.name
			),
			"items": [
				{
					"item_code": doc.item,
					"qty": qty,
					"warehouse": warehouse,
					"rate": 0,
					"price_list_rate": 0,
					"is_free_item": 1,
				}
			],
		}
	)


def default_stores(doc) -> str:

	return stores_warehouse(company_of(doc))


def invoice(doc):
	payers = allocation_of(doc)
	rows = []
	if payers.get(PARTS) == CUSTOMER:
		for part in doc.parts_used:
			rate = flt(part.get("rate"))
			if not rate and doc.parts_basis == AT_COST:
				rate = flt(frappe.db.get_value("Item", part.item, "valuation_rate"))
			rows.append(
				{"item_code": part.item, "qty": flt(part.qty) or 1, **({"rate": rate} if rate else {})}
			)
	settings = frappe.get_cached_doc("Complaint Settings")
	if payers.get(LABOUR) == CUSTOMER and flt(doc.labour_days) > 0:
		rows.append(
			{
				"item_code": service_item(settings.labour_item, "Labour Item"),
				"qty": flt(doc.labour_days),
				"rate": flt(doc.labour_rate),
			}
		)
	rows += freight_rows(doc)
	if not rows:
		frappe.throw(_("{0}: nothing is the customer's to pay.").format(_(INVOICE)), ResolutionError)
	return sales_invoice(doc, rows)


def legs_to_invoice(doc) -> list:
	"""The freight legs the customer pays that no live invoice carries yet."""
	return [
		leg
		for leg in doc.freight
		if leg.leg in (FREIGHT_INBOUND, FREIGHT_OUTBOUND)
		and leg.paid_by == CUSTOMER
		and flt(leg.amount) > 0
		and not (
			leg.get("sales_invoice")
			and frappe.db.get_value("Sales Invoice", leg.sales_invoice, "docstatus") in (0, 1)
		)
	]


def freight_rows(doc) -> list[dict]:
	settings = frappe.get_cached_doc("Complaint Settings")
	return [
		{
			"item_code": service_item(settings.freight_item, "Freight Item"),
			"qty": 1,
			"rate": flt(leg.amount),
			"description": " ".join(
				part for part in (_(leg.leg), leg.get("document_type"), leg.get("document")) if part
			),
		}
		for leg in legs_to_invoice(doc)
	]


def freight_invoice(doc):
	"""The invoice of freight legs recorded after the first invoice was made."""
	return sales_invoice(doc, freight_rows(doc))


def sales_invoice(doc, rows: list[dict]):
	for row in rows:
		if "rate" in row:
			row["price_list_rate"] = row["rate"]
	return frappe.get_doc(
		{
			"doctype": "Sales Invoice",
			"company": company_of(doc),
			"customer": doc.customer,
			"ignore_pricing_rule": 1,
			"remarks": _("Customer-paid costs of complaint {0}, inspection {1}.").format(
				doc.complaint, doc.name
			),
			"items": rows,
		}
	)


def check_contract_prices(invoice, method: str | None = None) -> None:
	"""validate of a Sales Invoice made for an inspection: no part above its contract price (part 4)."""

	if not invoice.get("defect_inspection") or invoice.get("is_return"):
		return
	limits = {
		row.item: flt(row.contract_price)
		for row in frappe.get_all(
			"Defect Inspection Part",
			filters={"parent": invoice.defect_inspection, "parenttype": INSPECTION},
			fields=["item", "contract_price"],
		)
		if flt(row.contract_price) > 0
	}
	for row in invoice.items:
		if above_contract(flt(row.rate), limits.get(row.item_code)):
			frappe.throw(
				_("Row {0}: {1} at {2} is above the contract price {3}.").format(
					row.idx, row.item_code, flt(row.rate), limits[row.item_code]
				),
				ResolutionError,
			)


def service_item(item: str | None, label: str) -> str:
	if not item:
		frappe.throw(_("Set {0} in {1} first.").format(_(label), _("Complaint Settings")), ResolutionError)
	return item


def credit_note(doc):
	if doc.remedy != RETURN:
		frappe.throw(
			_("{0}: only a return is refunded (the remedy is {1}).").format(
				_(CREDIT_NOTE), _(doc.remedy or "-")
			),
			ResolutionError,
		)
	row = delivered_row(doc)
	invoice_item = row and frappe.db.get_value(
		"Sales Invoice Item",
		{"dn_detail": row.name, "docstatus": 1},
		["parent", "name"],
		as_dict=True,
	)
	if not invoice_item:
		frappe.throw(
			_("{0}: the delivery {1} has no submitted Sales Invoice to credit.").format(
				_(CREDIT_NOTE), doc.delivery_note or "-"
			),
			ResolutionError,
		)
	from erpnext.accounts.doctype.sales_invoice.sales_invoice import make_sales_return

	target = map_as_the_app(make_sales_return, invoice_item.parent)
	rows = [item for item in target.items if item.sales_invoice_item == invoice_item.name]
	target.set("items", rows)
	qty, _serial, _batch = returned_units(doc)
	rows[0].idx, rows[0].qty = 1, -qty
	rows[0].stock_qty = rows[0].qty * flt(rows[0].conversion_factor or 1)
	target.update_stock = 0  # the goods came back through the goods return already
	return target


def scrap(doc):
	if not doc.goods_received_on:
		frappe.throw(_("{0}: the goods are not back in the QA hold.").format(_(SCRAP)), ResolutionError)
	qty, serial_no, batch_no = returned_units(doc)
	return frappe.get_doc(
		{
			"doctype": "Stock Entry",
			"company": company_of(doc),
			"stock_entry_type": "Material Issue",
			"purpose": "Material Issue",
			"remarks": _("Scrapped goods of complaint {0}, inspection {1}.").format(doc.complaint, doc.name),
			"items": [
				{
					"item_code": doc.item,
					"qty": qty,
					"s_warehouse": qa_hold_warehouse(company_of(doc)),
					"use_serial_batch_fields": 1,
					"serial_no": serial_no,
					"batch_no": batch_no,
				}
			],
		}
	)


MAKERS = {REPLACEMENT_NOTE: replacement, INVOICE: invoice, CREDIT_NOTE: credit_note, SCRAP: scrap}
