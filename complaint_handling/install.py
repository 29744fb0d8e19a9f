"""Install hooks: give a new (or migrated) site what complaint handling needs. Safe to run again."""

import json
from pathlib import Path

import frappe

WORKFLOWS = Path(__file__).parent / "workflows"

# The seed's three categories (5.1), each with its own handling path (5.3.1–5.3.3).
DEFAULT_CATEGORIES = (
	("Policy / Customer Service", "Policy / Customer Service"),
	("Staff Conduct", "Staff Conduct"),
	("Product Quality", "Product Quality"),
)


def after_install() -> None:
	install_default_categories()
	install_workflows()
	setup_defaults()
	install_default_authority_limits()


def after_migrate() -> None:
	setup_defaults()


def on_company_created(doc, method: str | None = None) -> None:
	"""The setup wizard creates the first company after the app may already be installed."""
	if not frappe.db.get_single_value("Complaint Settings", "company"):
		setup_defaults(doc.name)


def install_default_categories() -> None:
	"""Installed once (install, or the patch on existing sites): an administrator may rename or remove them."""
	for name, path in DEFAULT_CATEGORIES:
		if not frappe.db.exists("Complaint Category", name):
			frappe.get_doc(
				{"doctype": "Complaint Category", "category_name": name, "handling_path": path}
			).insert(ignore_permissions=True)


def setup_defaults(company: str | None = None) -> None:
	"""Fill policy values never set on this site, and point the settings at a company and its QA hold."""
	settings = frappe.get_single("Complaint Settings")
	missing = missing_policy_defaults(settings)
	company = settings.company or company or default_company()
	if not missing and (not company or (settings.company == company and settings.qa_hold_warehouse)):
		return
	settings.update(missing)
	if company:
		settings.company = company
	settings.flags.ignore_permissions = True
	settings.save()


def missing_policy_defaults(settings) -> dict:
	"""Defaults of fields that have no stored value yet (new fields after an upgrade); edits are kept."""
	stored = set(
		frappe.db.sql("select field from `tabSingles` where doctype = %s", settings.doctype, pluck=True)
	)
	return {
		field.fieldname: field.default
		for field in settings.meta.fields
		if field.default is not None and field.fieldname not in stored
	}


def default_company() -> str | None:
	return frappe.defaults.get_global_default("company") or frappe.db.get_value(
		"Company", {}, "name", order_by="creation asc"
	)


def install_workflows() -> None:
	"""Install the default workflows once; an administrator's own or edited workflow is never replaced.

	Not fixtures: fixtures re-sync on every migrate and would wipe edits made in the Workflow screen.
	"""
	for path in sorted(WORKFLOWS.glob("*.json")):
		definition = json.loads(path.read_text(encoding="utf-8"))
		if frappe.db.exists("Workflow", definition["workflow_name"]) or frappe.db.exists(
			"Workflow", {"document_type": definition["document_type"], "is_active": 1}
		):
			continue
		for state in definition["states"]:
			style = state.pop("style", "")
			if not frappe.db.exists("Workflow State", state["state"]):
				frappe.get_doc(
					{"doctype": "Workflow State", "workflow_state_name": state["state"], "style": style}
				).insert(ignore_permissions=True)
		for action in {t["action"] for t in definition["transitions"]}:
			if not frappe.db.exists("Workflow Action Master", action):
				frappe.get_doc({"doctype": "Workflow Action Master", "workflow_action_name": action}).insert(
					ignore_permissions=True
				)
		frappe.get_doc(definition).insert(ignore_permissions=True)


def install_default_authority_limits() -> None:
	"""The routing defaults as editable rows of Complaint Settings (only when the table is empty)."""
	from complaint_handling.domain.routing import DEFAULT_LIMITS

	settings = frappe.get_single("Complaint Settings")
	if settings.get("authority_limits"):
		return
	for limit in DEFAULT_LIMITS:
		settings.append(
			"authority_limits",
			{
				"party": limit.party,
				"handling_path": limit.handling_path,
				"max_amount": limit.max_amount if limit.max_amount != float("inf") else 999_999_999_999,
			},
		)
	settings.flags.ignore_permissions = True
	settings.save()
