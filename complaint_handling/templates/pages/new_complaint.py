"""/complaints/new: a customer's portal user submits a complaint about something delivered to them."""

import frappe
from frappe import _
from frappe.utils import cint, flt

from complaint_handling.integrations.erpnext.people import customers_of_portal_user, is_website_user
from complaint_handling.integrations.erpnext.sales import delivered_to

no_cache = 1


def get_context(context):
	user = frappe.session.user
	if user == "Guest":
		frappe.throw(_("Log in to submit a complaint."), frappe.PermissionError)
	customers = customers_of_portal_user(user) if is_website_user(user) else []
	if not customers:
		frappe.throw(_("Only customers' portal users can submit a complaint here."), frappe.PermissionError)
	settings = frappe.get_cached_doc("Complaint Settings")
	context.show_sidebar = True
	context.title = _("New Complaint")
	context.parents = [{"label": _("Complaints"), "route": "complaints"}]
	context.customers = customers
	context.categories = frappe.get_all(
		"Complaint Category", filters={"disabled": 0}, pluck="name", order_by="name asc"
	)
	context.deliveries = delivered_to(customers, limit=100)
	context.photo_max_mb = flt(settings.photo_max_mb)
	context.photos_per_complaint = cint(settings.photos_per_complaint)
