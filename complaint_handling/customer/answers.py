"""The customer's moves in the portal (docs/procedure.md §2, §6): what they may pick from their deliveries,
photos, their answer to the decision and an escalation to an outside authority. The rules are in
domain/customer.py; here they meet the request, the user's customer and the database.

Portal users hold no workflow role: they answer, the company's clerk or coordinator records the dispute or
closes in the workflow (the complaint's next step, domain/statuses.py).
"""

import frappe
from frappe import _
from frappe.utils import cint, escape_html, flt, getdate, now_datetime, today

from complaint_handling.domain import customer as rules
from complaint_handling.domain.statuses import DISPUTED
from complaint_handling.integrations.erpnext.people import customers_of_portal_user, is_website_user
from complaint_handling.integrations.erpnext.sales import delivered_to

COMPLAINT = "Customer Complaint"
MAX_TEXT = 2000  # characters of a reason or an authority's name a customer may send


class NotYourComplaintError(frappe.PermissionError):
	"""The complaint is not one of the portal user's own customers'."""


class CustomerAnswerError(frappe.ValidationError):
	"""The answer to the decision cannot be taken now (domain/customer.py: response_problem)."""


class PhotoRefusedError(frappe.ValidationError):
	"""The upload is not a photo within the portal's limits."""


def own_complaint(name, action: str):
	"""The complaint if it belongs to the portal user's customer; refuses anyone else, as Frappe would."""
	if not isinstance(name, str) or not name or not frappe.db.exists(COMPLAINT, name):
		frappe.throw(
			_("{0}: {1} {2} does not exist.").format(
				_("Complaint"), _(COMPLAINT), frappe.bold(escape_html(str(name)))
			),
			frappe.DoesNotExistError,
		)
	user = frappe.session.user
	customer = frappe.db.get_value(COMPLAINT, name, "customer")
	if not is_website_user(user) or customer not in customers_of_portal_user(user):
		frappe.throw(
			_("Only the customer's own portal users can {0} complaint {1}.").format(action, name),
			NotYourComplaintError,
		)
	return frappe.get_doc(COMPLAINT, name)


def text_argument(value, label: str, *, required: bool = False, limit: int = MAX_TEXT) -> str:
	"""A customer's free text: a string, within the length limit, stripped; refused naming the field."""
	if value is None or value == "":
		value = ""
	if not isinstance(value, str):
		frappe.throw(_("{0}: expected text.").format(label), frappe.ValidationError)
	value = value.strip()
	if required and not value:
		frappe.throw(_("{0}: required.").format(label), frappe.MandatoryError)
	if len(value) > limit:
		frappe.throw(_("{0}: at most {1} characters.").format(label, limit), frappe.ValidationError)
	return value


# What they may pick ------------------------------------------------------------------------------


# Photos ------------------------------------------------------------------------------------------


PHOTO_MESSAGES = {
	"type": lambda s: _("{0}: only photos (JPEG, PNG, WebP, GIF or HEIC) can be attached.").format(
		_("Photo")
	),
	"content": lambda s: _("{0}: the file is not the photo its name says.").format(_("Photo")),
	"size": lambda s: _("{0}: at most {1} MB.").format(_("Photo"), flt(s.photo_max_mb)),
	"count": lambda s: _("{0}: at most {1} photos per complaint.").format(
		_("Photo"), cint(s.photos_per_complaint)
	),
	"empty": lambda s: _("{0}: the file is empty.").format(_("Photo")),
}


@frappe.whitelist(methods=["POST"])
def attach_photo(name: str | None = None) -> dict:
	"""Attach one photo (multipart field `file`) to the portal user's open complaint, as a private file."""
	complaint = own_complaint(name, _("add photos to"))
	upload = frappe.request.files.get("file") if getattr(frappe, "request", None) else None
	if upload is None:
		frappe.throw(_("{0}: required.").format(_("Photo")), frappe.MandatoryError)
	settings = frappe.get_cached_doc("Complaint Settings")
	max_bytes = int(flt(settings.photo_max_mb) * 1024 * 1024)
	content = upload.stream.read(max_bytes + 1)
	already = frappe.db.count(
		"File",
		{"attached_to_doctype": COMPLAINT, "attached_to_name": complaint.name, "owner": frappe.session.user},
	)
	try:
		rules.check_photo(
			upload.filename or "",
			content,
			max_bytes=max_bytes,
			already=already,
			max_count=cint(settings.photos_per_complaint),
		)
	except rules.PhotoError as refused:
		frappe.throw(PHOTO_MESSAGES[str(refused)](settings), PhotoRefusedError, title=_("Photo refused"))
	file = frappe.get_doc(
		{
			"doctype": "File",
			"file_name": upload.filename,
			"attached_to_doctype": COMPLAINT,
			"attached_to_name": complaint.name,
			"is_private": 1,
			"content": content,
		}
	)
	file.insert(ignore_permissions=True)  # the complaint is theirs (checked above); the file is private to it
	return {"name": file.name, "file_url": file.file_url}


# Answering the decision ---------------------------------------------------------------------------


ANSWER_MESSAGES = {
	"unknown": lambda: _("{0}: choose Accepted or Disputed.").format(_("Customer's Answer")),
	"not_replied": lambda: _("The company has not answered this complaint yet, or it is closed."),
	"answered": lambda: _("You have answered this decision already."),
	"no_reason": lambda: _("{0}: required.").format(_("Customer's Reason for Disputing")),
}


@frappe.whitelist(methods=["POST"])
def answer_decision(name: str | None = None, answer: str | None = None, reason: str | None = None) -> dict:
	"""The customer accepts the decision they were told, or disputes it with a reason (once)."""
	complaint = own_complaint(name, _("answer"))
	reason = text_argument(reason, _("Customer's Reason for Disputing"))
	problem = rules.response_problem(complaint.status, complaint.customer_response, answer, reason)
	if problem:
		frappe.throw(ANSWER_MESSAGES[problem](), CustomerAnswerError, title=_("Not possible"))
	complaint.customer_response = answer
	complaint.customer_responded_on = now_datetime()
	owned = {"customer_response", "customer_responded_on"}
	if answer == DISPUTED:
		complaint.dispute_reason = reason
		owned.add("dispute_reason")
	complaint.flags.owner_writes = owned
	complaint.flags.ignore_permissions = True  # a portal user has no write permission; checked above
	complaint.save()
	complaint.add_comment(
		"Info",
		_("The customer accepted the decision.")
		if answer == rules.ACCEPTED
		else _("The customer disputes the decision: {0}").format(escape_html(reason)),
	)
	return {"name": complaint.name, "customer_response": complaint.customer_response}


@frappe.whitelist(methods=["POST"])
def record_outside_escalation(
	name: str | None = None,
	authority: str | None = None,
	reference: str | None = None,
	escalated_on: str | None = None,
) -> dict:
	"""The customer took the complaint to an outside authority (e.g. the market regulator): recorded."""
	complaint = own_complaint(name, _("escalate"))
	authority = text_argument(authority, _("Authority"), required=True, limit=140)
	reference = text_argument(reference, _("Reference"), limit=140)
	if not rules.may_escalate_outside(complaint.status):
		frappe.throw(
			_("An escalation can be recorded once the company has answered the complaint."),
			CustomerAnswerError,
			title=_("Not possible"),
		)
	try:
		when = getdate(escalated_on) if escalated_on else getdate(today())
	except Exception:
		when = None
	if when is None or when > getdate(today()):
		frappe.throw(_("{0}: a date not in the future.").format(_("Escalated On")), frappe.ValidationError)
	complaint.append("escalations", {"authority": authority, "reference": reference, "escalated_on": when})
	complaint.flags.owner_writes = {"escalations"}
	complaint.flags.ignore_permissions = True
	complaint.save()
	return {"name": complaint.name, "escalations": len(complaint.escalations)}
