"""Guest page behind the signed e-mail link: the customer reads the complaint record and confirms it."""

import frappe
from frappe import _

from complaint_handling.customer.confirmation import verify_link

no_cache = 1


def get_context(context) -> None:
	args = frappe.form_dict
	context.no_breadcrumbs = True
	context.title = _("Confirm your complaint")
	try:
		verify_link(args.get("complaint"), args.get("expires"), args.get("_signature"))
	except frappe.PermissionError as error:
		context.error = str(error)
		return
	complaint = frappe.get_doc("Customer Complaint", args.complaint)
	context.complaint = frappe._dict(
		name=complaint.name,
		subject=complaint.subject,
		description=complaint.description,
		desired_remedy=complaint.desired_remedy,
		item_name=complaint.item_name,
		serial_no=complaint.serial_no,
		received_on=complaint.get_formatted("received_on"),
		confirmed=complaint.confirmation_status == "Confirmed",
	)
	context.link = frappe._dict(complaint=args.complaint, expires=args.expires, signature=args._signature)
