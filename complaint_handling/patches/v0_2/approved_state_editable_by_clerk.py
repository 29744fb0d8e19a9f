"""The clerk replies to the customer from the Approved state, so the clerk may edit the decision there.

Workflows are never overwritten: only the shipped value (Complaint Coordinator) is changed, so a state an
administrator has set otherwise stays as it is.
"""

import frappe


def execute() -> None:
	frappe.db.set_value(
		"Workflow Document State",
		{"parent": "Customer Complaint Handling", "state": "Approved", "allow_edit": "Complaint Coordinator"},
		"allow_edit",
		"Complaint Clerk",
	)
	frappe.clear_cache(doctype="Customer Complaint")
