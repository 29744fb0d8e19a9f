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
	"""Customer, status, date and company of a sales order, delivery note or invoice."""
	date_field = "transaction_date" if doctype == "Sales Order" else "posting_date"
	return frappe.db.get_value(
		doctype, name, ["customer", "docstatus", f"{date_field} as date", "company"], as_dict=True
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


def delivered_to(customers: list[str], txt: str | None = None, limit: int = 50) -> list[dict]:
	"""What was delivered to these customers, newest first: one row per item, serial number or batch.

	Reads submitted, non-return Delivery Notes with their v15 Serial and Batch Bundles (serial and batch
	numbers kept on the row itself, `use_serial_batch_fields`, are read too).
	"""
	if not customers:
		return []
	like = f"%{txt.strip()[:80]}%" if isinstance(txt, str) and txt.strip() else None
	return frappe.db.sql(
		f"""
		select dni.item_code as item, dni.item_name, dn.name as delivery_note, dn.posting_date,
			coalesce(sbe.serial_no, nullif(dni.serial_no, '')) as serial_no,
			coalesce(sbe.batch_no, nullif(dni.batch_no, '')) as batch_no
		from `tabDelivery Note` dn
		join `tabDelivery Note Item` dni on dni.parent = dn.name and dni.parenttype = 'Delivery Note'
		left join `tabSerial and Batch Entry` sbe on sbe.parent = dni.serial_and_batch_bundle
		where dn.docstatus = 1 and dn.is_return = 0 and dn.customer in %(customers)s
		{"and (dni.item_code like %(like)s or dni.item_name like %(like)s or sbe.serial_no like %(like)s or sbe.batch_no like %(like)s or dn.name like %(like)s)" if like else ""}
		order by dn.posting_date desc, dn.name desc, dni.idx, sbe.idx
		limit %(limit)s
		""",
		{"customers": tuple(customers), "like": like, "limit": int(limit)},
		as_dict=True,
	)
