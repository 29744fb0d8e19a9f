"""Tier-2 factories: real ERPNext documents for tests, found or made once."""

import frappe


def make_company(name: str, abbr: str, currency: str = "CNY", country: str = "China") -> str:
	"""A second company (ERPNext creates its chart of accounts and warehouses on insert)."""
	if not frappe.db.exists("Company", name):
		frappe.get_doc(
			{
				"doctype": "Company",
				"company_name": name,
				"abbr": abbr,
				"default_currency": currency,
				"country": country,
				"chart_of_accounts": "Standard",
			}
		).insert(ignore_permissions=True)
	return name
