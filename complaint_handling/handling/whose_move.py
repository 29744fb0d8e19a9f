"""Whose move it is: the form says it, the right people are assigned, finished steps are closed.

The table of statuses (domain/statuses.py) names the party whose move it is; this module turns the party
into users (a named person on the document, else the holders of the role), stores it on the document
(`waiting_for`, `waiting_for_user`) and keeps the ToDo assignments in step: a ToDo for each user whose
move it is (Frappe notifies them), and the ToDos of everybody else on the document closed. The accused
is never assigned, nor is an approver who handled or proposed the complaint (docs/procedure.md §9).
"""

from collections.abc import Iterator
from contextlib import contextmanager

import frappe
from frappe import _
from frappe.desk.form import assign_to
from frappe.desk.form.assign_to import add as add_assignment
from frappe.desk.form.assign_to import set_status as set_assignment_status

from complaint_handling.access.permissions import sharing_by_app
from complaint_handling.domain import statuses as st
from complaint_handling.domain.routing import is_self_approval
from complaint_handling.handling.routing import party_user
from complaint_handling.integrations.erpnext.companies import of_company
from complaint_handling.integrations.erpnext.people import users_with_role

MAX_ROLE_ASSIGNEES = 10  # a role with more holders than this is told through its list, not ToDos


@contextmanager
def notifications_in_this_job() -> Iterator[None]:
	"""Inside a background job that works through many complaints: the notices of the assignments it makes
	are written by this job, not queued as one job each. Frappe's `assign_to.add` queues
	`make_notification_logs` per assignment; each such job starts cold in a new work-horse (0.7 s, mostly the
	notice e-mail's first render), where this job, warm, takes 40 ms (benchmarks/README.md, P6)."""
	from frappe.desk.doctype.notification_log.notification_log import make_notification_logs

	def make_here(users: list[str] | str, doc: dict) -> None:
		if isinstance(users, str):
			users = [user.strip() for user in users.split(",") if user.strip()]
		make_notification_logs(frappe._dict(doc), list(set(users)))

	queued, assign_to.enqueue_create_notification = assign_to.enqueue_create_notification, make_here
	try:
		yield
	finally:
		assign_to.enqueue_create_notification = queued


def role_users(role: str, company: str | None = None) -> list[str]:
	"""The role's holders who may work on a document of the company (ERPNext's User Permission on Company)."""
	return of_company(users_with_role(role), company)[: MAX_ROLE_ASSIGNEES + 1]


def complaint_named_user(doc, party: str | None) -> str | None:
	"""The one person who makes the move for a party on a complaint; None when a role's holders do."""

	if party == st.HANDLER:
		return doc.handler or None
	if party and doc.status == st.PROPOSED and party == doc.pending_approver:
		return doc.pending_approver_user or party_user(doc, party)
	return None


def complaint_party_users(doc, party: str | None) -> tuple[str | None, list[str]]:
	"""(the one named user, or None; everyone who may make the move) for a party on a complaint."""

	if not party:
		return None, []
	one = complaint_named_user(doc, party)
	if one or party == st.HANDLER:
		return one, [one] if one else []
	users = role_users(party, doc.get("company"))
	if doc.status == st.PROPOSED:
		users = [u for u in users if not is_self_approval(u, doc.handler, doc.proposed_by, doc.owner)]
	return None, users


def memo_party_users(memo, complaint, party: str | None) -> tuple[str | None, list[str]]:

	if not party:
		return None, []
	named = {
		st.ADDRESSEE: memo.addressee or memo.department_head,
		st.DEPARTMENT_HEAD: memo.department_head,
		st.MEMO_APPROVER: party_user(complaint, memo.approver_party) if memo.approver_party else None,
	}
	if named.get(party):
		return named[party], [named[party]]
	role = memo.approver_party if party == st.MEMO_APPROVER else party
	users = role_users(role, memo.get("company") or complaint.get("company")) if role else []
	if party == st.MEMO_APPROVER:
		users = [u for u in users if not is_self_approval(u, memo.replied_by, memo.signed_by)]
	return None, users


def read_back(doc) -> bool:
	"""Read back to the customer, or moved on without it for a recorded reason (docs/procedure.md §2)."""
	return doc.doctype != "Customer Complaint" or (
		doc.confirmation_status == "Confirmed" or bool(doc.unconfirmed_reason)
	)


def waiting_party(doc) -> str | None:
	if doc.doctype == "Customer Complaint":
		return st.next_party(
			doc.doctype, doc.status, confirmed=read_back(doc), pending_approver=doc.pending_approver
		)
	return st.next_party(doc.doctype, doc.status)


def apply(doc, complaint=None) -> None:
	"""Validate step: say on the document whose move it is (and who, when it is one named person)."""
	party = waiting_party(doc) if doc.docstatus < 2 else None
	if party == st.MEMO_APPROVER:
		party = doc.approver_party or party
	if doc.doctype == "Customer Complaint":
		one = complaint_named_user(doc, party)
		one = None if one == doc.complained_user else one
	else:
		one, _users = users_for(doc, party, complaint)
	doc.waiting_for = party
	doc.waiting_for_user = one


def users_for(doc, party: str | None, complaint=None) -> tuple[str | None, list[str]]:
	if doc.doctype == "Customer Complaint":
		users = complaint_party_users(doc, party)
		accused = doc.complained_user
	else:
		complaint = complaint or frappe.get_doc("Customer Complaint", doc.complaint)
		party = st.MEMO_APPROVER if party == doc.get("approver_party") else party
		users = memo_party_users(doc, complaint, party)
		accused = complaint.complained_user
	one, everyone = users
	return (None if one == accused else one), [u for u in everyone if u and u != accused]


def reassign(doc, complaint=None) -> None:
	"""After save: ToDos for whose move it is now (as `apply` stored it); the others' ToDos closed."""
	party = doc.waiting_for if doc.docstatus == 0 else None
	_one, users = users_for(doc, party, complaint)
	users = users if len(users) <= MAX_ROLE_ASSIGNEES else []
	open_todos = frappe.get_all(
		"ToDo",
		filters={"reference_type": doc.doctype, "reference_name": doc.name, "status": "Open"},
		fields=["name", "allocated_to"],
	)
	for todo in open_todos:
		if todo.allocated_to not in users:
			set_assignment_status(
				doc.doctype,
				doc.name,
				todo=todo.name,
				assign_to=todo.allocated_to,
				status="Closed",
				ignore_permissions=True,
			)
	assigned = {todo.allocated_to for todo in open_todos}
	new = [user for user in users if user not in assigned]
	if not new:
		return
	step = st.next_step(doc.doctype, doc.status, confirmed=read_back(doc))
	mute, frappe.flags.mute_messages = frappe.flags.mute_messages, True
	try:
		with sharing_by_app():  # an assignee who cannot see it yet gets Frappe's share: the app names them
			add_assignment(
				{
					"assign_to": new,
					"doctype": doc.doctype,
					"name": doc.name,
					"description": f"{_(step)}: {doc.get('subject') or doc.name}",
				},
				ignore_permissions=True,
			)
	finally:
		frappe.flags.mute_messages = mute
