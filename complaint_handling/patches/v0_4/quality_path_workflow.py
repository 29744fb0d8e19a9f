"""The product-quality path (docs/procedure.md §7): install the Defect Inspection approval workflow once, and
give existing inspections their status."""

import frappe

from complaint_handling.setup.install import install_workflows


def execute() -> None:
	install_workflows()
	frappe.db.sql(
		"""update `tabDefect Inspection` set status = 'Draft', workflow_state = 'Draft'
		where ifnull(workflow_state, '') = ''"""
	)
