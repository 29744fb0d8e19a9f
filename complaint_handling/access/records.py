"""The app's DocTypes, what complaint each document belongs to, and Frappe's own records that point at one.

A complaint's documents share its visibility (access/permissions.py). Frappe keeps records of its own about any
document — assignments, comments, files, versions, workflow actions, shares, follows, tags, notifications —
each naming it by (DocType, name). Such a record about a complaint, or about a document of one, is shown to
a user only when that user may read the document it names: the accused finds no trace of the complaint.
"""

import frappe
from frappe.utils.caching import request_cache

COMPLAINT = "Customer Complaint"

# The app's DocTypes whose documents belong to one complaint (besides the complaint itself), by the field
# that names it; the SLA breach names its complaint or memo by reference.
BELONGING: dict[str, str] = {
	"Complaint Memo": "complaint",
	"Defect Inspection": "complaint",
	"Complaint Penalty": "complaint",
	"Complaint Follow-up Call": "complaint",
	"Complaint SLA Clock": "complaint",
}
SLA_BREACH = "Complaint SLA Breach"
PARENTS: tuple[str, ...] = (COMPLAINT, *BELONGING, SLA_BREACH)

# Frappe's records that point at a document: DocType → (its DocType field, its name field).
POINTERS: dict[str, tuple[str, str]] = {
	"ToDo": ("reference_type", "reference_name"),
	"Comment": ("reference_doctype", "reference_name"),
	"Communication": ("reference_doctype", "reference_name"),
	"File": ("attached_to_doctype", "attached_to_name"),
	"Version": ("ref_doctype", "docname"),
	"Workflow Action": ("reference_doctype", "reference_name"),
	"DocShare": ("share_doctype", "share_name"),
	"Document Follow": ("ref_doctype", "ref_docname"),
	"Notification Log": ("document_type", "document_name"),
	"Tag Link": ("document_type", "document_name"),
	"Email Queue": ("reference_doctype", "reference_name"),
	"Activity Log": ("reference_doctype", "reference_name"),
	"Access Log": ("export_from", "reference_document"),
	"View Log": ("reference_doctype", "reference_name"),
	"Energy Point Log": ("reference_doctype", "reference_name"),
}


@request_cache
def child_tables() -> dict[str, str]:
	"""The child DocTypes of the app's complaint documents, each with its parent DocType."""
	return {df.options: parent for parent in PARENTS for df in frappe.get_meta(parent).get_table_fields()}


@request_cache
def app_doctypes() -> tuple[str, ...]:
	"""Every DocType of a complaint's file: the complaint, its documents, and their child tables."""
	return (*PARENTS, *child_tables())


def complaint_of(doctype: str, name: str) -> str | None:
	"""The complaint a document of the app belongs to (None for a document of no complaint)."""
	if doctype == COMPLAINT:
		return name
	if field := BELONGING.get(doctype):
		return frappe.db.get_value(doctype, name, field)
	if doctype == SLA_BREACH:
		ref = frappe.db.get_value(doctype, name, ["reference_doctype", "reference_name"])
		return complaint_of(*ref) if ref and ref[0] in (COMPLAINT, *BELONGING) and ref[1] else None
	if parent := child_tables().get(doctype):
		row = frappe.db.get_value(doctype, name, ["parenttype", "parent"])
		return complaint_of(row[0], row[1]) if row and row[0] == parent else None
	return None
