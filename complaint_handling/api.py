"""Whitelisted methods for the portal, integrations and the e-mailed confirmation link.

Every method saves through the Customer Complaint controller, so desk, portal, API and REST share one set
of rules and permissions.
"""

from urllib.parse import unquote, urlencode

import frappe
from frappe import _
from frappe.utils import add_to_date, escape_html, get_datetime, get_url, now_datetime
from frappe.utils.verified_command import get_signed_params

from complaint_handling import intake, throttle
from complaint_handling.domain.protection import PORTAL_WRITABLE
from complaint_handling.integrations.erpnext.people import customers_of_portal_user, is_website_user

COMPLAINT = "Customer Complaint"
MAX_CORRECTIONS = 5000  # characters a customer may send back through the link

# What a caller may send: the complaint as the customer tells it (domain/protection.py), plus what staff
# and API callers also know; the guard still refuses the extras for portal users.
SUBMITTABLE_FIELDS = (
	*sorted(PORTAL_WRITABLE),
	"complainant_email",
	"severity",
	"received_on",
	"channel",
)


@frappe.whitelist(methods=["POST"])
def submit_complaint(**fields) -> dict:
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
	from complaint_handling.customer_side import own_complaint

	return _confirm(own_complaint(name, _("confirm")), "Customer portal", corrections)


def _confirm(complaint, method: str, corrections: str | None, signature: str | None = None) -> dict:
	intake.add_confirmation(complaint, method, corrections, by_customer=True, link_signature=signature)
	complaint.flags.ignore_permissions = True
	complaint.save()
	return {"name": complaint.name, "confirmation_status": complaint.confirmation_status}


CHECKED_BODIES = (COMPLAINT, "Complaint Memo", "Defect Inspection", "Complaint Penalty", "Penalty Rule")


def check_rest_body() -> None:
	"""`before_request`: a REST or `set_value` write to the app's documents has a shape Frappe can read.

	Frappe turns `docstatus` into an int and table values into rows before any hook of the document runs;
	anything else would be a 500. What may be written at all is the guard's business (guard.py).
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


# Signed, expiring e-mail link ---------------------------------------------------------------------


def _link_params(name: str, expires: str, purpose: str | None = None) -> str:
	"""What a link signs. The survey's carries its purpose, so one link never opens the other's door; the
	confirmation link keeps its original form, so links already e-mailed stay valid."""
	params = {"complaint": name, "expires": expires}
	if purpose:
		params["purpose"] = purpose
	return urlencode(params)


def signed_url(path: str, name: str, expires, purpose: str | None = None) -> str:
	"""A link to `path` for this complaint, signed by this site, valid until `expires`."""
	expires = get_datetime(expires).replace(microsecond=0).isoformat()
	return get_url(f"{path}?" + get_signed_params(_link_params(name, expires, purpose)))


def link_problem(complaint, expires, signature, purpose: str | None = None) -> str | None:
	"""'invalid' unless this site signed the link for this complaint (and purpose); 'expired' past its time."""
	import hmac

	if not all(isinstance(v, str) and v for v in (complaint, expires, signature)):
		return "invalid"
	expected = get_signed_params(_link_params(complaint, expires, purpose)).rsplit("&_signature=", 1)[1]
	if not hmac.compare_digest(expected.encode(), signature.encode()):
		return "invalid"
	try:
		return "expired" if get_datetime(expires) < now_datetime() else None
	except Exception:
		return "invalid"


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
