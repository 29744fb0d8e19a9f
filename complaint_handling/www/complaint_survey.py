"""The satisfaction survey after closure: reached through the e-mailed single-use link (no login) or from the
customer's complaint page in the portal."""

import frappe
from frappe import _

from complaint_handling.customer.surveys import questions, survey_complaint

no_cache = 1


def get_context(context) -> None:
	args = frappe.form_dict
	context.no_breadcrumbs = True
	context.title = _("How did we handle your complaint?")
	try:
		complaint = survey_complaint(args.get("complaint"), args.get("expires"), args.get("_signature"))
	except (frappe.PermissionError, frappe.DoesNotExistError) as error:
		context.error = str(error) or _("This survey link is not valid.")
		return
	context.complaint = frappe._dict(
		name=complaint.name,
		subject=complaint.subject,
		closed=complaint.status == "Closed",
		rated=bool(complaint.quality_feedback),
	)
	context.questions = questions()
	context.link = frappe._dict(
		complaint=complaint.name, expires=args.get("expires"), signature=args.get("_signature")
	)
