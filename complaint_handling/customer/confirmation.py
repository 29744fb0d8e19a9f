"""Whitelisted methods for the portal, integrations and the e-mailed confirmation link.

Every method saves through the Customer Complaint controller, so desk, portal, API and REST share one set
of rules and permissions.
"""

from typing import Any

import frappe
from frappe import _
from frappe.utils import add_to_date, escape_html, now_datetime

from complaint_handling.access import throttle
from complaint_handling.customer.answers import own_complaint
from complaint_handling.customer.signed_links import link_problem, signed_url
from complaint_handling.domain.protection import PORTAL_WRITABLE
from complaint_handling.intake import registration
from complaint_handling.integrations.erpnext.people import is_website_user

COMPLAINT = "Customer Complaint"
MAX_CORRECTIONS = 5000  # characters a customer may send back through the link

# What a caller may send: the complaint as the customer tells it (domain/protection.py), plus what staff
# and API callers also know; access/protection.py still refuses the extras for portal users.
SUBMITTABLE_FIELDS = (
	*sorted(PORTAL_WRITABLE),
	"complainant_email",
	"severity",
	"received_on",
	"channel",
)


@frappe.whitelist(methods=["POST"])
def submit_complaint(**fields: Any) -> dict:
	"""Register a complaint. Portal users complain for their own customer; staff and API users name it."""
	unknown = sorted(set(fields) - set(SUBMITTABLE_FIELDS) - {"cmd"})
	if unknown:
		frappe.throw(
			_("Unknown fields: {0}. Allowed: {1}.").format(", ".join(unknown), ", ".join(SUBMITTABLE_FIELDS)),
			title=_("Invalid complaint"),
		)
	if not is_website_user(frappe.session.user):  # portal users are counted on insert, whatever the path
		throttle.check("submit", "submissions_per_hour")
	complaint = frappe.new_doc(COMPLAINT)
	complaint.update({key: value for key, value in fields.items() if key in SUBMITTABLE_FIELDS})
	complaint.channel = "Portal" if is_website_user(frappe.session.user) else fields.get("channel") or "API"
	complaint.flags.owner_writes = {"channel"}
	complaint.insert()  # checks the user's create permission; the controller validates everything
	return {
		"name": complaint.name,
		"status": complaint.status,
		"is_repeat": complaint.is_repeat,
		"severity": complaint.severity,
	}


@frappe.whitelist(methods=["POST"])
def confirm_complaint(name: str | None = None, corrections: str | None = None) -> dict:
	"""The customer confirms the complaint record in the portal, optionally with corrections."""

	return _confirm(own_complaint(name, _("confirm")), "Customer portal", corrections)


def _confirm(complaint, method: str, corrections: str | None, signature: str | None = None) -> dict:
	registration.add_confirmation(complaint, method, corrections, by_customer=True, link_signature=signature)
	complaint.flags.ignore_permissions = True
	complaint.save()
	return {"name": complaint.name, "confirmation_status": complaint.confirmation_status}


def confirmation_url(name: str, hours: int) -> str:
	return signed_url("/complaint_confirmation", name, add_to_date(now_datetime(), hours=hours))


def verify_link(complaint: str, expires: str, signature: str) -> None:
	"""Raise unless the link was signed by this site for this complaint and has not expired."""
	problem = link_problem(complaint, expires, signature)
	if problem == "invalid":
		frappe.throw(
			_("This confirmation link is not valid."), frappe.PermissionError, title=_("Invalid Link")
		)
	if problem == "expired":
		frappe.throw(
			_("This confirmation link expired on {0}; ask us for a new one.").format(expires),
			frappe.PermissionError,
			title=_("Link Expired"),
		)


@frappe.whitelist()
def send_confirmation_link(name: str | None = None) -> dict:
	"""E-mail the complainant a signed link to confirm (or correct) the complaint record."""
	if not name or not frappe.db.exists(COMPLAINT, name):
		frappe.throw(
			_("{0}: {1} {2} does not exist.").format(
				_("Complaint"), _(COMPLAINT), frappe.bold(escape_html(str(name)))
			),
			frappe.DoesNotExistError,
		)
	complaint = frappe.get_doc(COMPLAINT, name)
	complaint.check_permission("write")
	if not complaint.complainant_email:
		frappe.throw(_("{0}: enter the complainant's e-mail address first.").format(_("Complainant E-mail")))
	hours = frappe.db.get_single_value("Complaint Settings", "confirmation_link_hours") or 72
	url = confirmation_url(complaint.name, hours)
	frappe.sendmail(
		recipients=[complaint.complainant_email],
		subject=_("Please confirm your complaint {0}").format(complaint.name),
		template="complaint_confirmation",
		args={"complaint": complaint, "url": url, "hours": hours},
		reference_doctype=COMPLAINT,
		reference_name=complaint.name,
	)
	return {"sent_to": complaint.complainant_email}  # the link goes to the customer only, never to staff


@frappe.whitelist(allow_guest=True, methods=["POST"])
def confirm_by_link(
	complaint: str | None = None,
	expires: str | None = None,
	signature: str | None = None,
	corrections: str | None = None,
) -> dict:
	"""The customer confirms through the e-mailed link; no login needed, the signature is the proof."""
	throttle.check("confirmation_link", "link_attempts_per_hour")
	verify_link(complaint, expires, signature)
	if frappe.db.exists("Complaint Confirmation", {"parent": complaint, "link_signature": signature}):
		frappe.throw(_("This confirmation link has been used already."), frappe.PermissionError)
	if len(corrections or "") > MAX_CORRECTIONS:
		frappe.throw(
			_("{0}: at most {1} characters.").format(_("Customer's Corrections"), MAX_CORRECTIONS),
			frappe.ValidationError,
		)
	return _confirm(frappe.get_doc(COMPLAINT, complaint), "E-mail link", corrections, signature)
