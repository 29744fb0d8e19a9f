"""The inspection's Create menu (docs/procedure.md §5–§7): the inspection an action works on, checked and
locked, and ERPNext's own mappers run on the acting user's behalf."""

import frappe
from frappe import _
from frappe.utils import nowdate, nowtime

INSPECTION = "Defect Inspection"


def inspection_for_action(inspection) -> "frappe.model.document.Document":
	"""The inspection a Create-menu action works on: it exists, the user may write it, and one action at a
	time runs on it (a second click waits here, then finds the first one's document)."""
	if not isinstance(inspection, str) or not frappe.db.exists(INSPECTION, inspection):
		frappe.throw(_("{0}: choose an existing inspection.").format(_(INSPECTION)), frappe.DoesNotExistError)
	doc = frappe.get_doc(INSPECTION, inspection)
	doc.check_permission("write")
	frappe.db.get_value(INSPECTION, inspection, "name", for_update=True)
	return doc


def map_as_the_app(make, source: str):
	"""ERPNext's return mappers ask the caller for rights on the source document, which the roles acting on
	an inspection do not hold: the app maps on their behalf (the right to act was checked on the inspection),
	and the warehouse or accounts, who hold those rights, review and submit the draft."""
	user = frappe.session.user
	frappe.set_user("Administrator")
	try:
		target = make(source)
	finally:
		frappe.set_user(user)
	if target.meta.has_field("set_posting_time"):
		# the mappers copy the source's posting time and its "edit posting date and time": a return dated
		# today at the original's hour may lie in the future and block every later move of the goods
		target.set_posting_time = 0
		target.posting_date = nowdate()
		target.posting_time = nowtime()
	return target
