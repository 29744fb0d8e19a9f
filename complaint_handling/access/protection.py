"""Shell of domain/protection.py: refuse any write to a complaint that its owner did not make.

Runs first in `validate`, so it sees exactly what the client sent: REST, `frappe.client.set_value`, a desk
save, data import, a portal form. Code that owns a field (the read-back, the workflow) names it in
`doc.flags.owner_writes` before saving. Also: a complaint is never inserted submitted, and becomes
submitted only by a workflow transition the user may take; its status always follows its workflow state.
"""

import frappe
from frappe import _
from frappe.model.workflow import get_transitions, get_workflow_name
from frappe.utils import get_datetime, now_datetime

from complaint_handling.domain.history import HISTORY_FIELDS, HISTORY_ROLE
from complaint_handling.domain.protection import (
	AFTER_CLOSING,
	MEMO_SERVER_KEPT,
	SERVER_KEPT,
	memo_refusals,
	only_appended,
	refusals,
)
from complaint_handling.domain.quality_path import SERVER_KEPT as INSPECTION_KEPT
from complaint_handling.domain.quality_path import inspection_refusals
from complaint_handling.integrations.erpnext.people import is_website_user

NUMBER_TYPES = ("Check", "Int", "Float", "Currency", "Percent")
LAYOUT_TYPES = ("Section Break", "Column Break", "Tab Break", "HTML", "Button", "Heading")


def refusal_message(reason: str, label: str) -> str:
	if reason == "server":
		return _("{0} is set by the complaint's workflow and cannot be written directly.").format(label)
	if reason == "role":
		return _("You may not change {0}.").format(label)
	if reason == "portal":
		return _("{0} is filled in by the company, not on the portal.").format(label)
	return _("{0} cannot be changed at this stage of the complaint.").format(label)


class ProtectedFieldError(frappe.PermissionError):
	"""A protected field was written by someone other than its owner."""


class DocstatusError(frappe.PermissionError):
	"""A complaint is submitted (closed) only by its workflow."""


class HistoricalImportError(frappe.PermissionError):
	"""Only a System Manager's Data Import brings complaints in as history (intake/history.py)."""


def is_history_import(doc) -> bool:
	"""A new complaint marked as history, in a System Manager's Data Import: the one way in."""
	return bool(
		doc.get("historical")
		and doc.is_new()
		and frappe.flags.in_import
		and HISTORY_ROLE in frappe.get_roles(frappe.session.user)
	)


def check_history_import(doc) -> None:
	"""Refuse the history flag anywhere but in a System Manager's Data Import."""
	if doc.get("historical") and doc.is_new() and not is_history_import(doc):
		frappe.throw(
			_("{0}: only a System Manager's Data Import brings complaints in as history.").format(
				_(doc.meta.get_label("historical"))
			),
			HistoricalImportError,
		)


def is_setup_running() -> bool:
	flags = frappe.flags
	return bool(flags.in_install or flags.in_patch or flags.in_migrate or flags.in_fixtures)


def comparable(doc, field: str):
	"""A field's value as the protection compares it; a table is every row with every field, so a change to any
	cell of any row (whatever path wrote it) is a change of the table."""
	df = doc.meta.get_field(field)
	value = doc.get(field)
	if df and df.fieldtype in ("Table", "Table MultiSelect"):
		return tuple(comparable_row(row) for row in value or [])
	return comparable_value(df, value)


def comparable_value(df, value):
	if df and df.fieldtype in NUMBER_TYPES:
		try:
			return float(value or 0)
		except (TypeError, ValueError):
			return str(value)  # not a number: intake.check_input refuses it, naming the field
	return str(value or "")


def comparable_row(row) -> tuple:
	"""A child row by its name and data fields (row dicts from a client included)."""
	meta = frappe.get_meta(row.doctype) if hasattr(row, "doctype") and row.doctype else None
	fields = [df for df in (meta.fields if meta else []) if df.fieldtype not in LAYOUT_TYPES]
	return (str(row.get("name") or ""), *(comparable_value(df, row.get(df.fieldname)) for df in fields))


def default_of(doc, field: str):
	df = doc.meta.get_field(field)
	if df and df.fieldtype in ("Table", "Table MultiSelect"):
		return ()
	if df and df.fieldtype in ("Check", "Int", "Float", "Currency", "Percent"):
		return float(df.default or 0)
	return str(df.default or "") if df else ""


def is_now(doc, field: str) -> bool:
	"""A datetime defaulting to "now" that holds about now: Frappe's default, not the client's choice."""
	df = doc.meta.get_field(field)
	if not (df and (df.default or "").lower() == "now" and doc.get(field)):
		return False
	try:
		return abs((get_datetime(doc.get(field)) - now_datetime()).total_seconds()) < 300
	except Exception:
		return False  # not a date at all: intake.check_input refuses it, naming the field


def changed_fields(doc, before) -> list[str]:
	"""Fields whose value differs from the stored one (or, on insert, from empty and the default).

	Fields fetched from a link (`fetch_from`) are Frappe's to fill before `validate`; their link is checked.
	"""
	fields = [
		df.fieldname
		for df in doc.meta.fields
		if df.fieldtype not in ("Section Break", "Column Break", "Tab Break", "HTML") and not df.fetch_from
	]
	if before is None:
		return [
			f
			for f in fields
			if comparable(doc, f) not in ("", 0.0, (), default_of(doc, f)) and not is_now(doc, f)
		]
	return [f for f in fields if comparable(doc, f) != comparable(before, f)]


def keep_server_values(doc, before, fields) -> None:
	"""What the server maintains in the background is taken from the database, never from the client."""
	for field in fields:
		if before is not None:
			doc.set(field, before.get(field))
		else:
			doc.set(field, None)  # Frappe stores 0 for an empty number or check


def check_complaint(doc) -> None:
	"""Validate step 0: refuse what the writer may not write; status follows the workflow state."""
	if is_setup_running():
		return
	before = doc.get_doc_before_save()
	check_history_import(doc)
	history = before is None and is_history_import(doc)
	# an imported complaint brings its outcome (its satisfaction score among it) from the paper file
	keep_server_values(doc, before, SERVER_KEPT - HISTORY_FIELDS if history else SERVER_KEPT)
	if not history:
		check_docstatus(doc, before)
	user = frappe.session.user
	if user == "Administrator":
		follow_workflow_state(doc)
		return
	portal_user = is_website_user(user)
	allowed = set(doc.flags.owner_writes or ()) | workflow_writes(doc, before)
	if history:
		allowed |= HISTORY_FIELDS
	if portal_user and doc.complainant_email == frappe.db.get_value("User", user, "email"):
		allowed.add("complainant_email")  # their own address, which the portal sets anyway
	if portal_user and doc.channel == "Portal":
		allowed.add("channel")
	if portal_user and before is None and doc.get("company") == frappe.defaults.get_defaults().get("company"):
		allowed.add("company")  # what Frappe fills a new complaint with; registration then sets it

	found = refusals(
		changed_fields(doc, before),
		status_before=before.status if before else None,
		roles=frappe.get_roles(user),
		portal_user=portal_user,
		allowed=allowed,
		appended=appended_tables(doc, before),
	)
	if found:
		field = found[0]
		frappe.throw(
			refusal_message(field.reason, _(doc.meta.get_label(field.field))),
			ProtectedFieldError,
			title=_("Not allowed"),
		)
	follow_workflow_state(doc)


def appended_tables(doc, before) -> set[str]:
	"""Tables recorded after closure whose stored rows are all kept as they were, with new rows after them."""
	if before is None:
		return set()
	return {f for f in AFTER_CLOSING if only_appended(comparable(before, f), comparable(doc, f))}


def workflow_writes(doc, before) -> set[str]:
	"""A change of workflow state (validated by Frappe for this user) carries its status with it."""
	if before is not None and doc.get("workflow_state") != before.get("workflow_state"):
		return {"status"}
	return set()


def follow_workflow_state(doc) -> None:
	"""The status is the one the current workflow state sets; nothing else decides it."""
	name = get_workflow_name(doc.doctype)
	if not name or not doc.get("workflow_state"):
		return
	workflow = frappe.get_cached_doc("Workflow", name)
	row = next((s for s in workflow.states if s.state == doc.workflow_state), None)
	if row and row.update_field == "status" and row.update_value:
		doc.status = row.update_value


def check_docstatus(doc, before) -> None:
	if doc.docstatus == 0:
		return
	if before is None:
		frappe.throw(_("A new complaint is registered as a draft; its workflow closes it."), DocstatusError)
	if doc.docstatus == 1 and before.docstatus == 0:
		name = get_workflow_name(doc.doctype)
		if not name:
			return
		allowed = {t.next_state for t in get_transitions(before)}
		target = next(
			(
				s.state
				for s in frappe.get_cached_doc("Workflow", name).states
				if s.state == doc.workflow_state
			),
			None,
		)
		if doc.workflow_state == before.workflow_state or target not in allowed:
			frappe.throw(_("Only the workflow closes a complaint: use its actions."), DocstatusError)


def check_memo(doc) -> None:
	"""Validate step 0 of a memo: its workflow-owned fields are written by nobody else."""
	if is_setup_running():
		return
	before = doc.get_doc_before_save()
	keep_server_values(doc, before, MEMO_SERVER_KEPT)
	if doc.docstatus != 0 and before is None:
		frappe.throw(_("A new memo is a draft; its workflow closes it."), DocstatusError)
	if frappe.session.user == "Administrator":
		follow_workflow_state(doc)
		return
	found = memo_refusals(
		changed_fields(doc, before), is_new=before is None, allowed=workflow_writes(doc, before)
	)
	if found:
		frappe.throw(
			refusal_message(found[0].reason, _(doc.meta.get_label(found[0].field))),
			ProtectedFieldError,
			title=_("Not allowed"),
		)
	follow_workflow_state(doc)


def check_inspection(doc, before) -> None:
	"""Validate step 0 of a Defect Inspection: each part is written by its owner at its step only
	(domain/quality_path.py); what other documents change is kept; the status follows the workflow."""

	if is_setup_running():
		return
	keep_server_values(doc, before, INSPECTION_KEPT)
	if frappe.session.user != "Administrator":
		found = inspection_refusals(
			changed_fields(doc, before),
			status_before=before.status if before else None,
			roles=frappe.get_roles(frappe.session.user),
			allowed=set(doc.flags.owner_writes or ()),
		)
		if found:
			frappe.throw(
				inspection_refusal_message(found[0].reason, _(doc.meta.get_label(found[0].field))),
				ProtectedFieldError,
				title=_("Not allowed"),
			)
	follow_workflow_state(doc)


def inspection_refusal_message(reason: str, label: str) -> str:
	if reason == "role":
		return _("You may not change {0}.").format(label)
	return _("{0} cannot be changed at this step of the inspection.").format(label)
