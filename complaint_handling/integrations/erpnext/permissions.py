"""What the app's roles may do on ERPNext's own documents: the records a complaint links to.

Installed as Custom DocPerm rows (the Role Permissions Manager's own mechanism: the DocType's standard
rows are copied first, so ERPNext's roles keep what they had), once by `after_install` and by a patch.
An administrator may change or remove them in Role Permissions Manager; nothing re-adds a row later
except a new patch. `select` lets a role pick a record in a link field without opening it (employees and
sales persons hold personal data: docs/procedure.md §12).
"""

import frappe
from frappe.permissions import add_permission, update_permission_property

CLERK = "Complaint Clerk"
COORDINATOR = "Complaint Coordinator"
REGION_MANAGER = "Region Manager"
DIRECTOR = "Marketing Director"
GENERAL_MANAGER = "General Manager"
REPRESENTATIVE = "Management Representative"
QUALITY = "Quality Manager"  # ERPNext's own role, reused

APP_ROLES = (CLERK, COORDINATOR, REGION_MANAGER, DIRECTOR, GENERAL_MANAGER, REPRESENTATIVE, QUALITY)
HANDLERS = (CLERK, COORDINATOR, REGION_MANAGER, DIRECTOR, QUALITY)
READ, SELECT = ("read",), ("select",)

# DocType → role → rights. Each right is a column of DocPerm (read, select, write, create, ...).
ERPNEXT_PERMISSIONS: dict[str, dict[str, tuple[str, ...]]] = {
	"Customer": dict.fromkeys(APP_ROLES, READ),
	# the complaint's company (a report's Company filter): ERPNext's User Permissions limit which ones
	"Company": dict.fromkeys(APP_ROLES, READ),
	"Contact": dict.fromkeys(HANDLERS, READ),
	"Address": dict.fromkeys(HANDLERS, READ),
	"Customer Group": dict.fromkeys(APP_ROLES, READ),
	"Territory": dict.fromkeys(APP_ROLES, READ),
	"Item": dict.fromkeys(APP_ROLES, READ),
	"Item Group": dict.fromkeys(APP_ROLES, READ),
	"Serial No": dict.fromkeys((*HANDLERS, GENERAL_MANAGER), READ),
	"Batch": dict.fromkeys((*HANDLERS, GENERAL_MANAGER), READ),
	"Sales Order": dict.fromkeys(HANDLERS, READ),
	"Delivery Note": dict.fromkeys(HANDLERS, READ),
	"Sales Invoice": dict.fromkeys(HANDLERS, READ),
	"Department": dict.fromkeys(APP_ROLES, READ),
	"Employee": dict.fromkeys(APP_ROLES, SELECT),
	"Sales Person": dict.fromkeys(APP_ROLES, SELECT),
	"Holiday List": {COORDINATOR: READ},
	# QA's corrective action (docs/procedure.md §7.5): QA keeps it, the GM and the representative read it
	"Non Conformance": {QUALITY: ("read", "write", "create"), GENERAL_MANAGER: READ, REPRESENTATIVE: READ},
	"Quality Procedure": {QUALITY: READ, GENERAL_MANAGER: READ, REPRESENTATIVE: READ},
}


def missing_permissions() -> list[tuple[str, str, str]]:
	"""(doctype, role, right) rows of the table that the site does not grant yet at permlevel 0."""
	missing = []
	for doctype, roles in ERPNEXT_PERMISSIONS.items():
		if not frappe.db.exists("DocType", doctype):
			continue
		table = "Custom DocPerm" if frappe.db.exists("Custom DocPerm", {"parent": doctype}) else "DocPerm"
		for role, rights in roles.items():
			if not frappe.db.exists("Role", role):
				continue
			row = frappe.db.get_value(
				table,
				{"parent": doctype, "role": role, "permlevel": 0, "if_owner": 0},
				list(rights),
				as_dict=True,
			)
			missing += [(doctype, role, right) for right in rights if not (row and row.get(right))]
	return missing


def grant_erpnext_permissions() -> int:
	"""Add the rows of the table that are missing; returns how many rights were granted."""
	missing = missing_permissions()
	for doctype, role, right in missing:
		if not frappe.db.exists(
			"Custom DocPerm", {"parent": doctype, "role": role, "permlevel": 0, "if_owner": 0}
		):
			add_permission(doctype, role, 0, right)
			if right != "read":  # add_permission always sets read as well as the right asked for
				update_permission_property(doctype, role, 0, "read", 0, validate=False)
		else:
			update_permission_property(doctype, role, 0, right, 1, validate=False)
	for doctype in {doctype for doctype, _role, _right in missing}:
		frappe.clear_cache(doctype=doctype)
	return len(missing)
