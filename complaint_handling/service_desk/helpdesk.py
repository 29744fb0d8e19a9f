"""Frappe Helpdesk, when installed, hands an HD Ticket over to a complaint and learns how it ends
(docs/procedure.md §2) — the same hand-over as ERPNext's Issue (service_desk/issue.py):

- *Escalate to complaint* in the agent's ticket view (an HD Form Script the app installs, one action per
  complaint category) calls `escalate_ticket`: the complaint is registered from the ticket — its contact's
  customer, the sender, subject, description, when it came in, its files — and its own registration rules
  run (checks, routing, deadlines, read-back). Escalating twice opens the complaint already made.
- The ticket names the complaint and its public stage (custom fields shown in the ticket's sidebar, to the
  agent and to the customer); it waits *Paused* (a status its SLA pauses on; Helpdesk's automatic closing
  only closes *Replied* tickets) and is resolved with the outcome when the complaint closes. Each public stage
  is an internal comment for the agent; nothing internal to the complaint reaches the ticket.
- The app runs without Helpdesk: nothing here is imported by the rest of the app unless the ticket exists.
"""

import frappe
from frappe import _
from frappe.utils import get_datetime, now_datetime
from frappe.utils.html_utils import sanitize_html

from complaint_handling.domain import service_desk as desk
from complaint_handling.integrations.erpnext.people import customer_of_email, is_website_user
from complaint_handling.service_desk.issue import (
	copy_attachments,
	customer_address,
	link_communication,
	stage_text,
)

COMPLAINT = "Customer Complaint"
TICKET = "HD Ticket"
AGENT_ROLES = frozenset({"Agent", "Agent Manager"})
FORM_SCRIPT = "Escalate to complaint"
# What the app writes on the ticket; a client's value is replaced by the stored one.
TICKET_SERVER_KEPT = ("customer_complaint", "complaint_stage")


class NotAnAgentError(frappe.PermissionError):
	"""Only a Helpdesk agent who may work on the ticket escalates it."""


class NoCustomerError(frappe.ValidationError):
	"""A complaint is about an ERPNext customer: the ticket's contact must lead to one."""


def is_installed() -> bool:
	return "helpdesk" in frappe.get_installed_apps()


def complaint_of_ticket(ticket: str | int) -> str | None:
	if not frappe.get_meta(COMPLAINT).has_field("hd_ticket"):
		return None
	return frappe.db.get_value(COMPLAINT, {"hd_ticket": str(ticket)}, "name")


# The agent's action ---------------------------------------------------------------------------------


def check_agent(ticket: str) -> None:
	user = frappe.session.user
	if user == "Administrator":
		return
	if (
		is_website_user(user)
		or not AGENT_ROLES & set(frappe.get_roles(user))
		or not frappe.has_permission(TICKET, "write", ticket, user=user)
	):
		frappe.throw(_("Only a Helpdesk agent escalates ticket {0}.").format(ticket), NotAnAgentError)


def ticket_argument(ticket) -> str:
	if not isinstance(ticket, str | int) or not frappe.db.exists(TICKET, str(ticket)):
		frappe.throw(
			_("{0}: {1} does not exist.").format(_("Ticket"), frappe.bold(str(ticket)[:140])),
			frappe.DoesNotExistError,
		)
	return str(ticket)


@frappe.whitelist()
def escalation_options(ticket: str | int) -> dict:
	"""What the agent's action offers: the complaint already made, or the categories to escalate into."""
	ticket = ticket_argument(ticket)
	check_agent(ticket)
	existing = complaint_of_ticket(ticket)
	categories = frappe.get_all(
		"Complaint Category", filters={"disabled": 0}, pluck="name", order_by="name asc", limit=50
	)
	return {
		"complaint": existing,
		"categories": [] if existing else categories,
		"labels": {
			"escalate": _("Escalate to complaint"),
			"open": _("Complaint {0}").format(existing) if existing else None,
			"registered": _("Complaint {0} registered"),
		},
	}


@frappe.whitelist(methods=["POST"])
def escalate_ticket(ticket: str | int, category: str | None = None) -> dict:
	"""Register the ticket as a complaint of `category`; the complaint already made if there is one."""
	ticket = ticket_argument(ticket)
	check_agent(ticket)
	frappe.db.get_value(TICKET, ticket, "name", for_update=True)  # one escalation at a time per ticket
	existing = complaint_of_ticket(ticket)
	if existing:
		return {"complaint": existing, "created": False}
	if not isinstance(category, str) or not frappe.db.exists("Complaint Category", category):
		frappe.throw(_("{0}: choose a complaint category.").format(_("Category")), frappe.ValidationError)
	source = frappe.get_doc(TICKET, ticket)
	complaint = frappe.new_doc(COMPLAINT)
	complaint.update(
		{
			"customer": ticket_customer(source),
			"contact": source.contact,
			"complainant_email": customer_address(source.raised_by),
			"subject": (source.subject or "")[:140],
			"description": source.description,
			"category": category,
			"channel": "Portal" if source.via_customer_portal else "E-mail",
			"received_on": opened_on(source),
			"hd_ticket": ticket,
		}
	)
	# registered by the app on the agent's behalf: the right to act was checked on the ticket
	complaint.flags.ignore_permissions = True
	complaint.flags.owner_writes = {"hd_ticket", "channel", "complainant_email", "received_on"}
	complaint.insert()
	return {"complaint": complaint.name, "created": True}


def ticket_customer(ticket) -> str:
	"""The ERPNext customer of the ticket: its contact's, else the sender's (Contact → Customer)."""
	customers = (
		frappe.get_all(
			"Dynamic Link",
			filters={
				"parenttype": "Contact",
				"parent": ticket.contact,
				"link_doctype": "Customer",
			},
			pluck="link_name",
			distinct=True,
		)
		if ticket.contact
		else []
	)
	if len(customers) == 1:
		return customers[0]
	found = customer_of_email(customer_address(ticket.raised_by)) if not customers else None
	if found:
		return found.customer
	frappe.throw(
		_(
			"{0}: the ticket's contact {1} leads to {2} ERPNext customers; link the contact to its one customer first."
		).format(_("Customer"), frappe.bold(ticket.contact or ticket.raised_by or "—"), len(customers)),
		NoCustomerError,
	)


def opened_on(ticket):
	if ticket.opening_date and ticket.opening_time:
		return get_datetime(f"{ticket.opening_date} {ticket.opening_time}")
	return ticket.creation or now_datetime()


# The ticket learns how the complaint goes -----------------------------------------------------------


def on_complaint_update(doc, method: str | None = None) -> None:
	"""Customer Complaint `on_update` (also on closing, which submits): hand over, then tell each public stage."""
	ticket = doc.get("hd_ticket")
	if not ticket or not is_installed() or not frappe.db.exists(TICKET, ticket):
		return
	before = doc.get_doc_before_save()
	if doc.flags.in_insert or before is None:
		hand_over(doc, ticket)
	stage = desk.public_stage(before.status if before else None, doc.status)
	if stage:
		tell_ticket(doc, ticket, stage)


def hand_over(complaint, ticket: str) -> None:
	"""The complaint takes the ticket's files and mail thread."""
	copy_attachments(TICKET, ticket, complaint.name)
	for communication in frappe.get_all(
		"Communication", filters={"reference_doctype": TICKET, "reference_name": ticket}, pluck="name"
	):
		link_communication(communication, complaint.name)


def tell_ticket(complaint, ticket: str, stage: str) -> None:
	"""The stage on the ticket (sidebar, status) and a comment for the agent — only what the customer is told."""
	result = desk.outcome(complaint.decision, complaint.final_ruling)
	text = stage_text(
		complaint.name,
		stage,
		result,
		_("Escalated to complaint {0}, registered. The ticket waits Paused until the complaint is closed."),
		_("Complaint {0} is closed; the ticket is resolved with its outcome."),
	)
	doc = frappe.get_doc(TICKET, ticket)
	doc.customer_complaint = complaint.name
	doc.complaint_stage = desk.stage_label(stage)
	doc.status = desk.helpdesk_status(complaint.status)
	if stage == desk.CLOSED_STAGE and result:
		doc.resolution_details = sanitize_html(result)
	save_ticket(doc)
	frappe.get_doc(
		{
			"doctype": "HD Ticket Comment",
			"reference_ticket": ticket,
			"commented_by": "Administrator",
			"content": text,
		}
	).insert(ignore_permissions=True)


def save_ticket(ticket) -> None:
	"""Saved by the app, with the ticket's SLA applied as on any save: as Helpdesk's administrator, since
	Helpdesk asks a person who is not an agent for feedback before resolving (the clerk closing the
	complaint is none)."""
	ticket.flags.complaint_link = True  # keep_ticket_fields lets this save write the app's fields
	ticket.flags.ignore_permissions = True
	ticket.flags.ignore_mandatory = True
	user = frappe.session.user
	frappe.set_user("Administrator")
	try:
		ticket.save()
	finally:
		frappe.set_user(user)


# The ticket's side (doc_events of HD Ticket and Communication) ------------------------------------


def keep_ticket_fields(doc, method: str | None = None) -> None:
	"""HD Ticket `before_validate`: the complaint's fields are the app's; while the complaint runs the ticket
	waits Paused, whoever reopens it (a customer's reply reopens a ticket in Helpdesk)."""
	if doc.flags.complaint_link:
		return
	stored = (
		frappe.db.get_value(TICKET, doc.name, list(TICKET_SERVER_KEPT), as_dict=True)
		if not doc.is_new() and doc.name and doc.meta.has_field("customer_complaint")
		else None
	) or {}
	for field in TICKET_SERVER_KEPT:
		if doc.meta.has_field(field):
			doc.set(field, stored.get(field))
	complaint = stored.get("customer_complaint")
	if complaint and doc.status == "Open" and frappe.db.get_value(COMPLAINT, complaint, "docstatus") == 0:
		doc.status = desk.HELPDESK_WAITING


def keep_hold_time(doc, method: str | None = None) -> None:
	"""HD Ticket `before_save`, after Helpdesk's SLA: moving from one pause status to another (Replied →
	Paused) keeps the time on hold running; Helpdesk's SLA would drop it."""
	before = doc.get_doc_before_save()
	if not before or not before.get("on_hold_since") or doc.get("on_hold_since"):
		return
	if not doc.get("sla") or doc.status == before.status:
		return
	pause_on = set(
		frappe.get_all(
			"HD Pause Service Level Agreement On Status", filters={"parent": doc.sla}, pluck="status"
		)
	)
	if before.status in pause_on and doc.status in pause_on:
		doc.on_hold_since = before.on_hold_since
		doc.agreement_status = "Paused"


def link_new_mail(doc, method: str | None = None) -> None:
	"""Communication `before_insert`: a mail on an escalated ticket also appears in the complaint's timeline."""
	if doc.reference_doctype != TICKET or not doc.reference_name or doc.communication_type != "Communication":
		return
	if not frappe.get_meta(TICKET).has_field("customer_complaint"):
		return
	complaint = frappe.db.get_value(TICKET, doc.reference_name, "customer_complaint")
	if complaint and not any(
		row.link_doctype == COMPLAINT and row.link_name == complaint
		for row in doc.get("timeline_links") or []
	):
		doc.add_link(COMPLAINT, complaint)


# Setup: when Helpdesk is installed, before or after this app ------------------------------------------

ESCALATE_SCRIPT = """// Installed by complaint_handling (service_desk/helpdesk.py): escalate the ticket to a complaint
async function setupForm({ doc, call, toast }) {
	const method = "complaint_handling.service_desk.helpdesk";
	const options = await call(`${method}.escalation_options`, { ticket: doc.name });
	if (options.complaint) {
		return { actions: [{
			label: options.labels.open,
			icon: "alert-triangle",
			onClick: () => window.open(`/app/customer-complaint/${options.complaint}`, "_blank"),
		}] };
	}
	return { actions: options.categories.map((category) => ({
		group: options.labels.escalate,
		label: category,
		icon: "alert-triangle",
		onClick: async () => {
			try {
				const r = await call(`${method}.escalate_ticket`, { ticket: doc.name, category });
				toast.success(options.labels.registered.replace("{0}", r.complaint));
			} catch (e) {
				toast.error((e.messages || [e.message]).join(", "));
			}
		},
	})) };
}
"""


def setup() -> None:
	"""Idempotent: the complaint's link on the ticket and back, the Paused status, the sidebar fields and
	the agent's action. Run after install and migrate, and when Helpdesk is installed after this app."""
	if not is_installed():
		return
	from frappe.custom.doctype.custom_field.custom_field import create_custom_fields
	from frappe.custom.doctype.property_setter.property_setter import make_property_setter

	create_custom_fields(
		{
			TICKET: [
				{
					"fieldname": "customer_complaint",
					"label": "Complaint",
					"fieldtype": "Link",
					"options": COMPLAINT,
					"read_only": 1,
					"no_copy": 1,
					"insert_after": "customer",
				},
				{
					"fieldname": "complaint_stage",
					"label": "Complaint Stage",
					"fieldtype": "Data",
					"read_only": 1,
					"no_copy": 1,
					"insert_after": "customer_complaint",
				},
			],
			COMPLAINT: [
				{
					"fieldname": "hd_ticket",
					"label": "Helpdesk Ticket",
					"fieldtype": "Link",
					"options": TICKET,
					"read_only": 1,
					"no_copy": 1,
					"search_index": 1,
					"insert_after": "issue",
				}
			],
		},
		update=True,
	)
	for doctype in (TICKET, "HD Pause Service Level Agreement On Status"):
		options = (frappe.get_meta(doctype).get_field("status").options or "").split("\n")
		if desk.HELPDESK_WAITING not in options:
			make_property_setter(
				doctype,
				"status",
				"options",
				"\n".join([*options, desk.HELPDESK_WAITING]),
				"Text",
				validate_fields_for_doctype=False,
			)
	for agreement in frappe.get_all("HD Service Level Agreement", pluck="name"):
		if not frappe.db.exists(
			"HD Pause Service Level Agreement On Status",
			{"parent": agreement, "status": desk.HELPDESK_WAITING},
		):
			doc = frappe.get_doc("HD Service Level Agreement", agreement)
			doc.append("pause_sla_on", {"status": desk.HELPDESK_WAITING}).db_insert()
	template = frappe.db.get_value("HD Ticket Template", {"name": "Default"}, "name")
	if template:
		doc = frappe.get_doc("HD Ticket Template", template)
		present = {row.fieldname for row in doc.fields}
		for field in TICKET_SERVER_KEPT:
			if field not in present:
				doc.append("fields", {"fieldname": field, "hide_from_customer": 0}).db_insert()
	if not frappe.db.exists("HD Form Script", FORM_SCRIPT):
		frappe.get_doc(
			{
				"doctype": "HD Form Script",
				"name": FORM_SCRIPT,
				"dt": TICKET,
				"apply_to": "Form",
				"enabled": 1,
				"script": ESCALATE_SCRIPT,
			}
		).insert(ignore_permissions=True, set_name=FORM_SCRIPT)
	frappe.clear_cache(doctype=TICKET)


def after_app_install(app_name: str) -> None:
	"""`after_app_install`: Helpdesk installed on a site that has this app."""
	if app_name == "helpdesk":
		setup()
