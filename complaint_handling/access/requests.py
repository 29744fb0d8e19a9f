"""The shape of a write request to the app's documents (a `before_request` hook): what Frappe could not read
answers 4xx, never 500. What may be written at all is access/protection.py's business."""

from urllib.parse import unquote

import frappe
from frappe import _

COMPLAINT = "Customer Complaint"

CHECKED_BODIES = (COMPLAINT, "Complaint Memo", "Defect Inspection", "Complaint Penalty", "Penalty Rule")


def check_rest_body() -> None:
	"""`before_request`: a REST or `set_value` write to the app's documents has a shape Frappe can read.

	Frappe turns `docstatus` into an int and table values into rows before any hook of the document runs;
	anything else would be a 500. What may be written at all is the protection's business (access/protection.py).
	"""
	request = getattr(frappe.local, "request", None)
	if not request or request.method not in ("POST", "PUT"):
		return
	if request.path.startswith("/api/resource/") and request.path.count("/") >= 3:
		doctype = unquote(request.path.split("/")[3])
		if doctype not in CHECKED_BODIES:
			return  # another app's document (an ERPNext Issue): not the app's business, nothing parsed
		try:
			body = request.get_json(silent=True) or {}
		except Exception:
			body = {}
	elif request.path == "/api/method/frappe.client.set_value":
		doctype = frappe.form_dict.get("doctype")
		fieldname = frappe.form_dict.get("fieldname")
		try:
			body = (
				frappe.parse_json(fieldname)
				if str(fieldname).startswith("{")
				else {fieldname: frappe.form_dict.get("value")}
			)
		except Exception:
			body = {}
		if doctype in CHECKED_BODIES and isinstance(body, dict):
			tables = {df.fieldname for df in frappe.get_meta(doctype).get_table_fields()} & set(body)
			if tables:  # Frappe's set_value cannot write rows; the app's tables have owners
				frappe.throw(
					_("{0}: cannot be set this way.").format(", ".join(sorted(tables))),
					frappe.PermissionError,
				)
	else:
		return
	if doctype not in CHECKED_BODIES or not isinstance(body, dict):
		return
	value = body.get("docstatus")
	if value is not None and str(value).strip() not in ("0", "1", "2"):
		frappe.throw(_("{0}: must be 0, 1 or 2.").format("docstatus"), frappe.ValidationError)
	for df in frappe.get_meta(doctype).get_table_fields():
		rows = body.get(df.fieldname)
		if rows is not None and not (isinstance(rows, list) and all(isinstance(r, dict) for r in rows)):
			frappe.throw(_("{0}: expected a list of rows.").format(_(df.label)), frappe.ValidationError)
