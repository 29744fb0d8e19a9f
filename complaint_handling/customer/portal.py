"""The customer's side in the support portal (docs/procedure.md §2): their complaints listed, and one complaint's
timeline of what the company told them — never memos, inspections, penalties or internal notes. A portal
user sees the complaints of the customers whose Portal Users list them, and nothing else."""

from urllib.parse import urlencode

import frappe
from frappe import _
from frappe.utils import cint, get_datetime
from frappe.utils.html_utils import sanitize_html

from complaint_handling.domain.customer import ACCEPTED, may_escalate_outside, response_problem
from complaint_handling.domain.statuses import CLOSED, is_open
from complaint_handling.integrations.erpnext.people import customers_of_portal_user, is_website_user

COMPLAINT = "Customer Complaint"
# what the list and the page show of a complaint: the customer's own words and the company's answers
PUBLIC_FIELDS = (
	"name",
	"subject",
	"status",
	"category",
	"customer",
	"received_on",
	"resolution_by",
	"item",
	"serial_no",
	"batch_no",
	"description",
	"desired_remedy",
	"decision",
	"final_ruling",
	"confirmation_status",
	"on_site_agreed_at",
	"complainant_email",
	"customer_response",
	"customer_responded_on",
	"dispute_reason",
	"quality_feedback",
	"satisfaction_score",
	"issue",  # the service desk's ticket it came from (service_desk/issue.py)
)


def list_context(context) -> dict:
	"""`get_list_context` of Customer Complaint: /complaints."""
	return {
		"show_sidebar": True,
		"show_search": True,
		"no_breadcrumbs": True,
		"title": _("Complaints"),
		"get_list": complaints_of_user,
		"row_template": "templates/includes/complaint_row.html",
		"create_new": "/complaints/new",
	}


def complaints_of_user(
	doctype: str,
	txt: str | None = None,
	filters=None,
	limit_start=0,
	limit_page_length=20,
	order_by=None,
	**_,
):
	"""The list's rows: the portal user's own customers' complaints (staff use the desk)."""
	user = frappe.session.user
	customers = customers_of_portal_user(user) if is_website_user(user) else []
	if not customers:
		return []
	conditions = {"customer": ["in", customers]}
	or_filters = None
	if isinstance(txt, str) and txt.strip():
		like = f"%{txt.strip()[:80]}%"
		or_filters = {"name": ["like", like], "subject": ["like", like]}
	return frappe.get_all(
		COMPLAINT,
		filters=conditions,
		or_filters=or_filters,
		fields=["name", "subject", "status", "received_on", "resolution_by"],
		order_by="creation desc",
		start=cint(limit_start),
		page_length=min(cint(limit_page_length) or 20, 100),
	)


def complaint_context(context) -> None:
	"""/complaints/<name>: one complaint as its customer sees it."""
	context.no_cache = 1
	context.show_sidebar = True
	name = frappe.form_dict.name
	user = frappe.session.user
	if user == "Guest":
		frappe.throw(_("Log in to see your complaints."), frappe.PermissionError)
	if not isinstance(name, str) or not frappe.db.exists(COMPLAINT, name):
		raise frappe.DoesNotExistError
	customer = frappe.db.get_value(COMPLAINT, name, "customer")
	if not is_website_user(user) or customer not in customers_of_portal_user(user):
		raise frappe.DoesNotExistError  # not theirs: as if it did not exist
	doc = frappe.db.get_value(COMPLAINT, name, PUBLIC_FIELDS, as_dict=True)
	context.doc = doc
	context.title = f"{doc.name}: {doc.subject}"
	context.parents = [{"label": _("Complaints"), "route": "complaints"}]
	context.expected = doc.resolution_by if is_open(COMPLAINT, doc.status) else None
	context.timeline = timeline(doc)
	context.can_confirm = doc.confirmation_status != "Confirmed" and is_open(COMPLAINT, doc.status)
	context.can_answer = not response_problem(doc.status, doc.customer_response, ACCEPTED, None)
	context.can_escalate = may_escalate_outside(doc.status)
	context.can_add_photos = is_open(COMPLAINT, doc.status)
	context.can_rate = doc.status == CLOSED and not doc.quality_feedback
	context.photos = frappe.get_all(
		"File",
		filters={"attached_to_doctype": COMPLAINT, "attached_to_name": name, "owner": user},
		fields=["file_name", "file_url"],
		order_by="creation asc",
	)
	context.pdf_url = "/api/method/frappe.utils.print_format.download_pdf?" + urlencode(
		{
			"doctype": COMPLAINT,
			"name": name,
			"format": "Complaint Registration Form",
			"_lang": frappe.local.lang,
		}
	)


def timeline(doc) -> list[dict]:
	"""What the customer was told, oldest first: registration, read-back, replies, visits, decisions."""
	events = [{"at": doc.received_on, "what": _("Complaint registered"), "text": None}]
	for row in frappe.get_all(
		"Complaint Confirmation",
		filters={"parent": doc.name, "parenttype": COMPLAINT},
		fields=["confirmed_on", "method"],
	):
		events.append({"at": row.confirmed_on, "what": _("Record read back and confirmed"), "text": None})
	for row in frappe.get_all(
		"Communication",
		filters={
			"reference_doctype": COMPLAINT,
			"reference_name": doc.name,
			"communication_type": "Communication",
			"sent_or_received": "Sent",
		},
		fields=["communication_date", "subject", "content", "recipients"],
		order_by="communication_date asc",
	):
		# only what went to the complainant: a message to a department is internal
		if doc.complainant_email and doc.complainant_email.lower() in (row.recipients or "").lower():
			events.append(
				{"at": row.communication_date, "what": row.subject or _("Reply"), "text": row.content}
			)
	if doc.on_site_agreed_at:
		events.append({"at": doc.on_site_agreed_at, "what": _("Visit agreed for"), "text": None})
	if doc.decision and doc.status not in ("Registered", "In Progress", "Proposed", "Approved"):
		events.append({"at": None, "what": _("Decision"), "text": doc.decision})
	if doc.customer_response:
		answer = (
			_("You accepted the decision")
			if doc.customer_response == ACCEPTED
			else _("You disputed the decision")
		)
		events.append({"at": doc.customer_responded_on, "what": answer, "text": None})
	for row in frappe.get_all(
		"Complaint Escalation",
		filters={"parent": doc.name, "parenttype": COMPLAINT},
		fields=["authority", "escalated_on", "reference"],
	):
		events.append(
			{
				"at": row.escalated_on,
				"what": _("Taken to {0}").format(row.authority),
				"text": frappe.utils.escape_html(row.reference) if row.reference else None,
			}
		)
	if doc.final_ruling and doc.status == "Closed":
		events.append({"at": None, "what": _("HQ Final Ruling"), "text": doc.final_ruling})
	for event in events:
		event["text"] = sanitize_html(event["text"]) if event["text"] else None
	dated = [e for e in events if e["at"]]
	dated.sort(key=lambda e: get_datetime(e["at"]))
	return dated + [e for e in events if not e["at"]]
