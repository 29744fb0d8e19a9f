"""ERPNext's service desk (the Issue) hands a ticket over to a complaint and learns how it ends (docs/procedure.md §2).

- Create ▸ Customer Complaint on an Issue (`make_complaint_from_issue`, a mapped document like ERPNext's own
  `make_task`): the agent completes the complaint and saves it, so its registration rules run as on any path.
- The complaint and the Issue name each other; the Issue's mails, and the customer's later ones, are linked
  into the complaint's timeline (Communication timeline links).
- While the complaint runs the Issue waits On Hold (its SLA paused, ERPNext's automatic closing of answered
  Issues leaves it alone); each stage the customer may know is noted on it; closing the complaint resolves it
  with the outcome. Nothing internal (memos, proposals, the person complained about) is written on it.
- Service Desk Escalation Rules escalate a new Issue, or suggest it to the agent.
"""

import email.utils

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.model.mapper import get_mapped_doc
from frappe.utils import get_datetime, get_link_to_form, now_datetime
from frappe.utils.html_utils import sanitize_html

from complaint_handling.domain import service_desk as desk
from complaint_handling.intake.mail import keep_complaint_files_private
from complaint_handling.integrations.erpnext.people import is_website_user

COMPLAINT = "Customer Complaint"
ISSUE = "Issue"
RULE = "Service Desk Escalation Rule"
SUPPORT_TEAM = "Support Team"
# What the Issue tells the complaint; everything else the agent completes on the complaint's form.
CARRIED = ("customer", "contact", "subject", "description", "company")  # the Issue's company, when it has one
# What the complaint's own code writes on the Issue; a client's value is replaced by the stored one.
ISSUE_SERVER_KEPT = ("customer_complaint", "complaint_suggestion")


class AlreadyEscalatedError(frappe.ValidationError):
	"""An Issue becomes one complaint, never two."""


class EscalationOnlyError(frappe.PermissionError):
	"""The support desk registers complaints only by escalating an Issue."""


class IssueLinkError(frappe.PermissionError):
	"""A complaint names the Issue it came from only when made from that Issue by someone who may work on it."""


# Issue → complaint ----------------------------------------------------------------------------------


def complaint_of_issue(issue: str) -> str | None:
	return frappe.db.get_value(COMPLAINT, {"issue": issue}, "name")


@frappe.whitelist()
def make_complaint_from_issue(source_name: str, target_doc: Document | str | None = None) -> Document:
	"""Create ▸ Customer Complaint on an Issue; escalating again opens the complaint already made."""
	if not isinstance(source_name, str) or not frappe.db.exists(ISSUE, source_name):
		frappe.throw(_("Issue {0} does not exist.").format(frappe.bold(str(source_name)[:140])))
	existing = complaint_of_issue(source_name)
	if existing:
		if frappe.has_permission(COMPLAINT, "read", existing):
			return frappe.get_doc(COMPLAINT, existing)
		frappe.throw(
			_("Issue {0} is already escalated as complaint {1}.").format(source_name, existing),
			AlreadyEscalatedError,
			title=_("Already escalated"),
		)
	return mapped_complaint(source_name, target_doc)


def mapped_complaint(
	issue: str, target_doc: Document | str | None = None, ignore_permissions: bool = False
) -> Document:
	no_map = [df.fieldname for df in frappe.get_meta(COMPLAINT).fields if df.fieldname not in CARRIED]
	return get_mapped_doc(
		ISSUE,
		issue,
		{ISSUE: {"doctype": COMPLAINT, "field_no_map": no_map}},
		target_doc,
		fill_from_issue,
		ignore_permissions=ignore_permissions,
	)


def fill_from_issue(source, target) -> None:
	"""What the ticket knows: its sender, when and how it came in, and what it is about."""
	target.issue = source.name
	target.complainant_email = customer_address(source.raised_by)
	target.channel = "Portal" if source.via_customer_portal else "E-mail"
	target.received_on = opened_on(source)
	target.item = source.get("complaint_item")
	target.serial_no = source.get("complaint_serial_no")


def customer_address(raised_by: str | None) -> str | None:
	"""The sender's address, unless the Issue was raised by a member of staff (ERPNext fills in the agent)."""
	address = email.utils.parseaddr(raised_by or "")[1]
	if not address or "@" not in address:
		return None
	if frappe.db.get_value("User", {"email": address}, "user_type") == "System User":
		return None
	return address


def opened_on(issue):
	if issue.opening_date and issue.opening_time:
		return get_datetime(f"{issue.opening_date} {issue.opening_time}")
	return issue.creation or now_datetime()


def check_issue_link(doc, method: str | None = None) -> None:
	"""Customer Complaint `before_validate` (before access/protection.py): the owner path of the `issue` field.

	A new complaint may name the Issue it is made from when its writer may work on that Issue and the Issue
	has no complaint yet; access/protection.py refuses the field on every other path. The support desk registers
	complaints only this way.
	"""
	if not doc.is_new():
		return
	if not doc.get("issue"):
		if only_escalates(frappe.session.user):
			frappe.throw(
				_(
					"The support desk registers a complaint from an Issue: Issue ▸ Create ▸ Customer Complaint."
				),
				EscalationOnlyError,
			)
		return
	if not isinstance(doc.issue, str) or not frappe.db.exists(ISSUE, doc.issue):
		frappe.throw(
			_("{0}: {1} {2} does not exist.").format(
				_("Issue"), _("Issue"), frappe.bold(str(doc.issue)[:140])
			),
			frappe.LinkValidationError,
		)
	existing = complaint_of_issue(doc.issue)
	if existing:
		frappe.throw(
			_("Issue {0} is already escalated as complaint {1}.").format(doc.issue, existing),
			AlreadyEscalatedError,
			title=_("Already escalated"),
		)
	if doc.flags.ignore_permissions and doc.flags.owner_writes and "issue" in doc.flags.owner_writes:
		return  # an escalation rule, made by the app itself
	user = frappe.session.user

	if is_website_user(user) or not frappe.has_permission(ISSUE, "write", doc.issue, user=user):
		frappe.throw(
			_("{0}: only the support desk escalates Issue {1}.").format(_("Issue"), doc.issue),
			IssueLinkError,
		)
	doc.flags.owner_writes = set(doc.flags.owner_writes or ()) | {"issue"}


def only_escalates(user: str) -> bool:
	"""The user may create complaints only through the Support Team role (which escalates Issues)."""
	if user == "Administrator":
		return False
	roles = set(frappe.get_roles(user))
	if SUPPORT_TEAM not in roles:
		return False
	creators = {
		perm.role
		for perm in frappe.get_meta(COMPLAINT).permissions
		if perm.create and not perm.permlevel and perm.role != SUPPORT_TEAM
	}
	return not roles & creators


# The Issue learns how the complaint goes ------------------------------------------------------------


def on_complaint_update(doc, method: str | None = None) -> None:
	"""Customer Complaint `on_update` (also on closing, which submits): hand over, then tell each public stage."""
	if not doc.get("issue") or not frappe.db.exists(ISSUE, doc.issue):
		return
	before = doc.get_doc_before_save()
	if doc.flags.in_insert or before is None:
		hand_over(doc)
	stage = desk.public_stage(before.status if before else None, doc.status)
	if stage:
		tell_issue(doc, stage)


def hand_over(complaint) -> None:
	"""The complaint takes the Issue's files and mail thread; the Issue names it and waits On Hold."""
	issue = frappe.get_doc(ISSUE, complaint.issue)
	copy_attachments(ISSUE, issue.name, complaint.name)
	for communication in frappe.get_all(
		"Communication",
		filters={"reference_doctype": ISSUE, "reference_name": issue.name},
		pluck="name",
	):
		link_communication(communication, complaint.name)
	pause_on(issue.service_level_agreement, desk.TICKET_WAITING)
	issue.customer_complaint = complaint.name
	issue.status = desk.ticket_status(complaint.status)
	save_issue(issue)


def copy_attachments(ticket_doctype: str, ticket: str, complaint: str) -> None:
	"""The ticket's files (an Issue's, an HD Ticket's) become files of the complaint too, private like every
	complaint file (intake/mail.py).

	The app's own copy of files the ticket already holds: written without the upload path's checks, which
	refuse an agent attaching to a complaint the visibility rule does not let them read."""
	for source in frappe.get_all(
		"File",
		filters={"attached_to_doctype": ticket_doctype, "attached_to_name": ticket, "is_folder": 0},
		fields=["file_url", "file_name", "is_private", "file_size", "file_type", "content_hash", "folder"],
		order_by="creation asc",
	):
		if not source.file_url or frappe.db.exists(
			"File",
			{"attached_to_doctype": COMPLAINT, "attached_to_name": complaint, "file_name": source.file_name},
		):
			continue
		file = frappe.get_doc(
			{"doctype": "File", **source, "attached_to_doctype": COMPLAINT, "attached_to_name": complaint}
		)
		keep_complaint_files_private(file)
		file.set_new_name()
		file.db_insert()


def link_communication(name: str, complaint: str) -> None:
	"""A mail of the Issue appears in the complaint's timeline (Frappe lists timeline links there)."""
	if frappe.db.exists(
		"Communication Link",
		{"parent": name, "parenttype": "Communication", "link_doctype": COMPLAINT, "link_name": complaint},
	):
		return
	communication = frappe.get_doc("Communication", name)
	communication.append("timeline_links", {"link_doctype": COMPLAINT, "link_name": complaint}).db_insert()


def pause_on(service_level_agreement: str | None, status: str) -> None:
	"""The Issue's SLA pauses on the status the Issue waits in (ERPNext's `pause_sla_on`)."""
	if not service_level_agreement or not frappe.db.exists(
		"Service Level Agreement", service_level_agreement
	):
		return
	if frappe.db.exists("Pause SLA On Status", {"parent": service_level_agreement, "status": status}):
		return
	agreement = frappe.get_doc("Service Level Agreement", service_level_agreement)
	agreement.append("pause_sla_on", {"status": status}).db_insert()
	agreement.add_comment(
		"Info", _("{0} added to Pause SLA On: Issues escalated to a complaint wait there.").format(_(status))
	)


def tell_issue(complaint, stage: str) -> None:
	"""A note for the agent on the Issue, with only what the customer is told (customer/portal.py shows the same)."""
	result = desk.outcome(complaint.decision, complaint.final_ruling)
	text = stage_text(
		complaint.name,
		stage,
		result,
		_("Escalated to complaint {0}, registered. The Issue waits On Hold until the complaint is closed."),
		_("Complaint {0} is closed; the Issue is resolved with its outcome."),
	)
	note(complaint.issue, "Comment", text, COMPLAINT, complaint.name)
	if stage == desk.CLOSED_STAGE:
		issue = frappe.get_doc(ISSUE, complaint.issue)
		issue.status = desk.ticket_status(complaint.status)
		if result:
			issue.resolution_details = sanitize_html(result)
		save_issue(issue)


def stage_text(complaint: str, stage: str, result: str, registered: str, closed: str) -> str:
	"""What a ticket is told of a public stage (its own wording for registered and closed), with the outcome."""
	link = get_link_to_form(COMPLAINT, complaint)
	if stage == desk.REGISTERED_STAGE:
		return registered.format(link)
	text = (
		_("Complaint {0}: the decision was sent to the customer.") if stage == desk.DECISION_STAGE else closed
	)
	return text.format(link) + (f"<div>{sanitize_html(result)}</div>" if result else "")


def note(issue: str, comment_type: str, text: str, link_doctype: str, link_name: str) -> None:
	"""A note on the Issue's timeline for the agent, pointing at what wrote it."""
	frappe.get_doc(
		{
			"doctype": "Comment",
			"comment_type": comment_type,
			"reference_doctype": ISSUE,
			"reference_name": issue,
			"link_doctype": link_doctype,
			"link_name": link_name,
			"comment_by": _("Complaint Handling"),
			"content": text,
		}
	).insert(ignore_permissions=True)


def save_issue(issue) -> None:
	issue.flags.complaint_link = True  # keep_complaint_link lets this save write the link
	issue.flags.ignore_permissions = True
	issue.flags.ignore_mandatory = True
	issue.save()


def keep_complaint_link(doc, method: str | None = None) -> None:
	"""Issue `validate`: the complaint link and the rules' suggestion are the app's to write, not a client's.

	A split Issue (ERPNext copies the whole Issue) starts without them."""
	if doc.flags.complaint_link:
		return
	stored = (
		frappe.db.get_value(ISSUE, doc.name, list(ISSUE_SERVER_KEPT), as_dict=True)
		if not doc.is_new() and doc.name
		else None
	) or {}
	for field in ISSUE_SERVER_KEPT:
		if doc.meta.has_field(field):
			doc.set(field, stored.get(field))


# The customer writes again on the Issue -------------------------------------------------------------


def complaint_of_communication(doc) -> str | None:
	if doc.reference_doctype != ISSUE or not doc.reference_name or doc.communication_type != "Communication":
		return None
	return frappe.db.get_value(ISSUE, doc.reference_name, "customer_complaint")


def link_new_mail(doc, method: str | None = None) -> None:
	"""Communication `before_insert`: a mail on an escalated Issue also appears in the complaint's timeline."""
	complaint = complaint_of_communication(doc)
	if complaint and not any(
		row.link_doctype == COMPLAINT and row.link_name == complaint
		for row in doc.get("timeline_links") or []
	):
		doc.add_link(COMPLAINT, complaint)


def keep_issue_waiting(doc, method: str | None = None) -> None:
	"""Communication `on_update`: the customer's reply reopens an Issue (Frappe), but it waits for its complaint."""
	complaint = complaint_of_communication(doc)
	if not complaint or doc.sent_or_received != "Received":
		return
	if frappe.db.get_value(COMPLAINT, complaint, "docstatus") != 0:
		return  # closed: a new mail reopens the Issue as usual
	if frappe.db.get_value(ISSUE, doc.reference_name, "status") == "Open":
		frappe.db.set_value(ISSUE, doc.reference_name, "status", desk.TICKET_WAITING, update_modified=False)


# Rules that escalate --------------------------------------------------------------------------------


def enabled_rules() -> list[desk.EscalationRule]:
	return [
		desk.EscalationRule(
			name=row.name,
			action=row.action,
			issue_type=row.issue_type,
			priority=row.priority,
			subject_words=desk.subject_words(row.subject_words),
			repeat_within_days=int(row.repeat_within_days or 0),
		)
		for row in frappe.get_all(
			RULE,
			filters={"enabled": 1},
			fields=["name", "action", "issue_type", "priority", "subject_words", "repeat_within_days"],
			order_by="creation asc",
		)
	]


def apply_escalation_rules(doc, method: str | None = None) -> None:
	"""Issue `after_insert`: a new Issue that a rule names is escalated, or suggested to the agent."""
	flags = frappe.flags
	if (
		flags.in_import
		or flags.in_migrate
		or flags.in_install
		or flags.in_patch
		or doc.get("customer_complaint")
	):
		return
	rules = enabled_rules()
	if not rules:
		return
	ticket = desk.TicketFacts(
		issue_type=doc.issue_type,
		priority=doc.priority,
		subject=doc.subject or "",
		days_since_previous=days_since_previous(doc) if any(r.repeat_within_days for r in rules) else None,
	)
	rule = desk.decide(rules, ticket)
	if rule is None:
		return
	if rule.action == desk.ESCALATE:
		problem = escalate_by_rule(doc.name, rule.name)
		if problem is None:
			return
		suggest(doc, rule.name, problem)
	else:
		suggest(doc, rule.name)


def days_since_previous(doc) -> float | None:
	"""Days since the same customer's previous Issue or complaint about the same serial number or item."""
	if not doc.customer:
		return None
	now = get_datetime(doc.creation) if doc.creation else now_datetime()
	serial_no, item = doc.get("complaint_serial_no"), doc.get("complaint_item")
	issue_filters = {"customer": doc.customer, "name": ("!=", doc.name)}
	complaint_filters = {"customer": doc.customer}
	if serial_no:
		issue_filters["complaint_serial_no"], complaint_filters["serial_no"] = serial_no, serial_no
	elif item:
		issue_filters["complaint_item"], complaint_filters["item"] = item, item
	earlier = frappe.get_all(
		ISSUE, filters=issue_filters, pluck="creation", order_by="creation desc", limit=1
	)
	earlier += frappe.get_all(
		COMPLAINT, filters=complaint_filters, pluck="received_on", order_by="received_on desc", limit=1
	)
	ages = [(now - get_datetime(at)).total_seconds() / 86400 for at in earlier if at]
	return max(min(ages), 0.0) if ages else None


def escalate_by_rule(issue: str, rule: str) -> str | None:
	"""The rule's complaint, registered by the app; what stopped it, when something did (then it is suggested)."""
	complaint = mapped_complaint(issue, ignore_permissions=True)
	complaint.category = frappe.db.get_value(RULE, rule, "category")
	complaint.flags.ignore_permissions = True
	complaint.flags.owner_writes = {"issue", "channel", "complainant_email", "received_on"}
	frappe.db.savepoint("escalate_by_rule")
	try:
		complaint.insert()
	except Exception as error:  # the Issue (often an incoming mail) is kept whatever stops its complaint
		frappe.db.rollback(save_point="escalate_by_rule")
		frappe.clear_messages()
		return str(error) or type(error).__name__
	note(issue, "Info", _("Escalated by the rule {0}.").format(frappe.bold(rule)), RULE, rule)
	return None


def suggest(doc, rule: str, problem: str | None = None) -> None:
	text = _("The rule {0} suggests escalating this Issue to a complaint.").format(rule)
	if problem:
		text += " " + _("It could not be escalated automatically: {0}").format(problem)
	frappe.db.set_value(ISSUE, doc.name, "complaint_suggestion", text, update_modified=False)
	doc.complaint_suggestion = text
	note(doc.name, "Comment", frappe.utils.escape_html(text), RULE, rule)


# Connections ------------------------------------------------------------------------------------------


def issue_dashboard(data: dict) -> dict:
	"""`override_doctype_dashboards` of Issue: the complaint it became, beside ERPNext's Task."""
	data.setdefault("transactions", []).append({"label": _("Complaint"), "items": [COMPLAINT]})
	return data
