"""Tier-2 helpers: what a test site needs before the app's tests run (`before_tests` hook)."""

import frappe


def before_tests() -> None:
	"""Prepare the site the way ERPNext's own tests expect, then the app's defaults.

	`bench run-tests --app complaint_handling` runs only this app's `before_tests`, so ERPNext's
	(company, fiscal year, defaults) is called from here.
	"""
	from erpnext.setup.utils import before_tests as erpnext_before_tests

	from complaint_handling.install import setup_defaults

	erpnext_before_tests()
	setup_defaults()
	frappe.db.commit()  # nosemgrep: tests need the prepared site to persist between test modules
