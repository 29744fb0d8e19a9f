"""Where a complained-about product came from: deliveries, invoices and orders in ERPNext."""

import frappe
from frappe.query_builder import DocType

SALES_VOUCHERS = ("Delivery Note", "Sales Invoice")


def serial_delivery(serial_no: str) -> frappe._dict | None:
	"""The latest submitted outward delivery or invoice of a serial number (v15 Serial and Batch Bundles)."""
	entry, bundle = DocType("Serial and Batch Entry"), DocType("Serial and Batch Bundle")
	rows = (
		frappe.qb.from_(entry)
		.join(bundle)
		.on(bundle.name == entry.parent)
		.select(bundle.voucher_type, bundle.voucher_no, bundle.posting_date, bundle.item_code, entry.batch_no)
		.where(entry.serial_no == serial_no)
		.where(bundle.docstatus == 1)
		.where(bundle.is_cancelled == 0)
		.where(bundle.type_of_transaction == "Outward")
		.where(bundle.voucher_type.isin(SALES_VOUCHERS))
		.orderby(bundle.posting_date, order=frappe.qb.desc)
		.orderby(bundle.posting_time, order=frappe.qb.desc)
		.limit(1)
	).run(as_dict=True)
	if not rows:
		return None
	delivery = rows[0]
	delivery.customer = frappe.db.get_value(delivery.voucher_type, delivery.voucher_no, "customer")
	return delivery


def sales_document(doctype: str, name: str) -> frappe._dict | None:
	"""Customer, status and dates of a sales order, delivery note or invoice."""
	date_field = "transaction_date" if doctype == "Sales Order" else "posting_date"
	return frappe.db.get_value(
		doctype, name, ["customer", "docstatus", f"{date_field} as date"], as_dict=True
	)


def sales_order_of(doctype: str, name: str, item: str | None = None) -> str | None:
	"""The sales order a delivery note or invoice row was made against (for the given item when known)."""
	child, link = (
		("Delivery Note Item", "against_sales_order")
		if doctype == "Delivery Note"
		else ("Sales Invoice Item", "sales_order")
	)
	filters = {"parent": name, link: ("is", "set")}
	if item:
		filters["item_code"] = item
	return frappe.db.get_value(child, filters, link)
