"""Shares and document follows made before the side doors were closed (access/doors.py): a complaint's
documents shared with everyone, with the person it is about or with another customer's portal user, and
follows by users who may not read what they follow, are removed."""

import frappe

from complaint_handling.access import records
from complaint_handling.access.permissions import remove_forbidden_shares


def execute():
	remove_forbidden_shares()
	for follow in frappe.get_all(
		"Document Follow",
		filters={"ref_doctype": ("in", records.PARENTS)},
		fields=["name", "ref_doctype", "ref_docname", "user"],
	):
		if not frappe.db.exists(follow.ref_doctype, follow.ref_docname) or not frappe.has_permission(
			follow.ref_doctype, "read", doc=follow.ref_docname, user=follow.user
		):
			frappe.db.delete("Document Follow", follow.name)
