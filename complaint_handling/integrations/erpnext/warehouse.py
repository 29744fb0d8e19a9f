"""Warehouses the complaint process needs inside ERPNext."""

import frappe
from frappe import _

QA_HOLD = "QA Hold"


def ensure_qa_hold_warehouse(company: str) -> str:
	"""Return the company's QA-hold warehouse, creating it under the company's root warehouse once."""
	warehouse_name = _(QA_HOLD)
	existing = frappe.db.get_value(
		"Warehouse", {"company": company, "warehouse_name": ("in", [QA_HOLD, warehouse_name])}, "name"
	)
	if existing:
		return existing
	parent = frappe.db.get_value(
		"Warehouse", {"company": company, "is_group": 1, "parent_warehouse": ("is", "not set")}, "name"
	)
	warehouse = frappe.get_doc(
		{
			"doctype": "Warehouse",
			"warehouse_name": warehouse_name,
			"company": company,
			"parent_warehouse": parent,
		}
	)
	warehouse.flags.ignore_permissions = True
	warehouse.insert()
	return warehouse.name


def stores_warehouse(company: str) -> str:
	"""The company's ordinary stores warehouse (ERPNext's default when it is the company's), not the QA hold."""
	default = frappe.db.get_single_value("Stock Settings", "default_warehouse")
	if default and frappe.db.get_value("Warehouse", default, "company") == company:
		return default
	settings = frappe.get_cached_doc("Complaint Settings")
	qa_holds = {
		settings.qa_hold_warehouse,
		*(row.qa_hold_warehouse for row in settings.get("company_policies") or []),
	}
	candidates = frappe.get_all(
		"Warehouse",
		filters={"company": company, "is_group": 0},
		fields=["name", "warehouse_type"],
		order_by="creation asc",
	)
	return next(w.name for w in candidates if w.name not in qa_holds and w.warehouse_type != "Transit")


def serials_of(value: str | None) -> list[str]:
	return [s.strip() for s in (value or "").replace(",", "\n").splitlines() if s.strip()]
